"""Run independent pieces of a build on the machine's other cores, in forked processes.

A forked child starts with the parent's memory (the loaded manual, the rendered pages), so nothing but
the result is pickled. Used for work that is pure computation and large (one search index per language),
and only where fork is safe: a process with other threads (``mkdocs serve``'s server, a test's HTTP
server) might fork while one of them holds a lock that the child then waits on for ever, so such a
process runs everything itself (`may_fork`), whatever ``jobs`` says.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class ChildFailed(RuntimeError):
    """A forked process ended without a result (killed, out of memory); the message says how to avoid forking."""


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def may_fork() -> bool:
    """True where forking is safe: a POSIX system, and no thread but this one."""
    return hasattr(os, "fork") and threading.active_count() == 1


def map_forked(function: Callable[[Item], Result], items: Sequence[Item], jobs: int = 1) -> list[Result]:
    """``[function(item) for item in items]``, with up to ``jobs - 1`` of the items in forked children while the
    parent does the first. An exception in a child is raised again in the parent."""
    if jobs <= 1 or len(items) <= 1 or not may_fork():
        return [function(item) for item in items]
    forked = [(number, _fork(function, item)) for number, item in enumerate(items[1:jobs], start=1)]
    try:
        results: dict[int, Result] = {0: function(items[0])}
    except BaseException:
        for _, child in forked:
            _collect(child, reraise=False)
        raise
    results.update((number, _collect(child)) for number, child in forked)
    rest = [function(item) for item in items[jobs:]]
    return [results[number] for number in range(len(forked) + 1)] + rest


def _fork(function: Callable[[Item], Result], item: Item) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running the parent's clean-up
        os.close(read)
        status = 0
        try:
            try:
                payload = pickle.dumps((True, function(item)), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # every failure goes back to the parent
                status = 1
                try:
                    payload = pickle.dumps((False, exc))
                except Exception:  # an exception that cannot be pickled: its text
                    payload = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
            with os.fdopen(write, "wb") as stream:
                stream.write(payload)
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(child: tuple[int, int], reraise: bool = True) -> Result | None:
    pid, read = child
    with os.fdopen(read, "rb") as stream:
        data = stream.read()
    _, status = os.waitpid(pid, 0)
    if not reraise:
        return None
    if not data:
        raise ChildFailed(f"a build process (pid {pid}) ended without a result (wait status {status}; out of "
                          "memory?); set `jobs: 1` under the plugin in mkdocs.yml to build in one process")
    ok, value = pickle.loads(data)
    if not ok:
        raise value
    return value


def map_chunked(function: Callable[[Item], Result], items: Sequence[Item], jobs: int = 1) -> list[Result]:
    """``[function(item) for item in items]`` with the items dealt out to ``jobs`` processes in turn (every
    ``jobs``-th item to the same one, so that runs of large items, like one folder's files, are shared)."""
    if jobs <= 1 or len(items) < 2 * jobs:
        return [function(item) for item in items]
    hands = [items[first::jobs] for first in range(jobs)]
    done = map_forked(lambda hand: [function(item) for item in hand], hands, jobs)
    return [done[number % jobs][number // jobs] for number in range(len(items))]


class InBackground:
    """``function()`` computed in a forked process while the caller goes on (``fork=False``: computed by `result`
    in the caller). MkDocs renders the page templates after it has every page's content, which is all the
    search index needs: the index is built beside the templates, on another core."""

    def __init__(self, function: Callable[[], Result], fork: bool = True, *, despite_threads: bool = False) -> None:
        """``despite_threads``: fork even while other threads run. Only for a function that computes in pure Python
        over data already in memory — no files, no logging, no imports of C libraries with locks of their own —
        so that no lock another thread held at the fork can be waited on in the child (CPython itself resets the
        interpreter's and the import system's locks in a forked child)."""
        self.function = function
        forking = fork and hasattr(os, "fork") and (despite_threads or may_fork())
        self.child = _fork(lambda _: function(), None) if forking else None

    def result(self) -> Result:
        if self.child is None:
            return self.function()
        child, self.child = self.child, None
        return _collect(child)

    def cancel(self) -> None:
        """Stop the computation (the build failed): the child is killed and reaped."""
        if self.child is None:
            return
        (pid, read), self.child = self.child, None
        os.close(read)
        with contextlib.suppress(ProcessLookupError):  # it had finished
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
