"""The live preview's memory: what the last build in this process computed, found again by the digest of
everything it was computed from.

`make serve` (`mkdocs serve`) builds the whole site again after every edit. At 500 chapters that is ~25 s,
most of it spent computing, for the ~1,000 pages that did not change, exactly what the previous build
computed. A ``Memo`` kept by the manual plugin for the life of the server remembers, per step, the result
under a key that is the SHA-256 of all of that step's inputs, so a rebuild recomputes only the steps whose
inputs changed and the output is, by construction, the output of a full build:

- ``chapter``: a chapter file's load (front matter, positions, diagnostics): its path and bytes;
- ``check-chapter`` / ``check-translation``: a chapter's checks: its versions' digests and what the checks
  read from the rest of the manual (groups, references, the chapter ids, the date; ``chapter_context``);
- ``chapter-page``: a chapter page's Markdown: the chapter in every language, the titles of its related
  chapters, its edition badges and the manual's shared data files (``Renderer``);
- ``markdown``: a page's HTML, table of contents and anchors: its Markdown after every plugin, its URL,
  the site's file list and the Markdown configuration (the adapter);
- ``template``: a page's finished HTML: its content, title, table of contents, meta, URL, neighbours, its
  language's navigation and the theme context (the adapter).

Edit one chapter and the keys that change are those of its own pages and of the pages that show its items:
the quick-reference pages and the home page's symptom grid (generated from every chapter, so always
computed) and the chapters that list it as related; a changed title changes its language's navigation,
so every page of that language gets its template again (the Markdown is still remembered). A change to
mkdocs.yml, the theme or a shared data file changes the keys of everything: a full build.

Entries not used by a build are dropped after it (``sweep``), so memory holds one build's results.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def digest(*parts: object) -> str:
    """SHA-256 of the parts (bytes as they are, anything else as its ``str``), each length-prefixed."""
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def tree_digest(folder: Path, *, skip: Iterable[str] = ()) -> str:
    """Digest of every file under ``folder`` (relative path and bytes), leaving out the sub-folders ``skip``."""
    skipped = tuple(f"{name}/" for name in skip)
    parts: list[object] = []
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = path.relative_to(folder).as_posix()
            if not relative.startswith(skipped):
                parts += [relative, path.read_bytes()]
    return digest(*parts)


class Memo:
    """Results by (kind, key), for the life of one preview server."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], object] = {}
        self._used: set[tuple[str, str]] = set()
        self.hits: Counter[str] = Counter()
        self.misses: Counter[str] = Counter()

    def get(self, kind: str, key: str) -> object | None:
        found = self._entries.get((kind, key))
        if found is None:
            self.misses[kind] += 1
        else:
            self.hits[kind] += 1
            self._used.add((kind, key))
        return found

    def put(self, kind: str, key: str, value: object) -> None:
        self._entries[(kind, key)] = value
        self._used.add((kind, key))

    def remember(self, kind: str, key: str, compute: Callable[[], T]) -> T:
        found = self.get(kind, key)
        if found is None:
            found = compute()
            self.put(kind, key, found)
        return found  # type: ignore[return-value]

    def sweep(self) -> str:
        """Forget what this build did not use; returns a one-line summary of the build's hits."""
        self._entries = {key: value for key, value in self._entries.items() if key in self._used}
        summary = ", ".join(f"{kind} {self.hits[kind]}/{self.hits[kind] + self.misses[kind]}"
                            for kind in sorted(set(self.hits) | set(self.misses)))
        self._used = set()
        self.hits.clear()
        self.misses.clear()
        return summary

    def __len__(self) -> int:
        return len(self._entries)


def remembered(memo: Memo | None, kind: str, key: Callable[[], str], compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned for the same key in an earlier build (no memo: always computed)."""
    if memo is None:
        return compute()
    return memo.remember(kind, key(), compute)
