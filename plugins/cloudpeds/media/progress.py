"""Progress of a transcode: ffmpeg's ``-progress`` key=value blocks → :class:`Progress` reports.

:class:`ProgressPrinter` shows one line per lesson on a terminal (or one line every few
percent when the output is a log file), safe to call from parallel jobs.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True)
class Progress:
    """How far the transcode of one lesson is."""

    lesson: str
    seconds: float
    duration: float
    speed: float | None
    done: bool

    @property
    def fraction(self) -> float:
        """0.0 … 1.0 (1.0 once ffmpeg reports the end)."""
        if self.done:
            return 1.0
        return min(1.0, self.seconds / self.duration) if self.duration > 0 else 0.0


ProgressCallback = Callable[[Progress], None]


def progress_blocks(lines: Iterable[str]) -> Iterator[dict[str, str]]:
    """Group ``key=value`` lines into blocks, each ending with ``progress=continue|end``."""
    block: dict[str, str] = {}
    for line in lines:
        key, sep, value = line.strip().partition("=")
        if not sep:
            continue
        block[key] = value.strip()
        if key == "progress":
            yield block
            block = {}


def _number(text: str | None) -> float | None:
    try:
        return float((text or "").rstrip("x"))
    except ValueError:
        return None


def progress_of(block: dict[str, str], lesson: str, duration: float) -> Progress:
    """One ``-progress`` block → :class:`Progress` (``out_time_us`` is microseconds; N/A → 0)."""
    micros = _number(block.get("out_time_us")) or _number(block.get("out_time_ms")) or 0.0
    return Progress(lesson, max(0.0, micros / 1e6), duration, _number(block.get("speed")),
                    block.get("progress") == "end")


def format_progress(p: Progress) -> str:
    """``lessons/fever.mp4  42%  25.1/60.0 s  3.1x``."""
    speed = f"  {p.speed:.1f}x" if p.speed else ""
    return f"{p.lesson}  {p.fraction:4.0%}  {p.seconds:.1f}/{p.duration:.1f} s{speed}"


class ProgressPrinter:
    """A thread-safe :data:`ProgressCallback` printing to ``stream`` at most every ``interval`` s per lesson."""

    def __init__(self, stream: TextIO | None = None, interval: float = 2.0) -> None:
        self.stream = stream or sys.stderr
        self.interval = interval
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        with self._lock:
            if not progress.done and now - self._last.get(progress.lesson, -1e9) < self.interval:
                return
            self._last[progress.lesson] = now
            print(format_progress(progress), file=self.stream, flush=True)
