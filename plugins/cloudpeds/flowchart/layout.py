"""A layered layout for decision charts (trees and small DAGs), in pure Python and deterministic.

Layers by longest path from the start; long edges get virtual nodes so they never cross a box;
order within layers by barycentre sweeps; coordinates by isotonic regression so that each node
sits as close as possible to the mean of its neighbours while keeping a minimum gap. Nodes are
top-aligned in their layer and edges only run diagonally in the free gap between layers, which
guarantees that no edge passes through a node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from ..clinical.urgency import BY_ID, LEVELS
from . import text as textmetrics
from .graph import Graph

FONT_SIZE = 14.0
LINE_HEIGHT = 20.0
PAD_X, PAD_Y = 12.0, 9.0
DECISION_POINT = 14.0  # extra width on each side of a decision's pointed ends
MAX_TEXT = {"TD": 136.0, "LR": 170.0}
#: A top-down chart is laid out no wider than this (narrower text lines, down to MIN_TEXT, until it fits):
#: fitted to a 360 px phone (about 337 px inside the viewer) its 14-unit text stays at 12 CSS px or more.
WIDTH_BUDGET = 384.0
MIN_TEXT = 64.0
TEXT_STEP = 8.0
NODE_GAP = 16.0
LAYER_GAP = {"TD": 46.0, "LR": 112.0}  # LR: edge labels sit between the columns
DUMMY_SIZE = 10.0
MARGIN = 8.0
ICONS = {**{lv.id: lv.shape for lv in LEVELS}, "treat": BY_ID["treat-home"].shape}


@dataclass
class Box:
    id: str
    kind: str
    lines: list[str]
    x: float = 0.0  # left
    y: float = 0.0  # top
    w: float = 0.0
    h: float = 0.0
    virtual: bool = False

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def overlaps(self, other: Box, slack: float = 0.0) -> bool:
        return (self.x < other.x + other.w - slack and other.x < self.x + self.w - slack
                and self.y < other.y + other.h - slack and other.y < self.y + self.h - slack)


@dataclass
class Route:
    source: str
    target: str
    label: str | None
    points: list[tuple[float, float]]
    label_at: tuple[float, float] | None = None
    label_size: tuple[float, float] = (0.0, 0.0)


@dataclass
class Layout:
    direction: str
    boxes: dict[str, Box]
    routes: list[Route]
    width: float
    height: float
    layers: list[list[str]] = field(default_factory=list)


def label_lines(kind: str, label: str, max_width: float) -> list[str]:
    icon = ICONS.get(kind)
    return textmetrics.wrap(f"{icon} {label}" if icon else label, max_width, FONT_SIZE)


def _size(lines: list[str], kind: str) -> tuple[float, float]:
    w = max(textmetrics.width(line, FONT_SIZE) for line in lines) + 2 * PAD_X
    if kind == "decision":
        w += 2 * DECISION_POINT
    return max(w, 56.0), len(lines) * LINE_HEIGHT + 2 * PAD_Y


def layout(graph: Graph, order: list[str]) -> Layout:
    """Lay out the nodes in ``order`` (the reachable ones, start first); a top-down chart as wide as its
    text allows up to WIDTH_BUDGET, wrapping lines shorter (taller boxes) when it would be wider."""
    max_text = MAX_TEXT[graph.direction]
    result = _layout(graph, order, max_text)
    while graph.direction == "TD" and result.width > WIDTH_BUDGET and max_text - TEXT_STEP >= MIN_TEXT:
        max_text -= TEXT_STEP
        result = _layout(graph, order, max_text)
    return result


def _layout(graph: Graph, order: list[str], max_text: float) -> Layout:
    td = graph.direction == "TD"
    boxes: dict[str, Box] = {}
    for node_id in order:
        node = graph.nodes[node_id]
        lines = label_lines(node.kind, node.label, max_text)
        w, h = _size(lines, node.kind)
        boxes[node_id] = Box(node_id, node.kind, lines, w=w, h=h)

    edges = [e for e in graph.edges if e.source in boxes and e.target in boxes]
    rank = _longest_path_ranks(order, edges)
    layers: list[list[str]] = [[] for _ in range(max(rank.values(), default=0) + 1)]
    for node_id in order:
        layers[rank[node_id]].append(node_id)

    # Virtual nodes on long edges; chains[i] is the path of ids an edge runs through.
    chains: list[list[str]] = []
    for index, edge in enumerate(edges):
        chain = [edge.source]
        for layer in range(rank[edge.source] + 1, rank[edge.target]):
            dummy = f"\0{index}:{layer}"
            boxes[dummy] = Box(dummy, "virtual", [], w=DUMMY_SIZE, h=0.0, virtual=True)
            layers[layer].append(dummy)
            chain.append(dummy)
        chain.append(edge.target)
        chains.append(chain)
    up: dict[str, list[str]] = {b: [] for b in boxes}
    down: dict[str, list[str]] = {b: [] for b in boxes}
    for chain in chains:
        for a, b in pairwise(chain):
            down[a].append(b)
            up[b].append(a)

    _order_layers(layers, up, down)

    # Sizes along (main) and across (cross) the layer axis.
    def main(box: Box) -> float:
        return box.h if td else box.w

    def cross(box: Box) -> float:
        return box.w if td else box.h

    positions = _cross_positions(layers, boxes, up, down, cross)
    layer_start, offset = [], MARGIN
    for layer in layers:
        layer_start.append(offset)
        offset += max((main(boxes[b]) for b in layer), default=0.0) + LAYER_GAP[graph.direction]
    layer_size = [max((main(boxes[b]) for b in layer), default=0.0) for layer in layers]

    for index, layer in enumerate(layers):
        for box_id in layer:
            box = boxes[box_id]
            if box.virtual:
                if td:
                    box.h = layer_size[index]
                else:
                    box.w, box.h = layer_size[index], DUMMY_SIZE
            centre = positions[box_id]
            if td:
                box.x, box.y = centre - box.w / 2, layer_start[index]
            else:
                box.x, box.y = layer_start[index], centre - box.h / 2

    layer_of = {b: i for i, layer in enumerate(layers) for b in layer}
    routes = []
    for edge, chain in zip(edges, chains, strict=True):
        points: list[tuple[float, float]] = []
        gap: tuple[tuple[float, float], tuple[float, float]] | None = None
        for position, box_id in enumerate(chain):
            box, index = boxes[box_id], layer_of[box_id]
            band_end = layer_start[index] + layer_size[index]
            if position > 0:
                entry = (box.cx, box.y) if td else (box.x, box.cy)
                if gap is None:
                    gap = (points[-1], entry)
                points.append(entry)
            if position < len(chain) - 1:
                points.append((box.cx, box.y + box.h) if td else (box.x + box.w, box.cy))
                points.append((box.cx, band_end) if td else (band_end, box.cy))
        routes.append(_with_label(Route(edge.source, edge.target, edge.label, _dedupe(points)), gap))

    _separate_labels(routes, td)
    real = [b for b in boxes.values()]
    width = max(b.x + b.w for b in real) + MARGIN
    height = max(b.y + b.h for b in real) + MARGIN
    for route in routes:
        if route.label_at:
            lx, ly = route.label_at
            lw, lh = route.label_size
            width = max(width, lx + lw / 2 + MARGIN)
            height = max(height, ly + lh / 2 + MARGIN)
    visible = {k: b for k, b in boxes.items() if not b.virtual}
    return Layout(graph.direction, visible, routes, round(width, 1), round(height, 1),
                  [[b for b in layer if not boxes[b].virtual] for layer in layers])


def _dedupe(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for point in points:
        rounded = (round(point[0], 1), round(point[1], 1))
        if not out or out[-1] != rounded:
            out.append(rounded)
    return out


def _with_label(route: Route, gap: tuple[tuple[float, float], tuple[float, float]] | None) -> Route:
    """The label sits on the segment that crosses the free gap after the source's layer."""
    if not route.label or gap is None:
        return route
    (x1, y1), (x2, y2) = gap
    t = 0.45
    lines = textmetrics.wrap(route.label, 90.0, FONT_SIZE - 2)
    w = max(textmetrics.width(line, FONT_SIZE - 2) for line in lines) + 8
    route.label_at = (round(x1 + (x2 - x1) * t, 1), round(y1 + (y2 - y1) * t, 1))
    route.label_size = (round(w, 1), 16.0 * len(lines) + 2)
    return route


