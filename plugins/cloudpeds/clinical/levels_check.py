"""Safety rules of the one urgency scale (CP1xx), checked on each chapter by ``cloudpeds check``.

- **CP101**: a flowchart node linked (``click N "#ref-id"``) to a referral draws that referral's level:
  a node of another kind (another level, or a step that is no disposition) contradicts the card the
  reader lands on. Reported at the ``click`` line inside the fence.
- **CP102**: a red danger sign calls for an emergency. Routed only to referrals of other levels (or to
  none), it needs a ``triage_reason`` that says why; the page shows that reason beside the sign.

Pure domain code: it reads a loaded chapter (front matter with positions, body with its flowchart fences).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, error
from ..flowchart.fences import find_fences
from ..flowchart.parse import parse as parse_chart
from .urgency import BY_ID, TRIAGE_LEVEL

if TYPE_CHECKING:
    from ..manual.loader import Chapter


def _kind_level(kind: str) -> str:
    """The level a node kind draws (``treat`` is the old name of ``treat-home``), or the kind itself."""
    return "treat-home" if kind == "treat" else kind


def _word(level_id: str) -> str:
    level = BY_ID.get(level_id)
    return f"{level.shape} {level.word['en']} ({level_id})" if level else level_id


def check_chapter(chapter: Chapter) -> Iterator[Diagnostic]:
    yield from node_levels(chapter)
    yield from red_sign_routes(chapter)


def node_levels(chapter: Chapter) -> Iterator[Diagnostic]:
    """CP101: a node linked to a referral has that referral's level as its kind."""
    referrals = {referral.id: referral for referral in chapter.meta.referrals}
    for fence in find_fences(chapter.body):
        graph, parse_errors = parse_chart(fence.source)
        if parse_errors:
            continue  # reported by the flowchart check
        for node in graph.nodes.values():
            kind = _kind_level(node.kind)
            for link in node.links:
                referral = referrals.get(link)
                if referral is None or referral.urgency == kind:
                    continue
                line, col = node.link_positions.get(link, (node.line, node.col))
                yield error(
                    chapter.path, chapter.body_line + fence.first_line + line - 1, col + fence.indent, "flowchart",
                    f"node {node.id} is drawn as {_word(kind)} but links to referral {referral.id!r}, "
                    f"which is {_word(referral.urgency)}",
                    f"make the node `:::{referral.urgency}`, or link it to a referral of its own level",
                    code="CP101")


def red_sign_routes(chapter: Chapter) -> Iterator[Diagnostic]:
    """CP102: a red sign reaches an emergency referral, or says why not (``triage_reason``)."""
    meta = chapter.meta
    levels_of: dict[str, list[str]] = {}
    for referral in meta.referrals:
        for sign_id in referral.signs:
            levels_of.setdefault(sign_id, []).append(referral.urgency)
    for index, sign in enumerate(meta.danger_signs):
        wanted = TRIAGE_LEVEL[sign.triage]
        if sign.triage != "red" or sign.triage_reason or wanted in levels_of.get(sign.id, []):
            continue
        routed = levels_of.get(sign.id)
        where = (f"only to {', '.join(sorted({_word(level) for level in routed}))} referrals" if routed
                 else "to no referral")
        line, col = chapter.where(("danger_signs", index, "id"))
        yield error(
            chapter.path, line, col, f"danger_signs[{index}].id",
            f"red danger sign {sign.id!r} is routed {where}; red calls for {_word(wanted)}",
            "add it to the `signs` of the emergency referral, or write `triage_reason:` saying why it is "
            "referred at another level (readers see the reason beside the sign)",
            code="CP102")
