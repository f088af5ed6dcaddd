"""Content-hashed asset names (``cloudpeds.css`` → ``cloudpeds.3f2a9c1b0d.css``) with every reference rewritten.

A hashed name changes whenever the bytes change, so the policy table lets browsers and CDNs keep such
files for a year (``immutable``) while a correction still shows at once: the page (revalidated) names
the new file.

Which files: CSS, JS, images and fonts under the asset folders (``assets/`` by default: ours and
Material's). A file is renamed only when every reference to it can be rewritten:

- it is referenced from a page, a style sheet or the web app manifest (a file nothing names is left
  alone: whoever loads it builds its URL at run time);
- its name appears in no script as (the end of) a string (``"/x.min.js"``; comments do not count).
  Scripts that build URLs at run time (``root + "/assets/x.min.js"``) cannot be rewritten safely, so such
  a file keeps its name (and is revalidated). Our scripts take such URLs from the page instead
  (search.js reads lunr.js's from ``data-cp-lunr``), where the rewrite finds them;
- its name carries no hash yet (Material's ``main.57a0d79d.min.css``), unless a rewrite inside it
  changed its bytes: then the old hash is replaced by the new one.

References are rewritten in HTML, CSS and ``.webmanifest`` files: any relative URL (attribute, ``url()``,
``srcset``, JSON string) that resolves to a renamed file. Style sheets are rewritten before they are
hashed, in dependency order, so a style sheet's hash covers the names of the images it uses. Scripts
are never rewritten. The result is deterministic: names come from the content only.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path, PurePosixPath

from ..parallel import map_chunked
from .files import served_files

#: Suffixes of files that may get a hashed name.
HASHABLE = (".css", ".js", ".mjs", ".svg", ".png", ".webp", ".jpg", ".jpeg", ".gif", ".ico", ".woff2", ".woff")
#: Files whose references are rewritten (text in UTF-8).
REWRITTEN = (".html", ".css", ".webmanifest")
SCRIPTS = (".js", ".mjs")
HASH_LENGTH = 10
_HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}(?=\.)")


def is_hashed(name: str) -> bool:
    """True for a name that already carries a content hash (``main.57a0d79d.min.css``)."""
    return _HASHED_NAME.search(PurePosixPath(name).name) is not None


def hashed_name(rel: str, data: bytes) -> str:
    """``rel`` with the SHA-256 of ``data`` (first 10 hex digits) before its last suffix; an existing hash is
    replaced."""
    path = PurePosixPath(rel)
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    if is_hashed(path.name):
        return str(path.with_name(_HASHED_NAME.sub("." + digest, path.name, count=1)))
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


#: Characters that end a URL after a file name, and that start one (before its first character).
_URL_END = frozenset("?#\"' \t\r\n)<>,\\")
_URL_START = frozenset("\"' \t\r\n(=,<>)\\")


def _url_start(text: str, at: int) -> int:
    """Where the URL that contains position ``at`` of ``text`` begins."""
    while at > 0 and text[at - 1] not in _URL_START:
        at -= 1
    return at


class _Reference:
    """One relative URL found in a text, shaped like a regex match (``group(1)``)."""

    __slots__ = ("end", "start", "url")

    def __init__(self, start: int, end: int, url: str) -> None:
        self.start, self.end, self.url = start, end, url

    def group(self, _: int = 1) -> str:
        return self.url


class _ReferenceFinder:
    """Finds relative URLs (as written: ``../../assets/x.css``, ``x.css?v=1``) that end in one of ``names``.

    ``str.find`` for each name, then a walk back to the URL's start: a whole site's HTML is hundreds of
    megabytes at 500 chapters, which a regular expression tried at every position scanned ten times slower."""

    def __init__(self, names: set[str]) -> None:
        self.names = sorted(names, key=len, reverse=True)

    def finditer(self, text: str) -> list[_Reference]:
        found: dict[int, _Reference] = {}
        size = len(text)
        for name in self.names:
            at = text.find(name)
            while at != -1:
                end = at + len(name)
                if (end == size or text[end] in _URL_END) and (at == 0 or text[at - 1] == "/"
                                                             or text[at - 1] in _URL_START):
                    start = _url_start(text, at)
                    if start not in found:  # a longer name ending here was found first
                        found[start] = _Reference(start, end, text[start:end])
                at = text.find(name, end)
        return [found[start] for start in sorted(found)]

    def sub(self, replace, text: str) -> str:
        pieces, last = [], 0
        for reference in self.finditer(text):
            pieces += [text[last:reference.start], replace(reference)]
            last = reference.end
        return "".join(pieces) + text[last:] if pieces else text


class _FolderReferenceFinder(_ReferenceFinder):
    """The references that `_ReferenceFinder` finds into the asset ``folders``, for a file outside them.

    From outside a folder, a relative or absolute URL that leads into it names it (``../../assets/x.css``),
    so one ``str.find`` per folder replaces one per asset name: a page has a handful of such URLs but
    there are a hundred names, and 500 chapters make 200 MB of pages."""

    def __init__(self, names: set[str], folders: tuple[str, ...]) -> None:
        super().__init__(names)
        self.name_set = frozenset(names)
        self.markers = tuple(f"{folder}/" for folder in folders)

    def finditer(self, text: str) -> list[_Reference]:
        found: dict[int, _Reference] = {}
        size = len(text)
        for marker in self.markers:
            at = text.find(marker)
            while at != -1:
                start, end = _url_start(text, at), at + len(marker)
                while end < size and text[end] not in _URL_END:
                    end += 1
                url = text[start:end]
                if url.rpartition("/")[2] in self.name_set and start not in found:
                    found[start] = _Reference(start, end, url)
                at = text.find(marker, end)
        return [found[start] for start in sorted(found)]


def _reference_pattern(names: set[str]) -> _ReferenceFinder:
    """What finds the references to ``names`` in a page, style sheet or manifest."""
    return _ReferenceFinder(names)


def _resolve(source: str, reference: str, base_path: str = "/") -> str | None:
    """The site-relative path that a reference in ``source`` points to: relative, or absolute under
    ``base_path`` (MkDocs writes the 404 page with absolute URLs); None for other hosts and paths."""
    if reference.startswith(("//", "#")) or re.match(r"[a-zA-Z][\w+.-]*:", reference):
        return None
    if reference.startswith("/"):
        if not reference.startswith(base_path):
            return None
        return posixpath.normpath(reference[len(base_path):])
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), reference))


def rewrite_references(source: str, text: str, renamed: dict[str, str],
                       pattern: _ReferenceFinder | None = None, base_path: str = "/") -> str:
    """``text`` (of the site file ``source``) with every relative reference to a key of ``renamed`` pointing
    at the new name instead."""
    if not renamed:
        return text
    pattern = pattern or _reference_pattern({PurePosixPath(rel).name for rel in renamed})

    def replace(match: _Reference) -> str:
        reference = match.group(1)
        target = _resolve(source, reference, base_path)
        if target is None or target not in renamed:
            return reference
        return reference[: len(reference) - len(PurePosixPath(target).name)] + PurePosixPath(renamed[target]).name

    return pattern.sub(replace, text)


def _candidates(site_dir: Path, files: list[str], folders: tuple[str, ...], base_path: str) -> set[str]:
    assets = {rel for rel in files if rel.lower().endswith(HASHABLE) and rel.split("/", 1)[0] in folders}
    names = {PurePosixPath(rel).name for rel in assets}
    in_scripts: set[str] = set()
    for rel in files:
        if rel.lower().endswith(SCRIPTS):
            text = (site_dir / rel).read_text(encoding="utf-8", errors="replace")
            in_scripts |= {name for name in names if name != PurePosixPath(rel).name and name in text
                           and re.search(r"[\"'`/]" + re.escape(name), text)}
    referenced: set[str] = set()
    pattern = _reference_pattern(names) if names else None
    outside = _FolderReferenceFinder(names, folders)
    for rel in files:
        if pattern and rel.lower().endswith(REWRITTEN):
            text = (site_dir / rel).read_text(encoding="utf-8")
            finder = pattern if rel.split("/", 1)[0] in folders else outside
            for match in finder.finditer(text):
                target = _resolve(rel, match.group(1), base_path)
                if target in assets:
                    referenced.add(target)
    return {rel for rel in referenced if PurePosixPath(rel).name not in in_scripts}


def _css_order(site_dir: Path, sheets: list[str], pattern: _ReferenceFinder | None, base_path: str) -> list[str]:
    """Style sheets, each after the ones it imports."""
    imports: dict[str, set[str]] = {}
    for rel in sheets:
        text = (site_dir / rel).read_text(encoding="utf-8")
        found = {_resolve(rel, m.group(1), base_path) for m in pattern.finditer(text)} if pattern else set()
        imports[rel] = {target for target in found if target in sheets and target != rel}
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(rel: str) -> None:
        if rel in ordered or rel in visiting:
            return
        visiting.add(rel)
        for other in sorted(imports[rel]):
            visit(other)
        ordered.append(rel)

    for rel in sheets:
        visit(rel)
    return ordered


def fingerprint(site_dir: Path, folders: tuple[str, ...] = ("assets",), base_path: str = "/",
                jobs: int = 1) -> dict[str, str]:
    """Rename the site's hashable assets to content-hashed names and rewrite the references; return
    ``{old path: new path}`` (site-relative, sorted). ``base_path`` is the URL path the site is served
    under, for absolute references. See the module docstring for which files."""
    base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    files = served_files(site_dir)
    candidates = _candidates(site_dir, files, folders, base_path)
    renamed: dict[str, str] = {}
    for rel in sorted(candidates):
        if rel.lower().endswith(".css") or is_hashed(rel):
            continue
        renamed[rel] = hashed_name(rel, (site_dir / rel).read_bytes())
    sheets = sorted(rel for rel in files if rel.lower().endswith(".css"))
    all_names = {PurePosixPath(rel).name for rel in candidates | set(sheets)}
    pattern = _reference_pattern(all_names) if all_names else None
    for rel in _css_order(site_dir, sheets, pattern, base_path):
        path = site_dir / rel
        before = path.read_text(encoding="utf-8")
        after = rewrite_references(rel, before, renamed, _reference_pattern(
            {PurePosixPath(r).name for r in renamed}) if renamed else None, base_path)
        if after != before:
            path.write_text(after, encoding="utf-8")
        stale_hash = after != before and is_hashed(rel) and rel.split("/", 1)[0] in folders
        if (rel in candidates and not is_hashed(rel)) or stale_hash:
            renamed[rel] = hashed_name(rel, after.encode("utf-8"))
    for old, new in renamed.items():
        (site_dir / old).rename(site_dir / new)
    if renamed:
        final_names = {PurePosixPath(rel).name for rel in renamed}
        final, outside = _reference_pattern(final_names), _FolderReferenceFinder(final_names, folders)

        def rewrite(rel: str) -> None:
            path = site_dir / rel
            text = path.read_text(encoding="utf-8")
            finder = final if rel.split("/", 1)[0] in folders else outside
            updated = rewrite_references(rel, text, renamed, finder, base_path)
            if updated != text:
                path.write_text(updated, encoding="utf-8")

        map_chunked(rewrite, [rel for rel in files if rel.lower().endswith((".html", ".webmanifest"))], jobs)
    return dict(sorted(renamed.items()))
