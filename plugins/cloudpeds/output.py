"""Atomic replacement of an output folder: build beside it, then swap.

A build writes into a staging folder next to the site; only a finished build replaces the site.
On Linux the swap is one ``renameat2(RENAME_EXCHANGE)`` call, so no moment exists at which the
site is missing or half-written, even under SIGKILL. Elsewhere two renames are used. Leftovers
of an interrupted build (staging or old folders) are removed at the start of the next one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
import threading
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


def empty_soon(folder: Path) -> threading.Thread | None:
    """Empty ``folder`` at once and delete what it held in a thread: its entries are moved into a new sibling
    folder (one rename each), which the thread removes. `mkdocs serve` cleans its site folder before every
    rebuild, and deleting ~1,000 page folders costs seconds on a busy disk."""
    entries = list(folder.iterdir()) if folder.is_dir() else []
    if not entries:
        return None
    trash = Path(tempfile.mkdtemp(prefix=f"{folder.name}.old-", dir=folder.parent))
    for entry in entries:
        os.rename(entry, trash / entry.name)
    thread = threading.Thread(target=shutil.rmtree, args=(trash,), kwargs={"ignore_errors": True},
                              name="cloudpeds-empty", daemon=True)
    thread.start()
    return thread