def _separate_labels(routes: list[Route], td: bool) -> None:
    """Labels in the same gap must not cover each other: spread them along the gap."""
    by_gap: dict[float, list[Route]] = {}
    for route in routes:
        if route.label_at:
            by_gap.setdefault(route.label_at[1] if td else route.label_at[0], []).append(route)
    for group in by_gap.values():
        axis = 0 if td else 1
        group.sort(key=lambda r: r.label_at[axis])
        for before, after in pairwise(group):
            need = (before.label_size[axis] + after.label_size[axis]) / 2 + 4
            if after.label_at[axis] - before.label_at[axis] < need:
                moved = list(after.label_at)
                moved[axis] = round(before.label_at[axis] + need, 1)
                after.label_at = (moved[0], moved[1])


def _longest_path_ranks(order: list[str], edges: list) -> dict[str, int]:
    rank = {node_id: 0 for node_id in order}
    incoming = {node_id: [e.source for e in edges if e.target == node_id] for node_id in order}
    done: set[str] = set()

    def resolve(node_id: str, path: frozenset[str]) -> int:
        if node_id in done:
            return rank[node_id]
        parents = [p for p in incoming[node_id] if p not in path]
        rank[node_id] = max((resolve(p, path | {node_id}) + 1 for p in parents), default=0)
        done.add(node_id)
        return rank[node_id]

    for node_id in order:
        resolve(node_id, frozenset())
    return rank


