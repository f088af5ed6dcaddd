"""Static, accessible SVG of a laid-out chart: kinds drawn by colour AND shape AND icon."""

from __future__ import annotations

from html import escape

from ..clinical.urgency import LEVELS
from .graph import Graph
from .layout import DECISION_POINT, FONT_SIZE, LINE_HEIGHT, PAD_Y, Box, Layout

STYLE = {  # fill, stroke, text colour, dash
    "assess": ("#ffffff", "#455a64", "#1a1a1a", ""),
    "decision": ("#f5f7f8", "#455a64", "#0d2c54", ""),
    **{lv.id: (lv.fill, lv.border, lv.ink, "6 3" if lv.id == "observe" else "") for lv in LEVELS},
}
STYLE["treat"] = STYLE["treat-home"]


def _shape(box: Box) -> str:
    fill, stroke, _, dash = STYLE[box.kind]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    x, y, w, h = box.x, box.y, box.w, box.h
    if box.kind == "decision":
        p = DECISION_POINT
        points = f"{x + p},{y} {x + w - p},{y} {x + w},{y + h / 2} {x + w - p},{y + h} {x + p},{y + h} {x},{y + h / 2}"
        return f'<polygon points="{_pts(points)}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
    rounded = {"treat": 10, "treat-home": 10, "observe": 10, "home": h / 2 if len(box.lines) == 1 else 16}
    radius = rounded.get(box.kind, 3)
    rect = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{min(radius, h / 2):.1f}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash_attr}/>')
    if box.kind == "emergency":  # a double border: red boxes read as "refer now" in greyscale too
        rect += (f'<rect x="{x + 3:.1f}" y="{y + 3:.1f}" width="{w - 6:.1f}" height="{h - 6:.1f}" rx="2" '
                 f'fill="none" stroke="#ffffff" stroke-width="1"/>')
    return rect


def _pts(points: str) -> str:
    return " ".join(",".join(f"{float(v):.1f}" for v in pair.split(",")) for pair in points.split())


def _spoken_lines(lines: list[str]) -> list[str]:
    """Lines as they read aloud: a line broken between two Latin words keeps its space, so the
    text content of the SVG (what a screen reader hears) matches what is shown."""
    out = []
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        latin = line[-1:].isascii() and following[:1].isascii() and following[:1].strip()
        out.append(line + " " if latin else line)
    return out


def visible_text(box: Box) -> str:
    return "".join(_spoken_lines(box.lines))


def _text(box: Box) -> str:
    colour = STYLE[box.kind][2]
    top = box.y + PAD_Y + (box.h - 2 * PAD_Y - len(box.lines) * LINE_HEIGHT) / 2
    spans = "".join(
        f'<tspan x="{box.cx:.1f}" y="{top + (i + 1) * LINE_HEIGHT - (LINE_HEIGHT - FONT_SIZE) / 2 - 2:.1f}">'
        f"{escape(line)}</tspan>" for i, line in enumerate(_spoken_lines(box.lines)))
    return f'<text text-anchor="middle" font-size="{FONT_SIZE:g}" fill="{colour}">{spans}</text>'


def render(graph: Graph, result: Layout, *, chart_id: str, title: str, description: str,
           kind_names: dict[str, str]) -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cp-fc-svg" viewBox="0 0 {result.width:g} '
        f'{result.height:g}" width="{result.width:g}" height="{result.height:g}" role="group" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<defs><marker id="{chart_id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#37474f"/></marker></defs>',
        '<g class="cp-fc-edges" aria-hidden="true">',
    ]
    for route in result.routes:
        d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in route.points)
        parts.append(f'<path d="{d}" fill="none" stroke="#37474f" stroke-width="1.5" '
                     f'marker-end="url(#{chart_id}-arrow)"/>')
    for route in result.routes:
        if route.label_at:
            (lx, ly), (lw, lh) = route.label_at, route.label_size
            parts.append(f'<rect x="{lx - lw / 2:.1f}" y="{ly - lh / 2:.1f}" width="{lw:.1f}" height="{lh:.1f}" '
                         'rx="3" fill="#ffffff" stroke="#90a4ae" stroke-width="0.8"/>')
            parts.append(f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="middle" font-size="{FONT_SIZE - 2:g}" '
                         f'font-weight="700" fill="#263238">{escape(route.label or "")}</text>')
    parts.append("</g>")
    parts.append('<g class="cp-fc-nodes">')
    for box in result.boxes.values():
        node = graph.nodes[box.id]
        # The accessible name starts with the visible text (WCAG 2.5.3), then says the kind.
        label = f"{visible_text(box)} ({kind_names.get(box.kind, box.kind)})"
        inner = (f'<g class="cp-fc-node cp-fc-node--{box.kind}" data-node="{escape(box.id)}">'
                 f"{_shape(box)}{_text(box)}</g>")
        if node.links:
            parts.append(f'<a href="#{escape(node.links[0])}" aria-label="{escape(label)}">{inner}</a>')
        else:
            parts.append(inner.replace("<g ", f'<g role="img" aria-label="{escape(label)}" ', 1))
    parts.append("</g></svg>")
    return "".join(parts)
