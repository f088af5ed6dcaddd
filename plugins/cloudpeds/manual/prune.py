"""When every page's navigation shows only the open group (Material's ``navigation.prune``).

Each page carries the site's navigation. With every chapter listed, a 500-chapter manual's pages weigh
200 KB each (the chapter's own content is a quarter of that), the site 216 MB, and the service worker
precaches all of it on a phone's first visit; pruned, a page lists its own group's chapters and links to
the other groups, and weighs 76 KB. A reader of a small manual keeps the whole list, which is easier to
browse; past `PRUNE_FROM` chapters in a language the list is too long to browse on a phone anyway, and
search and the home page's symptom grid are the way in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from .loader import CHAPTER_FILE

Setting = Literal["auto", "always", "never"]
#: Chapters in one language from which ``auto`` prunes.
PRUNE_FROM = 60


def chapter_counts(manual_dir: Path) -> dict[str, int]:
    """Chapter files per language in ``manual_dir/chapters`` (by name only: counted before the manual loads)."""
    counts: dict[str, int] = {}
    for path in (manual_dir / "chapters").glob("*.md"):
        if name := CHAPTER_FILE.match(path.name):
            counts[name["lang"]] = counts.get(name["lang"], 0) + 1
    return counts


def prunes(setting: Setting, counts: dict[str, int]) -> bool:
    """Whether the navigation is pruned: ``always``, ``never``, or ``auto`` (from `PRUNE_FROM` chapters in a
    language)."""
    if setting == "auto":
        return max(counts.values(), default=0) >= PRUNE_FROM
    return setting == "always"
