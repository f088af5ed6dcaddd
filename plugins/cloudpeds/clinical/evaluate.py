"""The evaluator: what a chapter's data decides for one child.

Given age, weight, measures and findings it returns the danger signs met, the triage colour, the referral,
the flowchart path (decision nodes answered from their linked signs), the urgency level of the disposition
reached, and the doses. Pure Python: the case runner, ``cloudpeds assess``, the safety rules and the
browser's JSON export all use it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..flowchart.graph import DISPOSITIONS, Edge, Graph
from .doses import DoseResult, dose_for
from .findings import Vocabulary, compare
from .urgency import BY_ID, LEVEL_IDS, TRIAGE_LEVEL

YES = frozenset({"yes", "y", "是", "有", "是的", "符合"})
NO = frozenset({"no", "n", "否", "无", "没有", "不是", "不符合"})
TRIAGE_RANK = {"red": 0, "amber": 1, "green": 2, "none": 3}


@dataclass(frozen=True)
class Child:
    """One child: age in days, weight in kg, measures in the vocabulary's default units, finding codes."""

    age_days: float
    weight_kg: float | None = None
    measures: Mapping[str, float] = field(default_factory=dict)
    findings: frozenset[str] = frozenset()


@dataclass
class Evaluation:
    signs: list[str]
    #: Red and amber signs that apply at this age but have no findings or thresholds to evaluate.
    unevaluated: list[str]
    triage: str
    referral: str | None
    path: list[str]
    urgency: str | None
    doses: list[DoseResult]

    def as_dict(self) -> dict:
        return {"triage": self.triage, "urgency": self.urgency, "referral": self.referral,
                "signs": self.signs, "path": self.path, "doses": [d.as_dict() for d in self.doses],
                "unevaluated": self.unevaluated}


def level_of_kind(kind: str) -> str | None:
    kind = "treat-home" if kind == "treat" else kind
    return kind if kind in LEVEL_IDS else None


def in_bands(bands: Iterable, age_days: float) -> bool:
    return any(band.start.days - 1e-9 <= age_days < band.end.days - 1e-9 for band in bands)


def sign_condition(sign, child: Child, vocabulary: Vocabulary) -> bool | None:
    """Whether the sign's findings/thresholds hold for the child; ``None`` if it has none to evaluate."""
    checks: list[bool] = [code in child.findings for code in sign.findings]
    literal = [sign.threshold] if sign.threshold else []
    for entry in sign.thresholds:
        if entry.table is None:
            literal.append(entry)
            continue
        table = vocabulary.tables.get(entry.table)
        value = _measure(table.measure, child) if table else None
        cutoff = table.cutoff(child.age_days) if table else None
        checks.append(value is not None and cutoff is not None and compare(value, table.op, cutoff))
    for threshold in literal:
        value = _measure(threshold.measure, child)
        if value is None or threshold.measure not in vocabulary.measures:
            checks.append(False)
            continue
        cutoff = vocabulary.convert(threshold.measure, threshold.value, threshold.unit)
        checks.append(compare(value, threshold.op, cutoff))
    if not checks:
        return None
    return all(checks) if sign.match == "all" else any(checks)


def _measure(measure: str, child: Child) -> float | None:
    if measure == "age":
        return child.age_days
    if measure == "weight":
        return child.weight_kg
    return child.measures.get(measure)


def signs_met(meta, child: Child, vocabulary: Vocabulary) -> tuple[list[str], list[str]]:
    """(ids of the signs met, ids of red/amber signs that apply but cannot be evaluated)."""
    met, unevaluated = [], []
    for sign in meta.danger_signs:
        if sign.triage == "green" or not in_bands(sign.age_bands, child.age_days):
            continue
        holds = sign_condition(sign, child, vocabulary)
        if holds is None:
            unevaluated.append(sign.id)
        elif holds:
            met.append(sign.id)
    if not met:
        for sign in meta.danger_signs:
            if sign.triage == "green" and in_bands(sign.age_bands, child.age_days) \
                    and sign_condition(sign, child, vocabulary) in (None, True):
                met.append(sign.id)
    return met, unevaluated


