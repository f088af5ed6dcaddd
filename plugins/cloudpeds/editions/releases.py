"""The releases folder: one immutable folder per published edition, versions.json (mike's format,
which Material's version selector reads), a ``latest`` alias and an index page.

versions.json, the alias and the index are derived from the edition folders alone (each holds its
snapshot with its edition's metadata), so they can always be written again from what is there:
a publish killed after its folder appeared is completed by the next run.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import html
import json
import os
import re
import shutil
from pathlib import Path

from ..output import process_alive
from .model import Edition
from .snapshot import SNAPSHOT_PATH

VERSIONS_FILE = "versions.json"
LATEST = "latest"
INDEX_FILE = "index.html"
#: Names of our temporary entries in the releases folder; they end in the writing process's id.
_LEFTOVER = re.compile(r"^\..+\.(?:publish|tmp|staging|old)-(?P<pid>\d+)$")
_RENAME_NOREPLACE = 1
_AT_FDCWD = -100


def published(releases_dir: Path) -> list[Edition]:
    """The published editions, newest first (folders that hold a snapshot; aliases are skipped)."""
    found: list[Edition] = []
    if not releases_dir.is_dir():
        return found
    for folder in releases_dir.iterdir():
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            continue
        snapshot_file = folder / SNAPSHOT_PATH
        try:
            data = json.loads(snapshot_file.read_text(encoding="utf-8"))
            edition = Edition.model_validate(data["edition"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not an edition folder (or not a finished one)
        if edition.version == folder.name:
            found.append(edition)
    return sorted(found, key=lambda e: e.number, reverse=True)


def versions(editions: list[Edition]) -> list[dict[str, object]]:
    """mike's versions.json: newest first, ``latest`` on the newest."""
    return [{"version": e.version, "title": e.title(), "aliases": [LATEST] if index == 0 else []}
            for index, e in enumerate(editions)]


def clear_leftovers(releases_dir: Path) -> None:
    """Remove what killed publishes left behind (never what a running one is writing)."""
    if not releases_dir.is_dir():
        return
    for entry in releases_dir.iterdir():
        match = _LEFTOVER.match(entry.name)
        if not match or (int(match["pid"]) != os.getpid() and process_alive(int(match["pid"]))):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _temporary(releases_dir: Path, name: str) -> Path:
    return releases_dir / f".{name}.tmp-{os.getpid()}"


def write_atomically(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` through a temporary file and a rename; False if it was already so."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    temporary = _temporary(path.parent, path.name)
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return True


def point_alias(releases_dir: Path, alias: str, version: str) -> None:
    """Make ``alias`` a relative symlink to ``version``, replacing the old one in one rename."""
    link = releases_dir / alias
    if link.is_symlink() and os.readlink(link) == version:
        return
    if link.exists() and not link.is_symlink():
        raise FileExistsError(f"{link} is not an alias (a symlink): move it away, then publish again")
    temporary = _temporary(releases_dir, alias)
    temporary.unlink(missing_ok=True)
    os.symlink(version, temporary)
    os.replace(temporary, link)


def index_html(latest: Edition) -> str:
    target = html.escape(f"{latest.version}/", quote=True)
    title = html.escape(latest.title())
    return ("<!doctype html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title><link rel=\"icon\" href=\"data:,\">"
            f"<meta http-equiv=\"refresh\" content=\"0; url={target}\">"
            f"<link rel=\"canonical\" href=\"{target}\"></head>\n"
            f"<body><p><a href=\"{target}\">{title}</a></p></body></html>\n")


def sync_index(releases_dir: Path) -> list[Edition]:
    """Write versions.json, the ``latest`` alias and index.html from the edition folders present."""
    editions = published(releases_dir)
    write_atomically(releases_dir / VERSIONS_FILE, json.dumps(versions(editions), ensure_ascii=False, indent=2) + "\n")
    if editions:
        point_alias(releases_dir, LATEST, editions[0].version)
        write_atomically(releases_dir / INDEX_FILE, index_html(editions[0]))
    return editions


def rename_noreplace(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``, failing with FileExistsError if ``target`` exists (atomically
    with renameat2(RENAME_NOREPLACE) on Linux, otherwise with a check just before)."""
    libc_name = ctypes.util.find_library("c")
    renameat2 = getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None) if libc_name else None
    if renameat2 is not None:
        if renameat2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), _RENAME_NOREPLACE) == 0:
            return
        errno = ctypes.get_errno()
        if errno == 17:  # EEXIST
            raise FileExistsError(str(target))
        if errno not in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: fall back below
            raise OSError(errno, os.strerror(errno), str(source))
    if target.exists() or target.is_symlink():
        raise FileExistsError(str(target))
    os.rename(source, target)
