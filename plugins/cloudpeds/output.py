"""Atomic replacement of an output folder: build beside it, then swap.

A build writes into a staging folder next to the site; only a finished build replaces the site.
On Linux the swap is one ``renameat2(RENAME_EXCHANGE)`` call, so no moment exists at which the
site is missing or half-written, even under SIGKILL. Elsewhere two renames are used. Leftovers
of an interrupted build (staging or old folders) are removed at the start of the next one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def staging_dir(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}.staging-{os.getpid()}")


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (its leftovers must not be removed)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clear_leftovers(site_dir: Path) -> None:
    """Remove staging and old folders left behind by builds that are no longer running."""
    for pattern in (f".{site_dir.name}.staging-*", f".{site_dir.name}.old-*"):
        for leftover in site_dir.parent.glob(pattern):
            pid = leftover.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and process_alive(int(pid)):
                continue  # another build is writing there right now
            shutil.rmtree(leftover, ignore_errors=True)


def prepare(site_dir: Path) -> Path:
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    clear_leftovers(site_dir)
    staging = staging_dir(site_dir)
    staging.mkdir()
    return staging


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def publish(staging: Path, site_dir: Path) -> None:
    """Make ``staging`` the new ``site_dir``; the previous site is discarded afterwards."""
    if site_dir.exists() and _exchange(staging, site_dir):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site
        return
    old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
    if site_dir.exists():
        os.rename(site_dir, old)
    os.rename(staging, site_dir)
    shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def clock(folder: Path) -> int:
    """The file system's current time in ``folder`` (ns), as it stamps the files written there from now on.

    Read from a file made and removed on the spot: file times come from the kernel's coarse clock, which can
    lag ``time.time_ns()`` by a tick, so only a file's own time compares safely with other files' times."""
    descriptor, name = tempfile.mkstemp(prefix=".cloudpeds-clock-", dir=folder)
    try:
        return os.fstat(descriptor).st_mtime_ns
    finally:
        os.close(descriptor)
        os.unlink(name)


class Writer:
    """Writes files of a site (a `KeptFolder` skips the ones whose bytes are already there)."""

    def write(self, path: str | os.PathLike[str], data: bytes) -> None:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "wb") as stream:
            stream.write(data)

    def copy(self, source: str | os.PathLike[str], path: str | os.PathLike[str]) -> None:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        shutil.copyfile(source, path)


class KeptFolder(Writer):
    """An output folder that a series of builds writes over instead of emptying it first (the live preview).

    A write whose bytes are already in the file (as this object last wrote or copied them, and the file has not
    been touched since) is skipped, so the file keeps its time and its inode: a later step that looks files up
    by their `stat_key` (the delivery scans) knows it without reading it. After a build, `sweep` removes what the
    build neither wrote nor skipped: the outputs of sources that are gone.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(os.path.abspath(folder))
        self.since: int | None = None
        self.kept: set[str] = set()
        self.skipped = 0
        self._known: dict[str, tuple[tuple[int, ...], object]] = {}

    def begin(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.since = clock(self.folder)
        self.kept = set()
        self.skipped = 0

    def holds(self, path: str | os.PathLike[str]) -> bool:
        return os.path.abspath(path).startswith(f"{os.path.abspath(self.folder)}{os.sep}")

    def write(self, path: str | os.PathLike[str], data: bytes) -> None:
        name = os.path.abspath(path)
        sha = hashlib.sha256(data).digest()
        if self._unchanged(name, sha):
            return
        os.makedirs(os.path.dirname(name), exist_ok=True)
        with open(name, "wb") as stream:
            stream.write(data)
        self._written(name, sha)

    def copy(self, source: str | os.PathLike[str], path: str | os.PathLike[str]) -> None:
        name = os.path.abspath(path)
        origin = (os.path.abspath(source), stat_key(source))
        if self._unchanged(name, origin):
            return
        os.makedirs(os.path.dirname(name), exist_ok=True)
        shutil.copyfile(source, name)
        self._written(name, origin)

    def _unchanged(self, name: str, content: object) -> bool:
        known = self._known.get(name)
        if known is None or known[1] != content:
            return False
        try:
            if stat_key(name) != known[0]:
                return False
        except OSError:
            return False
        self.kept.add(name)
        self.skipped += 1
        return True

    def _written(self, name: str, content: object) -> None:
        self._known[name] = (stat_key(name), content)
        self.kept.add(name)

    def sweep(self) -> int:
        """Remove what the build since `begin` did not write; returns the number of files removed."""
        if self.since is None:
            return 0
        since, self.since = self.since, None
        removed = remove_older(self.folder, since, keep=self.kept)
        self._known = {name: known for name, known in self._known.items() if name in self.kept}
        return removed


def stat_key(path: str | os.PathLike[str]) -> tuple[int, ...]:
    """What changes whenever a file's bytes are written: its size, modification and change times, inode."""
    status = os.stat(path)
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


def remove_older(folder: Path, since: int, keep: set[str] | frozenset[str] = frozenset()) -> int:
    """Remove every file under ``folder`` last written before ``since`` (a ``clock`` reading) and not in ``keep``
    (absolute paths), and the folders this leaves empty; entries whose name starts with a dot at the top are
    left, as MkDocs' clean leaves them. Returns the number of files removed."""
    removed = 0
    for top in os.scandir(folder):
        if top.name.startswith("."):
            continue
        if top.is_dir(follow_symlinks=False):
            for parent, _dirs, names in os.walk(top.path, topdown=False):
                for name in names:
                    path = os.path.join(parent, name)
                    if path not in keep and os.lstat(path).st_mtime_ns < since:
                        os.unlink(path)
                        removed += 1
                if not os.listdir(parent):  # bottom-up: its sub-folders were emptied first
                    os.rmdir(parent)
        elif top.path not in keep and top.stat(follow_symlinks=False).st_mtime_ns < since:
            os.unlink(top.path)
            removed += 1
    return removed
