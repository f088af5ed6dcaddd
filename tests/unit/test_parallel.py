"""cloudpeds.parallel: forked pieces of a build give what a loop gives, errors included."""

from __future__ import annotations

import os

import pytest

from cloudpeds.diagnostics import SourceError, error
from cloudpeds.parallel import map_forked, may_fork

#: Forking is skipped while other threads run (cloudpeds.parallel); an earlier test may have left one running.
needs_fork = pytest.mark.skipif("not may_fork()", reason="another thread is running: cloudpeds.parallel does not fork")


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


@pytest.mark.parametrize("jobs", [1, 2, 3, 8])
def test_results_come_back_in_order_from_other_processes(jobs):
    results = map_forked(square_and_pid, list(range(5)), jobs)
    assert [value for value, _ in results] == [0, 1, 4, 9, 16]
    others = {pid for _, pid in results} - {os.getpid()}
    assert len(others) == (min(jobs, 5) - 1 if may_fork() else 0)


def fail_on_two(n: int) -> int:
    if n == 2:
        raise SourceError([error("manual/x.md", 3, 1, "title", "missing", "add a title")])
    return n


def test_an_error_in_a_child_is_raised_in_the_parent():
    with pytest.raises(SourceError, match=r"manual/x\.md:3"):
        map_forked(fail_on_two, [0, 1, 2], jobs=3)


@needs_fork
def test_an_error_in_the_parent_still_waits_for_the_children(tmp_path):
    def note_pid_or_fail(n: int) -> int:
        (tmp_path / f"child-{n}").write_text(str(os.getpid()))
        return fail_on_two(n)

    with pytest.raises(SourceError):
        map_forked(note_pid_or_fail, [2, 1], jobs=2)
    child = int((tmp_path / "child-1").read_text())
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # reaped: no child left behind


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_chunks_are_dealt_out_and_come_back_in_order(jobs):
    from cloudpeds.parallel import map_chunked

    results = map_chunked(square_and_pid, list(range(10)), jobs)
    assert [value for value, _ in results] == [n * n for n in range(10)]
    assert len({pid for _, pid in results}) == (jobs if may_fork() else 1)


@needs_fork
def test_work_in_the_background_gives_its_result_or_is_cancelled():
    import time

    from cloudpeds.parallel import InBackground

    assert InBackground(lambda: square_and_pid(7)).result()[0] == 49
    value, pid = InBackground(lambda: square_and_pid(7), fork=False).result()
    assert (value, pid) == (49, os.getpid())
    slow = InBackground(lambda: time.sleep(60))
    child = slow.child[0]
    slow.cancel()  # a failed build: the child is killed and reaped at once
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)


@needs_fork
def test_a_child_that_dies_is_reported_with_what_to_do():
    from cloudpeds.parallel import ChildFailed

    def die(n: int) -> int:
        if n:
            os._exit(9)
        return n

    with pytest.raises(ChildFailed, match="jobs: 1"):
        map_forked(die, [0, 1], jobs=2)


def test_a_process_with_other_threads_does_not_fork():
    import threading

    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # like mkdocs serve's server thread
    server.start()
    try:
        assert {pid for _, pid in map_forked(square_and_pid, [1, 2, 3], jobs=3)} == {os.getpid()}
    finally:
        stop.set()
        server.join()
