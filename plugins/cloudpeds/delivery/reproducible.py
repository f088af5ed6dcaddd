"""Compare two builds file by file: the "two clean builds are byte-identical" check."""

from __future__ import annotations

from pathlib import Path

from .files import site_files

_BLOCK = 1 << 20


def same_bytes(x: Path, y: Path) -> bool:
    """True when the two files have identical contents (sizes first, then block by block)."""
    if x.stat().st_size != y.stat().st_size:
        return False
    with x.open("rb") as fx, y.open("rb") as fy:
        while True:
            bx, by = fx.read(_BLOCK), fy.read(_BLOCK)
            if bx != by:
                return False
            if not bx:
                return True


def diff_trees(a: Path, b: Path) -> list[str]:
    """The relative paths (POSIX, sorted) of the files that differ between the trees ``a`` and ``b``:
    present in only one of them, or with different bytes. An empty list means byte-identical files.

    Only file contents count: timestamps, permissions and empty folders do not.
    """
    files_a, files_b = set(site_files(a)), set(site_files(b))
    differing = files_a ^ files_b
    differing.update(rel for rel in files_a & files_b if not same_bytes(a / rel, b / rel))
    return sorted(differing)
