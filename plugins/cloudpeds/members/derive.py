"""A member's site from the pages built once with slots (before the delivery step): every page's slots filled
with the member's blocks, the member section added to the bedside data, the logo copied. The delivery step
(hashed names, service worker, CSP, precompression) then runs on the result as on any build.

Stdlib, the members package and the bedside data's script form (`clinical.export.script_text`): the build
adapter (`cloudpeds.adapters.members`) drives it.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
from collections.abc import Callable
from pathlib import Path

from ..clinical.export import script_text
from ..i18n import LANGUAGE_NAMES
from ..parallel import map_chunked
from . import slots

#: Files that a later step rewrites in place (the delivery step's references to hashed names, in
#: `delivery.fingerprint.REWRITTEN`; the pages, filled here): copied. Every other file may be a hard link to the
#: kept one (search index, bedside data, pictures, videos), which saves writing them once per member.
_REWRITTEN = (".html", ".css", ".webmanifest")
_WRITTEN_BY_DELIVERY = {"sw.js", "_headers", "manifest.webmanifest"}
#: The bedside data (cloudpeds.clinical.export.EXPORT_DIR).
CLINICAL_DIR = "clinical"
Filler = Callable[[str, str, str, "str | None", "str | None"], str]


def root_of(relative: str) -> str | None:
    """The relative path from a page to the site's root (``manual/fever/index.html`` → ``../../``); None for the
    404 page, which servers show at any depth."""
    if relative == "404.html":
        return None
    depth = relative.count("/")
    return "../" * depth


def fill_page(text: str, relative: str, filler: Filler) -> str:
    root = root_of(relative)
    return slots.fill(text, lambda kind, lang, key, inner: filler(kind, lang, key, inner, root))


def _copy_tree(template: Path, target: Path) -> list[str]:
    """Copy everything but the pages; return the pages' paths (relative, POSIX)."""
    pages: list[str] = []
    for folder, dirs, files in os.walk(template):
        dirs.sort()
        rel_folder = Path(folder).relative_to(template)
        (target / rel_folder).mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            rel = (rel_folder / name).as_posix()
            source, dest = Path(folder) / name, target / rel_folder / name
            if name.endswith(".html"):
                pages.append(rel)
            else:
                _link_or_copy(source, dest)
    return pages


def derive_site(template: Path, target: Path, filler: Filler, *, chapter_data: Callable[[str], dict] | None = None,
                logo: tuple[Path, str] | None = None, jobs: int = 1) -> int:
    """Write ``target`` (an empty folder) from ``template``: pages with their slots filled by ``filler(kind, lang,
    key, generic content, root)``; ``clinical/<chapter>.json`` with ``chapter_data(chapter)`` as ``member``; the
    logo ``(source, site path)``. Returns the number of pages."""
    pages = _copy_tree(template, target)

    def fill_chunk(rels: list[str]) -> int:
        for rel in rels:
            text = (template / rel).read_text(encoding="utf-8")
            (target / rel).write_text(fill_page(text, rel, filler), encoding="utf-8")
        return len(rels)

    chunks = [pages[i:i + 32] for i in range(0, len(pages), 32)]
    map_chunked(fill_chunk, chunks, jobs)
    if chapter_data is not None:
        for path in sorted((target / CLINICAL_DIR).glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and "chapter" in data:
                data["member"] = chapter_data(data["chapter"])
                # a new file, not a write through the hard link to the kept one
                fresh = path.with_name(path.name + ".member")
                text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
                fresh.write_text(text, encoding="utf-8")
                os.replace(fresh, path)
                # The same data as the script the pages load (clinical/<chapter>.js: works from file:// too).
                script = path.with_suffix(".js")
                if script.exists():
                    fresh = script.with_name(script.name + ".member")
                    fresh.write_text(script_text(data["chapter"], text, tuple(LANGUAGE_NAMES)), encoding="utf-8")
                    os.replace(fresh, script)
    if logo is not None:
        source, site_path = logo
        dest = target / posixpath.normpath(site_path)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
    return len(pages)


def _link_or_copy(source: str | Path, dest: str | Path) -> None:
    """A hard link for a file that no later step rewrites in place (a copy across file systems), else a copy."""
    name = Path(source).name
    if not name.lower().endswith(_REWRITTEN) and name not in _WRITTEN_BY_DELIVERY:
        try:
            os.link(source, dest)
            return
        except OSError:  # another file system (EXDEV), or links not supported
            pass
    shutil.copy2(source, dest)


def keep_template(site: Path, template: Path) -> None:
    """A copy of the built pages (before the delivery step rewrites them in place) to derive the members from;
    the files that nothing rewrites in place as hard links."""
    shutil.copytree(site, template, symlinks=True, copy_function=_link_or_copy)


def strip_slots(site: Path, jobs: int = 1) -> None:
    """The generic site: every slot emptied (a wrapping slot keeps its generic content), in place."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))

    def strip_chunk(rels: list[str]) -> int:
        for rel in rels:
            path = site / rel
            text = path.read_text(encoding="utf-8")
            if "<!--cp-slot:" in text:
                path.write_text(slots.fill(text, slots.empty), encoding="utf-8")
        return len(rels)

    map_chunked(strip_chunk, [pages[i:i + 32] for i in range(0, len(pages), 32)], jobs)
