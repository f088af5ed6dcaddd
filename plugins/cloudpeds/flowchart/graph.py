"""The typed decision graph that a flowchart source describes."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..clinical.urgency import LEVEL_IDS

#: Node kinds, as written with ``:::kind`` or ``class NODE kind``: the levels of the one urgency scale
#: (``cloudpeds.clinical.urgency``) are the dispositions; ``treat`` is the old name of ``treat-home``.
KINDS = ("assess", "decision", *LEVEL_IDS, "treat")
#: Where a path may end: a disposition.
DISPOSITIONS = frozenset({*LEVEL_IDS, "treat"})
REFERRALS = frozenset({"emergency", "urgent", "routine"})
SHAPES = ("rect", "round", "rhombus", "circle")


@dataclass
class Node:
    id: str
    line: int
    col: int
    text: str | None = None
    shape: str = "rect"
    explicit_kind: str | None = None
    links: list[str] = field(default_factory=list)
    link_positions: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        if self.explicit_kind:
            return self.explicit_kind
        return "decision" if self.shape == "rhombus" else "assess"

    @property
    def label(self) -> str:
        return self.text if self.text is not None else self.id


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str | None
    line: int
    col: int


@dataclass
class Graph:
    direction: str = "TD"
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    @property
    def start(self) -> str | None:
        return next(iter(self.nodes), None)

    def exits(self, node_id: str) -> list[Edge]:
        return [edge for edge in self.edges if edge.source == node_id]

    def entries(self, node_id: str) -> list[Edge]:
        return [edge for edge in self.edges if edge.target == node_id]
