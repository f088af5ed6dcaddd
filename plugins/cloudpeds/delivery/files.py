"""The files of a built site, listed the same way by every delivery module."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..output import stat_key

T = TypeVar("T")

#: Suffixes of the precompressed variants that `precompress` writes next to a file.
VARIANT_SUFFIXES = (".gz", ".br")


class ScanMemo:
    """Per-file scan results by (scan, file, SHA-256 of its bytes), kept by `mkdocs serve` between rebuilds (the
    delivery plugin's): a rebuild scans again only the files that changed. A file whose `stat_key` is the one
    it had when last read is not read again (the preview writes only files whose bytes changed,
    `cloudpeds.output.KeptFolder`). `sweep` drops what a build did not use."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str, bytes], object] = {}
        self._used: set[tuple[str, str, bytes]] = set()
        self._digests: dict[str, tuple[tuple[int, ...], bytes]] = {}
        self._seen: set[str] = set()

    def remember(self, scan: str, rel: str, path: Path, compute: Callable[[bytes], T]) -> T:
        """``compute(bytes of path)``, or its result for a file with the same bytes in an earlier build."""
        name = str(path)
        self._seen.add(name)
        data: bytes | None = None
        status = stat_key(path)
        known = self._digests.get(name)
        if known is not None and known[0] == status:
            sha = known[1]
        else:
            data = path.read_bytes()
            sha = hashlib.sha256(data).digest()
            self._digests[name] = (status, sha)
        key = (scan, rel, sha)
        self._used.add(key)
        if key not in self._entries:
            self._entries[key] = compute(path.read_bytes() if data is None else data)
        return self._entries[key]  # type: ignore[return-value]

    def sweep(self) -> None:
        self._entries = {key: value for key, value in self._entries.items() if key in self._used}
        self._digests = {name: known for name, known in self._digests.items() if name in self._seen}
        self._used, self._seen = set(), set()


def site_files(site_dir: Path) -> list[str]:
    """Every regular file under ``site_dir`` as a POSIX path relative to it, sorted by code point.

    Symbolic links to files count as files (their target's bytes are what a server sends); links to
    folders are not followed, so a loop cannot make the walk endless.
    """
    found: list[str] = []
    folders = [(str(site_dir), "")]
    while folders:  # os.scandir's entries know their type: no stat call per file
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file():
                    found.append(f"{prefix}{entry.name}")
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
