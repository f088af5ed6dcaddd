"""Slots: where a member's blocks go in pages built once for every member.

``cloudpeds build --site`` builds the site once with a slot (an HTML comment) at each place a member's
blocks go, and derives each member's site from those pages by filling the slots (`cloudpeds.members.derive`).
A slot is ``<!--cp-slot:KIND:LANG:KEY-->``; a slot that wraps the generic block (a dose table, re-rendered
with the member's stocked formulations) ends at ``<!--/cp-slot-->``. Stdlib only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable

#: An empty slot, or a wrapping slot with its generic content.
SLOT = re.compile(r"<!--cp-slot:dose:(?P<dlang>[A-Za-z-]+):(?P<dkey>[^>]*?)-->\n?(?P<inner>.*?)\n?<!--/cp-slot-->"
                  r"|<!--cp-slot:(?P<kind>[a-z]+):(?P<lang>[A-Za-z-]+)(?::(?P<key>[^>]*?))?-->", re.DOTALL)
#: Kinds of slot: the banner on every page, a referral card's route, a level's route on the quick-reference
#: page, the notes after an item, a dose (wrapping).
KINDS = ("banner", "route", "level", "note", "dose")
#: The act-now block's element id (manual/templates/act_now.html.j2): it gets the member's emergency route.
ACT_NOW = "act-now"


def slot(kind: str, lang: str, key: str = "") -> str:
    return f"<!--cp-slot:{kind}:{lang}:{key}-->"


def _closing_index(text: str, start: int, tag: str) -> int | None:
    """Where the element whose start tag begins at ``start`` is closed (index of its ``</tag>``)."""
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>", re.IGNORECASE)
    depth = 0
    for match in pattern.finditer(text, start):
        depth += -1 if match[1] else 1
        if depth == 0:
            return match.start()
    return None


def _element(text: str, item_id: str) -> tuple[int, int, str] | None:
    """(start, index of the closing tag, tag) of the first element with ``id="item_id"``."""
    match = re.search(rf'<([a-z][a-z0-9]*)\b[^>]*\sid="{re.escape(item_id)}"', text)
    if match is None:
        return None
    end = _closing_index(text, match.start(), match[1])
    return (match.start(), end, match[1]) if end is not None else None


def mark_items(text: str, lang: str, notes: Collection[str], routes: Iterable[str], doses: Iterable[str]) -> str:
    """``text`` with a note slot at the end of each item of ``notes`` (ids), a route slot at the end of each
    referral of ``routes``, and each dose of ``doses`` wrapped in a dose slot."""
    doses = set(doses)
    for dose_id in doses:  # a dose's notes follow its block, outside the wrapping slot
        found = _element(text, dose_id)
        if found:
            start, end, tag = found
            close = end + len(f"</{tag}>")
            # On lines of their own: Markdown keeps a comment that starts a line apart from the block after it.
            text = (f"{text[:start]}{slot('dose', lang, dose_id)}\n{text[start:close]}\n<!--/cp-slot-->"
                    f"{slot('note', lang, dose_id) if dose_id in notes else ''}{text[close:]}")
    for item_id in routes:  # the route near the top of its card: after the card's heading
        found = _element(text, item_id)
        if found:
            start, end, _ = found
            heading = re.compile(r"</h[1-6]>").search(text, start, end)
            at = heading.end() if heading else end
            text = f"{text[:at]}{slot('route', lang, item_id)}{text[at:]}"
    for item_id in [i for i in notes if i not in doses]:
        found = _element(text, item_id)
        if found:
            _, end, _ = found
            text = f"{text[:end]}{slot('note', lang, item_id)}{text[end:]}"
    found = _element(text, ACT_NOW)  # the first minutes: where this member sends an emergency, at the end
    if found:
        _, end, _ = found
        text = f"{text[:end]}{slot('level', lang, 'emergency')}{text[end:]}"
    return text


def fill(text: str, block: Callable[[str, str, str, str | None], str]) -> str:
    """Every slot replaced by ``block(kind, lang, key, inner)`` (``inner``: a wrapping slot's generic content)."""
    if "<!--cp-slot:" not in text:
        return text
    def one(match: re.Match[str]) -> str:
        if match["dkey"] is not None:
            return block("dose", match["dlang"], match["dkey"], match["inner"])
        return block(match["kind"], match["lang"], match["key"] or "", None)
    return SLOT.sub(one, text)


def empty(kind: str, lang: str, key: str, inner: str | None) -> str:
    """The generic site's filling: nothing, or the generic block."""
    return inner or ""