def answer_exit(graph: Graph, node_id: str, met: set[str], sign_ids: set[str],
                worst: Mapping[str, int]) -> Edge | None:
    """The exit a child takes at a node: Yes when a linked sign is met, No when linked signs are all unmet,
    otherwise the exit towards the most urgent disposition (what the data cannot answer, assume the worse)."""
    exits = graph.exits(node_id)
    if not exits:
        return None
    if len(exits) == 1:
        return exits[0]
    linked = [link for link in graph.nodes[node_id].links if link in sign_ids]
    if linked:
        wanted = YES if any(link in met for link in linked) else NO
        for edge in exits:
            if (edge.label or "").strip().lower().rstrip("?？。.") in wanted:
                return edge
    return min(exits, key=lambda edge: worst.get(edge.target, 99))


def worst_rank(graph: Graph) -> dict[str, int]:
    """Node id → rank of the most urgent disposition reachable from it (0 = emergency)."""
    memo: dict[str, int] = {}

    def visit(node_id: str, trail: frozenset[str]) -> int:
        if node_id in memo:
            return memo[node_id]
        node = graph.nodes.get(node_id)
        if node is None or node_id in trail:
            return 99
        if node.kind in DISPOSITIONS:
            rank = BY_ID[level_of_kind(node.kind)].rank
        else:
            rank = min((visit(edge.target, trail | {node_id}) for edge in graph.exits(node_id)), default=99)
        memo[node_id] = rank
        return rank

    for node_id in graph.nodes:
        visit(node_id, frozenset())
    return memo


def walk(graph: Graph, met: set[str], sign_ids: set[str]) -> list[str]:
    """The path from the start to a disposition."""
    worst = graph.__dict__.get("_cp_worst")
    if worst is None:  # the graph comes from the parse cache: compute this once per chart
        worst = graph.__dict__["_cp_worst"] = worst_rank(graph)
    path: list[str] = []
    node_id = graph.start
    while node_id is not None and node_id not in path:
        path.append(node_id)
        if graph.nodes[node_id].kind in DISPOSITIONS:
            break
        edge = answer_exit(graph, node_id, met, sign_ids, worst)
        node_id = edge.target if edge else None
    return path


def evaluate(meta, graph: Graph | None, vocabulary: Vocabulary, child: Child) -> Evaluation:
    met, unevaluated = signs_met(meta, child, vocabulary)
    triage_by_sign = {sign.id: sign.triage for sign in meta.danger_signs}
    colours = [triage_by_sign[sign_id] for sign_id in met]
    triage = min(colours, key=TRIAGE_RANK.__getitem__) if colours else "none"
    referral = None
    candidates = [r for r in meta.referrals if any(sign_id in met for sign_id in r.signs)]
    if candidates:
        referral = min(candidates, key=lambda r: BY_ID[r.urgency].rank).id
    path: list[str] = []
    urgency = None
    if graph is not None and graph.nodes:
        path = walk(graph, set(met), set(triage_by_sign))
        end = graph.nodes.get(path[-1]) if path else None
        urgency = level_of_kind(end.kind) if end is not None else None
    if urgency is None:
        by_id = {r.id: r for r in meta.referrals}
        urgency = by_id[referral].urgency if referral else (TRIAGE_LEVEL.get(triage))
    doses = [result for dose in meta.doses
             if (result := dose_for(dose, age_days=child.age_days, weight_kg=child.weight_kg)).amount is not None]
    return Evaluation(met, unevaluated, triage, referral, path, urgency, doses)


def chapter_graph(chapter) -> Graph | None:
    """The chapter's first flowchart, parsed (``None`` if it has none or it does not parse)."""
    from ..flowchart.fences import find_fences

    fences = find_fences(chapter.body)
    return parsed_chart(fences[0].source) if fences else None


@functools.lru_cache(maxsize=4096)
def parsed_chart(source: str) -> Graph | None:
    """A chart source parsed once per run (the rules, the case runner and the export all read it);
    callers must not change the graph."""
    from ..flowchart.parse import parse

    graph, problems = parse(source)
    return None if problems or not graph.nodes else graph