def _order_layers(layers: list[list[str]], up: dict[str, list[str]], down: dict[str, list[str]]) -> None:
    def sweep(indices: range, neighbours: dict[str, list[str]]) -> None:
        for i in indices:
            ref = {b: n for n, b in enumerate(layers[i - 1 if neighbours is up else i + 1])}
            keyed = []
            for n, b in enumerate(layers[i]):
                near = [ref[x] for x in neighbours[b] if x in ref]
                keyed.append((sum(near) / len(near) if near else n, n, b))
            layers[i] = [b for _, _, b in sorted(keyed)]

    for _ in range(4):
        sweep(range(1, len(layers)), up)
        sweep(range(len(layers) - 2, -1, -1), down)
    sweep(range(1, len(layers)), up)


def _isotonic(desired: list[float], gaps: list[float], weights: list[float]) -> list[float]:
    """Positions closest (weighted least squares) to ``desired`` with position[i+1] - position[i] >= gaps[i]."""
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    blocks: list[list[float]] = []  # [weighted sum, weight, count]
    for d, o, w in zip(desired, offsets, weights, strict=True):
        blocks.append([(d - o) * w, w, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, weight, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += weight
            blocks[-1][2] += count
    fitted: list[float] = []
    for total, weight, count in blocks:
        fitted += [total / weight] * int(count)
    return [f + o for f, o in zip(fitted, offsets, strict=True)]


def _cross_positions(layers, boxes, up, down, cross) -> dict[str, float]:
    # Nodes that continue the chart (have successors) weigh more than leaves, so the main line of
    # decisions stays straight and the dispositions step aside: a tall, narrow "ladder".
    def weight(box_id: str) -> float:
        if boxes[box_id].virtual:
            return 2.0
        return 8.0 if down[box_id] else 1.0

    position: dict[str, float] = {}
    for layer in layers:
        offset = 0.0
        for box_id in layer:
            size = cross(boxes[box_id])
            position[box_id] = offset + size / 2
            offset += size + NODE_GAP

    def place(layer: list[str], neighbours: dict[str, list[str]]) -> None:
        desired = []
        for box_id in layer:
            near = neighbours[box_id]
            if near:
                total = sum(weight(n) for n in near)
                desired.append(sum(position[n] * weight(n) for n in near) / total)
            else:
                desired.append(position[box_id])
        gaps = [(cross(boxes[a]) + cross(boxes[b])) / 2 + NODE_GAP for a, b in pairwise(layer)]
        fitted = _isotonic(desired, gaps, [weight(b) for b in layer])
        for box_id, value in zip(layer, fitted, strict=True):
            position[box_id] = value

    for _ in range(3):
        for layer in layers[1:]:
            place(layer, up)
        for layer in reversed(layers[:-1]):
            place(layer, down)
    for layer in layers[1:]:
        place(layer, up)
    low = min(position[b] - cross(boxes[b]) / 2 for layer in layers for b in layer)
    return {b: round(p - low + MARGIN, 1) for b, p in position.items()}


def geometry_problems(result: Layout) -> list[str]:
    """What the tests assert: boxes apart, text inside boxes, edges clear of boxes, all in view."""
    problems = []
    boxes = list(result.boxes.values())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a.overlaps(b):
                problems.append(f"boxes {a.id} and {b.id} overlap")
        inner = a.w - 2 * PAD_X - (2 * DECISION_POINT if a.kind == "decision" else 0)
        for line in a.lines:
            if textmetrics.width(line, FONT_SIZE) > inner + 0.5:
                problems.append(f"text {line!r} is wider than box {a.id}")
        if len(a.lines) * LINE_HEIGHT > a.h - 2 * PAD_Y + 0.5:
            problems.append(f"text of {a.id} is taller than its box")
        if a.x < 0 or a.y < 0 or a.x + a.w > result.width or a.y + a.h > result.height:
            problems.append(f"box {a.id} is outside the view box")
    for route in result.routes:
        if route.label_at:
            (lx, ly), (lw, lh) = route.label_at, route.label_size
            label = Box("label", "label", [], lx - lw / 2, ly - lh / 2, lw, lh)
            problems += [f"label {route.label!r} covers {b.id}" for b in boxes if label.overlaps(b)]
            if label.x < 0 or label.y < 0 or label.x + lw > result.width or label.y + lh > result.height:
                problems.append(f"label {route.label!r} is outside the view box")
        for (x1, y1), (x2, y2) in pairwise(route.points):
            for box in boxes:
                if box.id in (route.source, route.target) and _touches_end(box, (x1, y1), (x2, y2)):
                    continue
                if _segment_hits_box((x1, y1), (x2, y2), box):
                    problems.append(f"edge {route.source}->{route.target} passes through {box.id}")
        for x, y in route.points:
            if not (0 <= x <= result.width and 0 <= y <= result.height):
                problems.append(f"edge {route.source}->{route.target} leaves the view box")
    return problems


def _touches_end(box: Box, p: tuple[float, float], q: tuple[float, float]) -> bool:
    def on_border(point: tuple[float, float]) -> bool:
        x, y = point
        inside = box.x - 0.5 <= x <= box.x + box.w + 0.5 and box.y - 0.5 <= y <= box.y + box.h + 0.5
        border = (abs(x - box.x) < 0.6 or abs(x - box.x - box.w) < 0.6
                  or abs(y - box.y) < 0.6 or abs(y - box.y - box.h) < 0.6)
        return inside and border
    return on_border(p) or on_border(q)


def _segment_hits_box(p: tuple[float, float], q: tuple[float, float], box: Box, inset: float = 1.0) -> bool:
    """Liang–Barsky clipping against the box shrunk by ``inset``."""
    x0, y0 = p
    dx, dy = q[0] - x0, q[1] - y0
    left, right = box.x + inset, box.x + box.w - inset
    top, bottom = box.y + inset, box.y + box.h - inset
    t0, t1 = 0.0, 1.0
    for edge_p, edge_q in ((-dx, x0 - left), (dx, right - x0), (-dy, y0 - top), (dy, bottom - y0)):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True
