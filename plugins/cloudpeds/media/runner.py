"""The one place where the media pipeline starts a process (ffmpeg, ffprobe).

Every invocation goes through :func:`start`, logged as a shell line (``shlex.join``). Tests
replace the process factory with :func:`hooked` to count or refuse invocations, e.g. to prove
that a rebuild from the cache runs no ffmpeg at all.
"""

from __future__ import annotations

import logging
import shlex
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

log = logging.getLogger("cloudpeds.media")

PopenFactory = Callable[..., subprocess.Popen]

_lock = threading.Lock()
_popen: PopenFactory = subprocess.Popen


def start(argv: Sequence[str], **kwargs: Any) -> subprocess.Popen:
    """Start ``argv`` (logged with ``shlex.join``) through the current process factory."""
    log.info("$ %s", shlex.join(argv))
    return _popen(list(argv), **kwargs)


def run(argv: Sequence[str], *, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` to the end and capture its output as text (UTF-8, undecodable bytes replaced)."""
    with start(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
               text=True, encoding="utf-8", errors="replace") as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except BaseException:
            process.kill()
            process.wait()
            raise
    return subprocess.CompletedProcess(list(argv), process.returncode, out, err)


@contextmanager
def hooked(factory: PopenFactory) -> Iterator[None]:
    """Within the block, start processes with ``factory`` (same signature as ``subprocess.Popen``)."""
    global _popen
    with _lock:
        previous, _popen = _popen, factory
    try:
        yield
    finally:
        with _lock:
            _popen = previous
