"""Running ffmpeg for one lesson: progress to a callback, a clear error, a dry-run mode.

The command is logged with ``shlex.join`` (logger ``cloudpeds.media``) so it can be pasted into
a shell. If the callback raises (e.g. the user cancels), ffmpeg is killed and the exception
propagates; the caller's staging folder is then discarded.
"""

from __future__ import annotations

import logging
import shlex
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import runner
from .errors import TranscodeError
from .progress import ProgressCallback, progress_blocks, progress_of

log = logging.getLogger("cloudpeds.media")

FAILED_HINT = "run the logged ffmpeg command by hand to see the whole message; re-export the source if it is damaged"


def _tail(text: str, lines: int = 6) -> str:
    kept = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " | ".join(kept[-lines:]) or "no message"


def failure(source: Path, returncode: int, stderr: str) -> TranscodeError:
    """The error for an ffmpeg run that ended with ``returncode`` (negative: killed by a signal)."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return TranscodeError(source, f"ffmpeg was stopped by {name}", "run the build again")
    return TranscodeError(source, f"ffmpeg failed (exit {returncode}): {_tail(stderr)}", FAILED_HINT)


def run_ffmpeg(argv: Sequence[str], *, source: Path, duration: float, lesson: str = "",
               on_progress: ProgressCallback | None = None, dry_run: bool = False) -> str:
    """Run ``argv`` (which must include ``-progress pipe:1``), reporting progress per block; returns what
    ffmpeg printed on stderr (at ``-loglevel error``: the decode errors of a damaged source).

    ``dry_run`` only logs the command. Raises :class:`TranscodeError` naming ``source`` when
    ffmpeg fails; any exception from ``on_progress`` kills ffmpeg and propagates.
    """
    if dry_run:
        log.info("dry run, not running: %s", shlex.join(argv))
        return ""
    label = lesson or source.name
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as errors:
        process = runner.start(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors,
                               text=True, encoding="utf-8", errors="replace")
        try:
            assert process.stdout is not None
            for block in progress_blocks(process.stdout):
                if on_progress is not None:
                    on_progress(progress_of(block, label, duration))
            returncode = process.wait()
        except BaseException:
            process.kill()
            process.wait()
            raise
        finally:
            if process.stdout is not None:
                process.stdout.close()
        errors.seek(0)
        stderr = errors.read()
    if returncode != 0:
        raise failure(source, returncode, stderr)
    return stderr


def run_quiet(argv: Sequence[str], *, source: Path, dry_run: bool = False) -> None:
    """Run a short ffmpeg command (a remux) to the end; :class:`TranscodeError` on failure."""
    if dry_run:
        log.info("dry run, not running: %s", shlex.join(argv))
        return
    result = runner.run(argv, timeout=3600)
    if result.returncode != 0:
        raise failure(source, result.returncode, result.stderr)
