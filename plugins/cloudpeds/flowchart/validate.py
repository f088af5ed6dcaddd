"""Checks of a parsed chart: every node defined and reachable, decisions with labelled exits,
every path ending in a disposition, no cycles, links to known items."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .graph import DISPOSITIONS, Graph


@dataclass(frozen=True)
class Problem:
    line: int
    col: int
    message: str
    hint: str = ""
    warning: bool = False


def validate(graph: Graph, known_ids: Mapping[str, str] | None = None) -> list[Problem]:
    """``known_ids``: item id → what it is ("danger sign", "referral", "recommendation")."""
    problems = list(_undefined(graph))
    if not graph.nodes:
        return [Problem(1, 1, "the chart has no nodes", "add at least a start and a disposition")]
    problems += _unreachable(graph)
    problems += _cycles(graph)
    problems += _decisions(graph)
    problems += _dead_ends(graph)
    if known_ids is not None:
        problems += _links(graph, known_ids)
    return problems


def _undefined(graph: Graph) -> Iterator[Problem]:
    for node in graph.nodes.values():
        if node.text is None:
            yield Problem(node.line, node.col, f"node {node.id} is used but never defined",
                          f"give it a text once, e.g. {node.id}[…]")


def reachable(graph: Graph) -> list[str]:
    """Node ids in depth-first order from the start node."""
    seen: list[str] = []
    stack = [graph.start] if graph.start else []
    while stack:
        node_id = stack.pop()
        if node_id in seen:
            continue
        seen.append(node_id)
        stack += [edge.target for edge in reversed(graph.exits(node_id))]
    return seen


def _unreachable(graph: Graph) -> Iterator[Problem]:
    seen = set(reachable(graph))
    for node in graph.nodes.values():
        if node.id not in seen:
            yield Problem(node.line, node.col, f"node {node.id} cannot be reached from the start ({graph.start})",
                          "connect it with an edge, or remove it; the first node is the start")


def _cycles(graph: Graph) -> Iterator[Problem]:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    found: list[Problem] = []

    def visit(node_id: str) -> None:
        state[node_id] = 1
        for edge in graph.exits(node_id):
            if state.get(edge.target) == 1:
                found.append(Problem(edge.line, edge.col, f"the edge {edge.source} --> {edge.target} closes a cycle",
                                     "a decision chart must not loop; end the path in a disposition"))
            elif edge.target not in state:
                visit(edge.target)
        state[node_id] = 2

    for node_id in graph.nodes:
        if node_id not in state:
            visit(node_id)
    yield from found


def _decisions(graph: Graph) -> Iterator[Problem]:
    for node in graph.nodes.values():
        if node.kind != "decision":
            continue
        exits = graph.exits(node.id)
        labelled = [edge for edge in exits if edge.label]
        if len(labelled) < 2 or len(labelled) < len(exits):
            yield Problem(node.line, node.col,
                          f"decision {node.id} needs at least two exits, each with a label (has {len(exits)}, "
                          f"{len(labelled)} labelled)", f"write {node.id} -->|是| … and {node.id} -->|否| …")


def _dead_ends(graph: Graph) -> Iterator[Problem]:
    for node in graph.nodes.values():
        if not graph.exits(node.id) and node.kind not in DISPOSITIONS:
            yield Problem(node.line, node.col, f"the path ends at {node.id} ({node.kind}) without a disposition",
                          f"end it in a node of kind {', '.join(sorted(DISPOSITIONS))} (e.g. {node.id}:::home)")


def _links(graph: Graph, known_ids: Mapping[str, str]) -> Iterator[Problem]:
    for node in graph.nodes.values():
        for link in node.links:
            if link not in known_ids:
                line, col = node.link_positions.get(link, (node.line, node.col))
                yield Problem(line, col, f"node {node.id} links to unknown item {link!r}",
                              "link a danger sign, referral or recommendation id of this chapter")


def leads_to(graph: Graph, node_id: str, kinds: frozenset[str]) -> bool:
    """Whether some path from ``node_id`` reaches a node of one of ``kinds``."""
    stack, seen = [node_id], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        if graph.nodes[current].kind in kinds:
            return True
        stack += [edge.target for edge in graph.exits(current)]
    return False
