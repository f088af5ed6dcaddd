"""Flowchart logic rules (CP4xx), evaluated by enumerating the answers a chart allows, not by patterns.

For each age band of the chapter a decision node may take:
- only its Yes exit when a sign linked to it is present (the scenario of a rule),
- only its No exit when none of its linked signs applies at that age (the sign cannot be present),
- any exit otherwise.
CP401: with a red sign present, every reachable disposition must be an emergency (or the level of the
sign's referral when the sign gives a ``triage_reason``). CP402: a home or observe disposition must not be
reachable at an age where no green sign of the chapter applies. CP403: text that names an urgency level for
an item it links (flowchart node → referral, a referral's time frame, a body paragraph linking an item) must
name the item's level.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Diagnostic, error
from ..flowchart.fences import find_fences
from ..flowchart.graph import DISPOSITIONS, Graph
from .evaluate import NO, YES, level_of_kind, parsed_chart
from .types import waived
from .urgency import BY_ID

HOME_LIKE = frozenset({"home", "observe"})

#: Words that name a level, per language; matched case-insensitively in node texts and item texts.
LEVEL_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "emergency": ("emergency referral", "as an emergency", "refer immediately", "immediately by 120"),
        "urgent": ("same day", "same-day", "urgent referral", "within 24 hours"),
        "routine": ("routine referral", "planned referral"),
        "home": ("home care",),
    },
    "zh": {
        "emergency": ("紧急转诊", "立即转诊"),
        "urgent": ("当天", "尽快转诊", "24 小时内", "24小时内"),
        "routine": ("常规转诊", "择期转诊"),
        "home": ("居家照护",),
    },
}
_LINK = re.compile(r"\]\(#(?P<id>[a-z0-9-]+)\)")


def overlaps(band, other) -> bool:
    return band.start.days < other.end.days - 1e-9 and other.start.days < band.end.days - 1e-9


def exit_label(label: str | None) -> str:
    return (label or "").strip().lower().rstrip("?？。.")


def allowed_exits(graph: Graph, node_id: str, applies: set[str], sign_ids: set[str], forced: frozenset[str]):
    """``forced``: the nodes that must answer Yes (they are linked to the sign present)."""
    exits = graph.exits(node_id)
    linked = [link for link in graph.nodes[node_id].links if link in sign_ids]
    if len(exits) < 2 or not linked:
        return exits
    if node_id in forced:
        chosen = [edge for edge in exits if exit_label(edge.label) in YES]
        return chosen or exits
    if not any(link in applies for link in linked):
        chosen = [edge for edge in exits if exit_label(edge.label) in NO]
        return chosen or exits
    return exits


def terminals(graph: Graph, applies: set[str], sign_ids: set[str], forced: frozenset[str] = frozenset()
              ) -> dict[str, list[str]]:
    """Disposition node id → one path (node ids) that reaches it under these answers."""
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    stack = [[graph.start]] if graph.start else []
    while stack:
        path = stack.pop()
        node_id = path[-1]
        node = graph.nodes.get(node_id)
        if node is None:
            continue
        if node.kind in DISPOSITIONS:
            found.setdefault(node_id, path)
            continue
        if node_id in seen:
            continue
        seen.add(node_id)
        for edge in reversed(allowed_exits(graph, node_id, applies, sign_ids, forced)):
            if edge.target not in path:
                stack.append([*path, edge.target])
    return found


def chapter_charts(chapter) -> Iterator[tuple[Graph, int]]:
    """(graph, line of the fence's first source line in the file) for every chart that parses."""
    for fence in find_fences(chapter.body):
        graph = parsed_chart(fence.source)
        if graph is not None:
            yield graph, chapter.body_line + fence.first_line


def check_flow_logic(chapter) -> Iterator[Diagnostic]:
    meta = chapter.meta
    sign_ids = {sign.id for sign in meta.danger_signs}
    referral_level = {r.id: r.urgency for r in meta.referrals}
    for graph, first_line in chapter_charts(chapter):
        yield from _red_signs_reach_emergency(chapter, graph, sign_ids)
        yield from _no_home_without_green(chapter, graph, sign_ids, first_line)
        yield from _node_words(chapter, graph, referral_level, first_line)
    yield from _item_words(chapter, referral_level)


def _applies(meta, band) -> set[str]:
    return {sign.id for sign in meta.danger_signs if any(overlaps(band, b) for b in sign.age_bands)}


def _expected_rank(meta, sign) -> int:
    if not sign.triage_reason:
        return 0
    levels = [BY_ID[r.urgency].rank for r in meta.referrals if sign.id in r.signs]
    return min(levels, default=0)


def _red_signs_reach_emergency(chapter, graph: Graph, sign_ids: set[str]) -> Iterator[Diagnostic]:
    meta = chapter.meta
    applies = [_applies(meta, band) for band in meta.age_bands]
    # Signs linked to the same nodes constrain the chart the same way: enumerate once per (band, nodes).
    cache: dict[tuple[int, frozenset[str]], dict[str, list[str]]] = {}
    for index, sign in enumerate(meta.danger_signs):
        if sign.triage != "red" or waived(sign, "CP401"):
            continue
        expected = _expected_rank(meta, sign)
        forced = frozenset(node.id for node in graph.nodes.values() if sign.id in node.links)
        for band_index, band in enumerate(meta.age_bands):
            if not any(overlaps(band, b) for b in sign.age_bands):
                continue
            key = (band_index, forced)
            if key not in cache:
                cache[key] = terminals(graph, applies[band_index] | {sign.id}, sign_ids, forced)
            reached = cache[key]
            bad = {node_id: path for node_id, path in reached.items()
                   if BY_ID[level_of_kind(graph.nodes[node_id].kind)].rank > expected}
            if bad:
                node_id, path = sorted(bad.items())[0]
                level = level_of_kind(graph.nodes[node_id].kind)
                want = "an emergency disposition" if expected == 0 else f"a {BY_ID[_rank_id(expected)].id} disposition"
                line, col = chapter.where(("danger_signs", index, "id"))
                yield error(chapter.path, line, col, f"danger_signs[{index}].id",
                            f"red sign {sign.id!r} at ages {band}: the flowchart path {' → '.join(path)} ends in "
                            f"{level} (node {node_id}), not in {want}",
                            f'link the sign to the first decision that checks it (click NODE "#{sign.id}") and '
                            f"send its Yes exit to an emergency node, before any node that can end at home",
                            code="CP401")
                break


def _rank_id(rank: int) -> str:
    return next(level for level, spec in BY_ID.items() if spec.rank == rank)


def _no_home_without_green(chapter, graph: Graph, sign_ids: set[str], first_line: int) -> Iterator[Diagnostic]:
    meta = chapter.meta
    greens = [sign for sign in meta.danger_signs if sign.triage == "green"]
    reported: set[str] = set()
    for band in meta.age_bands:
        if any(overlaps(band, b) for sign in greens for b in sign.age_bands):
            continue
        reached = terminals(graph, _applies(meta, band), sign_ids)
        for node_id, path in sorted(reached.items()):
            node = graph.nodes[node_id]
            level = level_of_kind(node.kind)
            if level not in HOME_LIKE or node_id in reported or _waived_node(meta, node):
                continue
            reported.add(node_id)
            green_ages = ", ".join(str(b) for sign in greens for b in sign.age_bands) or "no age"
            yield error(chapter.path, first_line + node.line - 1, node.col, "flowchart",
                        f"node {node_id} ({level}) is reachable at ages {band} by the path {' → '.join(path)}, "
                        f"but no green sign applies at these ages (green signs cover: {green_ages})",
                        "ask about the age or the young-infant signs before this node, or link a decision on "
                        "the way to a sign whose age bands exclude these ages", code="CP402")


def _waived_node(meta, node) -> bool:
    items = {item.id: item for item in [*meta.danger_signs, *meta.referrals]}
    return any(waived(items[link], "CP402") for link in node.links if link in items)


def levels_named(text: str, lang: str) -> set[str]:
    words = LEVEL_WORDS.get(lang, LEVEL_WORDS["en"])
    lowered = text.lower()
    return {level for level, phrases in words.items() if any(phrase.lower() in lowered for phrase in phrases)}


def _node_words(chapter, graph: Graph, referral_level: dict[str, str], first_line: int) -> Iterator[Diagnostic]:
    for node in graph.nodes.values():
        linked = [link for link in node.links if link in referral_level]
        if not linked or node.text is None:
            continue
        named = levels_named(node.text, chapter.lang)
        for referral_id in linked:
            wrong = named - {referral_level[referral_id]}
            if wrong and referral_level[referral_id] not in named:
                yield error(chapter.path, first_line + node.line - 1, node.col, "flowchart",
                            f"node {node.id} says {_words(wrong, chapter.lang)} but links {referral_id!r}, "
                            f"whose urgency is {referral_level[referral_id]}",
                            "make the words and the referral's urgency agree", code="CP403")


def _item_words(chapter, referral_level: dict[str, str]) -> Iterator[Diagnostic]:
    meta = chapter.meta
    for index, referral in enumerate(meta.referrals):
        if waived(referral, "CP403"):
            continue
        named = levels_named(referral.time_frame, chapter.lang)
        if named and referral.urgency not in named and referral.urgency in LEVEL_WORDS["en"]:
            line, col = chapter.where(("referrals", index, "time_frame"))
            yield error(chapter.path, line, col, f"referrals[{index}].time_frame",
                        f"referral {referral.id!r} is {referral.urgency} but its time frame says "
                        f"{_words(named, chapter.lang)}", "make the time frame and the urgency agree", code="CP403")
    if "](#" not in chapter.body:
        return
    sign_level = {sign.id: _sign_level(meta, sign) for sign in meta.danger_signs}
    levels = {**sign_level, **referral_level}
    for offset, paragraph in _paragraphs(chapter.body):
        for match in _LINK.finditer(paragraph):
            item_id = match["id"]
            if item_id not in levels:
                continue
            named = levels_named(paragraph, chapter.lang)
            if named and levels[item_id] not in named:
                yield error(chapter.path, chapter.body_line + offset, 1, "body",
                            f"the text linking {item_id!r} says {_words(named, chapter.lang)}, "
                            f"but the item's level is {levels[item_id]}",
                            "make the words and the data agree", code="CP403")


def _sign_level(meta, sign) -> str:
    from .urgency import TRIAGE_LEVEL

    levels = [r.urgency for r in meta.referrals if sign.id in r.signs]
    return min(levels, key=lambda level: BY_ID[level].rank) if levels else TRIAGE_LEVEL[sign.triage]


def _paragraphs(body: str) -> Iterator[tuple[int, str]]:
    lines = body.splitlines()
    start, chunk, fenced = 0, [], False
    for number, line in enumerate(lines):
        if line.strip().startswith(("```", "~~~")):
            fenced = not fenced
        if fenced or not line.strip() or (line.lstrip().startswith(("-", "*", "1.")) and chunk):
            if chunk:
                yield start, " ".join(chunk)
            chunk = []
            if fenced or not line.strip():
                continue
        if not chunk:
            start = number
        chunk.append(line)
    if chunk:
        yield start, " ".join(chunk)


def _words(levels: set[str], lang: str) -> str:
    return " / ".join(sorted(f'"{BY_ID[level].word["en"].lower()}"' for level in levels))
