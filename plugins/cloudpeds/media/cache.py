"""A content-addressed cache of transcoded lessons, published atomically.

An entry is a folder named by :func:`cache_key` of (source bytes, ladder settings, encoder
version). It is written in a temporary folder beside it (``.tmp-<key>-<pid>-<random>``) and
renamed into place only when complete, so an interrupted transcode never leaves an entry that
looks complete; leftovers of dead processes are removed by :meth:`MediaCache.clear_leftovers`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..output import process_alive

MANIFEST = "manifest.json"
_TMP_PREFIX = ".tmp-"


def file_digest(path: Path) -> str:
    """SHA-256 of the file's bytes (hex)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def cache_key(source_digest: str, settings: Mapping[str, Any], encoder: str) -> str:
    """The entry name for a source (by digest), the ladder settings and the encoder version."""
    material = json.dumps({"source": source_digest, "settings": settings, "encoder": encoder},
                          sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class MediaCache:
    """Entries under ``root``: ``root/<key>/`` with a ``manifest.json`` written last."""

    def __init__(self, root: Path) -> None:
        if "%" in str(root):
            raise ValueError(f"the media cache folder must not contain '%' (ffmpeg patterns): {root}")
        self.root = root

    def entry(self, key: str) -> Path:
        return self.root / key

    def lookup(self, key: str) -> Path | None:
        """The complete entry for ``key``, or ``None``."""
        entry = self.entry(key)
        return entry if (entry / MANIFEST).is_file() else None

    def read_manifest(self, key: str) -> dict[str, Any] | None:
        """The manifest of a complete entry; ``None`` if missing or unreadable (then it is rebuilt)."""
        entry = self.lookup(key)
        if entry is None:
            return None
        try:
            data = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    @contextmanager
    def staging(self, key: str) -> Iterator[Path]:
        """A fresh temporary folder for ``key``; removed on leaving unless published."""
        self.root.mkdir(parents=True, exist_ok=True)
        folder = self.root / f"{_TMP_PREFIX}{key}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        folder.mkdir()
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def publish(self, staging: Path, key: str, manifest: Mapping[str, Any]) -> Path:
        """Write the manifest into ``staging`` and rename it to the entry in one step.

        If another process published the same key meanwhile, its entry is kept (same inputs,
        same result) and ``staging`` is left for :meth:`staging` to remove.
        """
        atomic_write_text(staging / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True))
        entry = self.entry(key)
        stale = entry.exists() and self.read_manifest(key) is None
        if stale:  # a folder without a readable manifest: not ours to trust, replace it
            shutil.rmtree(entry, ignore_errors=True)
        try:
            os.rename(staging, entry)
        except OSError:
            if self.lookup(key) is None:
                raise
        return entry

    def clear_leftovers(self) -> list[Path]:
        """Remove temporary folders of processes that are no longer running; returns them."""
        removed = []
        if not self.root.is_dir():
            return removed
        for folder in self.root.glob(f"{_TMP_PREFIX}*"):
            parts = folder.name[len(_TMP_PREFIX):].split("-")
            pid = parts[1] if len(parts) == 3 else ""
            if pid.isdigit() and (int(pid) == os.getpid() or process_alive(int(pid))):
                continue  # still being written
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        return removed
