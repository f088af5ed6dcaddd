"""``cloudpeds publish VERSION``: build the working copy as an edition into the releases folder.

Steps, each safe to interrupt (SIGKILL) at any point:
1. remove leftovers of killed publishes; write versions.json etc. again from the folders present;
2. refuse an edition that is not the working one, or whose folder exists (nothing is changed);
3. build into ``.VERSION.publish-PID`` inside the releases folder (the build itself is atomic), and
   refuse a draft chapter or a placeholder left from ``cloudpeds new``;
4. rename it to ``VERSION`` with RENAME_NOREPLACE (never over an existing folder);
5. write versions.json, the ``latest`` alias and index.html (each by temporary file + rename).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, format_report
from ..scaffold import unfinished
from .loader import load_editions
from .model import Edition
from .readiness import not_ready
from .releases import LATEST, clear_leftovers, rename_noreplace, sync_index
from .snapshot import SNAPSHOT_PATH


class PublishError(Exception):
    """Publishing was refused or failed; the message says why and what to do. Nothing was changed."""


@dataclass
class Published:
    edition: Edition
    folder: Path
    editions: list[Edition]  # everything published now, newest first


def stage_dir(releases_dir: Path, version: str) -> Path:
    return releases_dir / f".{version}.publish-{os.getpid()}"


def publish(*, project: Path, version: str, editions_file: Path, releases_dir: Path,
            build: Callable[[Path], int]) -> Published:
    """Publish the working copy as ``version``; ``build(folder)`` builds the site into ``folder``
    and returns 0 on success (the caller sets up MkDocs)."""
    diagnostics: list[Diagnostic] = []
    loaded = load_editions(editions_file, project, diagnostics)
    if loaded is None:
        raise PublishError("the editions file has errors; nothing was published:\n" + format_report(diagnostics))
    editions = loaded.editions
    edition = editions.get(version)
    if edition is None:
        known = ", ".join(e.version for e in editions.editions)
        raise PublishError(f"{loaded.path}: there is no edition {version!r} (editions: {known}); "
                           f"add it to {loaded.path} first")
    releases_dir.mkdir(parents=True, exist_ok=True)
    clear_leftovers(releases_dir)
    alias = releases_dir / LATEST
    if alias.exists() and not alias.is_symlink():
        raise PublishError(f"{alias} is not the `{LATEST}` alias (a symlink) the publish writes: move it away, "
                           "then publish again. Nothing was changed")
    try:
        sync_index(releases_dir)
    except OSError as exc:
        raise PublishError(f"{releases_dir}: {exc}; nothing was changed") from None
    target = releases_dir / version
    if target.exists() or target.is_symlink():
        raise PublishError(f"{target}: edition {version} ({edition.label.zh}) is already published, and a "
                           "published edition never changes; nothing was changed. To correct it, add the next "
                           f"edition to {loaded.path} and publish that")
    if edition.version != editions.working.version:
        raise PublishError(f"{loaded.path}: the working copy is edition {editions.working.version} (the last one "
                           f"listed), not {version}; only the working copy can be published. Nothing was changed")
    if problems := not_ready(editions_file.parent, project):
        raise PublishError("the working copy is not ready, nothing was published (finish these first; "
                           "--allow-warnings does not cover them):\n  " + "\n  ".join(problems))
    stage = stage_dir(releases_dir, version)
    try:
        status = build(stage)
        if status != 0 or not (stage / "index.html").is_file():
            raise PublishError(f"the build of edition {version} failed (see above); nothing was published. "
                               "If it stopped only on warnings, fix them, or publish with --allow-warnings "
                               "once a reviewer has accepted each one")
        snapshot = json.loads((stage / SNAPSHOT_PATH).read_text(encoding="utf-8"))
        if problems := unfinished(snapshot):
            raise PublishError("these chapters are not ready, nothing was published (finish them, or remove "
                               "them from the working copy):\n  " + "\n  ".join(problems))
        built = snapshot["edition"]
        if not built or built.get("version") != version:
            raise PublishError(f"the build made edition {built and built.get('version')!r}, not {version!r}; "
                               "nothing was published")
        try:
            rename_noreplace(stage, target)
        except FileExistsError:
            raise PublishError(f"{target}: another publish of edition {version} finished first; "
                               "nothing was changed") from None
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
    return Published(edition, target, sync_index(releases_dir))
