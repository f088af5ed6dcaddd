"""The files of a built site, listed the same way by every delivery module."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

#: Suffixes of the precompressed variants that `precompress` writes next to a file.
VARIANT_SUFFIXES = (".gz", ".br")


class ScanMemo:
    """Per-file scan results by (scan, file, SHA-256 of its bytes), kept by `mkdocs serve` between rebuilds (the
    delivery plugin's): a rebuild scans again only the files that changed. `sweep` drops what a build did not use."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str, bytes], object] = {}
        self._used: set[tuple[str, str, bytes]] = set()

    def remember(self, scan: str, rel: str, data: bytes, compute):
        key = (scan, rel, hashlib.sha256(data).digest())
        self._used.add(key)
        if key not in self._entries:
            self._entries[key] = compute()
        return self._entries[key]

    def sweep(self) -> None:
        self._entries = {key: value for key, value in self._entries.items() if key in self._used}
        self._used = set()


def site_files(site_dir: Path) -> list[str]:
    """Every regular file under ``site_dir`` as a POSIX path relative to it, sorted by code point.

    Symbolic links to files count as files (their target's bytes are what a server sends); links to
    folders are not followed, so a loop cannot make the walk endless.
    """
    found: list[str] = []
    for folder, dirs, names in os.walk(site_dir, followlinks=False):
        dirs.sort()
        for name in names:
            path = Path(folder, name)
            if path.is_file():
                found.append(path.relative_to(site_dir).as_posix())
    return sorted(found)


def is_variant(rel: str, present: set[str] | frozenset[str]) -> bool:
    """True when ``rel`` is a precompressed copy (``x.css.gz``, ``x.css.br``) of a file in ``present``."""
    return rel.endswith(VARIANT_SUFFIXES) and rel[:-3] in present


def served_files(site_dir: Path) -> list[str]:
    """``site_files`` without the precompressed variants: the files a visitor asks for by name."""
    files = site_files(site_dir)
    present = frozenset(files)
    return [rel for rel in files if not is_variant(rel, present)]


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, as lowercase hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
