"""Source → graph → validation → layout → SVG, outline and walker data, in one call."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape

from .. import i18n
from ..clinical.urgency import BY_ID, Level
from .graph import Graph
from .layout import Layout, geometry_problems, layout
from .parse import parse
from .svg import render
from .validate import Problem, reachable, validate

_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class ItemLabel:
    """How a node's linked item (danger sign, referral, recommendation) reads in the outline and the walker:
    its own words and, for signs and referrals, its level of the urgency scale with the item's tag words."""

    text: str
    level: str | None = None
    #: The words of the item's tag, as on the item itself ("红色 · 紧急" for a red sign, "紧急" for a referral).
    tag: str = ""


@dataclass
class Chart:
    chart_id: str
    lang: str
    graph: Graph
    problems: list[Problem] = field(default_factory=list)
    layout: Layout | None = None
    svg: str = ""
    outline_html: str = ""
    walker: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(not p.warning for p in self.problems)


def flat(label: str) -> str:
    """A label on one line: explicit breaks become a space between Latin words, nothing in Chinese."""
    lines = label.split("\n")
    out = lines[0]
    for line in lines[1:]:
        out += (" " if out[-1:].isascii() and line[:1].isascii() else "") + line
    return out


def level_of(kind: str) -> Level | None:
    """The urgency level a node kind draws (``treat`` is the old name of ``treat-home``); None for steps."""
    return BY_ID.get("treat-home" if kind == "treat" else kind)


def kind_badge(kind: str, kind_names: Mapping[str, str]) -> str:
    """A node's kind as a badge: a level's shape, colour (cp-level--<id>) and word; a step's word."""
    level = level_of(kind)
    if level is None:
        return f'<span class="cp-fc-kind cp-fc-kind--{kind}">{escape(kind_names[kind])}</span>'
    return (f'<span class="cp-fc-kind cp-fc-kind--{kind} cp-level--{level.id}">'
            f'<span class="cp-shape" aria-hidden="true">{level.shape}</span> {escape(kind_names[kind])}</span>')


def chart_id(source: str) -> str:
    return "fc-" + hashlib.sha1(source.strip().encode("utf-8")).hexdigest()[:8]


def detect_language(source: str) -> str:
    return "zh" if _CJK.search(source) else "en"


def compile_chart(source: str, *, known_ids: Mapping[str, str] | None = None, lang: str | None = None,
                  title: str | None = None, items: Mapping[str, ItemLabel] | None = None) -> Chart:
    """``items``: the words of the items nodes link to (a chapter page knows them; a bare fence does not,
    and its outline then names the ids)."""
    lang = lang or detect_language(source)
    graph, parse_errors = parse(source)
    chart = Chart(chart_id(source), lang, graph,
                  [Problem(e.line, e.col, e.message, e.hint) for e in parse_errors])
    if parse_errors:
        return chart
    chart.problems += validate(graph, known_ids)
    if not chart.ok:
        return chart
    order = reachable(graph)
    chart.layout = layout(graph, order)
    for problem in geometry_problems(chart.layout):  # a bug of ours, never the editor's
        raise AssertionError(f"flowchart layout: {problem}")
    t = i18n.strings(lang)
    kind_names = {key.removeprefix("fc.kind."): value for key, value in t.items() if key.startswith("fc.kind.")}
    start = flat(graph.nodes[order[0]].label)
    title = title or t["flowchart"]
    description = t["fc.description"].format(nodes=len(order), start=start)
    chart.svg = render(graph, chart.layout, chart_id=chart.chart_id, title=title, description=description,
                       kind_names=kind_names)
    items = items or {}
    chart.outline_html = outline(graph, chart.chart_id, kind_names, t["fc.see_above"], items)
    chart.walker = walker_data(graph, order, kind_names, items)
    return chart


def item_link(item_id: str, items: Mapping[str, ItemLabel]) -> str:
    """A link to a node's item that reads as the item: its level's tag, then its words."""
    label = items.get(item_id)
    if label is None:
        return f'<a class="cp-fc-item" href="#{escape(item_id)}">#{escape(item_id)}</a>'
    level = BY_ID.get(label.level or "")
    tag = (f'<span class="cp-tag cp-level--{level.id}"><span class="cp-shape" aria-hidden="true">{level.shape}</span> '
           f"{escape(label.tag)}</span> " if level else "")
    return f'<a class="cp-fc-item" href="#{escape(item_id)}">{tag}{escape(label.text)}</a>'


def outline(graph: Graph, prefix: str, kind_names: Mapping[str, str], see_above: str,
            items: Mapping[str, ItemLabel] | None = None) -> str:
    """The same decisions as a nested list: a chain of steps is one list, a decision branches."""
    shown: set[str] = set()
    labels = items or {}

    def steps(node_id: str) -> str:
        items = []
        current: str | None = node_id
        while current is not None:
            node = graph.nodes[current]
            anchor = f"{prefix}-o-{current}"
            if current in shown:
                items.append(f'<li class="cp-fc-ref">→ <a href="#{anchor}">{escape(flat(node.label))}</a> '
                             f"({escape(see_above)})</li>")
                break
            shown.add(current)
            text = escape(flat(node.label))
            kind = kind_badge(node.kind, kind_names)
            links = "".join(f'<span class="cp-fc-link">{item_link(link, labels)}</span>' for link in node.links)
            exits = graph.exits(current)
            if len(exits) == 1 and not exits[0].label:
                items.append(f'<li id="{anchor}">{kind} {text}{links}</li>')
                current = exits[0].target
                continue
            branches = "".join(
                f'<li><strong>{escape(edge.label or "→")}</strong>{steps(edge.target)}</li>' for edge in exits)
            items.append(f'<li id="{anchor}">{kind} {text}{links}'
                         + (f"<ul>{branches}</ul>" if branches else "") + "</li>")
            current = None
        return f"<ol>{''.join(items)}</ol>"

    return steps(graph.start) if graph.start else ""


def walker_data(graph: Graph, order: list[str], kind_names: Mapping[str, str],
                items: Mapping[str, ItemLabel] | None = None) -> dict:
    def step(node_id: str) -> dict:
        node = graph.nodes[node_id]
        level = level_of(node.kind)
        return {
            "text": flat(node.label),
            "kind": node.kind,
            "kindName": kind_names[node.kind],
            # The node's level of the urgency scale (its shape; its colour is the class cp-level--<level>).
            "level": level.id if level else None,
            "shape": level.shape if level else "",
            "links": node.links,
            "exits": [{"label": e.label, "to": e.target} for e in graph.exits(node_id)],
        }

    data: dict = {"start": order[0], "nodes": {node_id: step(node_id) for node_id in order}}
    linked = [link for node_id in order for link in graph.nodes[node_id].links if link in (items or {})]
    if linked:
        data["items"] = {}
        for link in linked:
            label = (items or {})[link]
            level = BY_ID.get(label.level or "")
            data["items"][link] = {"text": label.text, "level": level.id if level else None,
                                   "shape": level.shape if level else "", "tag": label.tag}
    return data


def figure_html(chart: Chart) -> str:
    """The chart as it appears in a page: SVG, text outline, and the data for the walker."""
    t = i18n.strings(chart.lang)
    # No "<" at all inside the script elements (a JSON escape): no text from a chapter can end them or read as markup.
    data = json.dumps(chart.walker, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    strings = json.dumps({key.removeprefix("fc."): value for key, value in t.items() if key.startswith("fc.")},
                         ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return (
        f'<figure class="cp-flowchart" id="{chart.chart_id}" data-chart="{chart.chart_id}">'
        # The walker opens right below its button, above the chart.
        f'<div class="cp-fc-toolbar" hidden></div>'
        f'<div class="cp-fc-walker" hidden></div>'
        f'<div class="cp-fc-canvas">{chart.svg}</div>'
        f'<details class="cp-fc-outline"><summary>{escape(t["fc.outline"])}</summary>{chart.outline_html}</details>'
        f'<script type="application/json" class="cp-fc-data">{data}</script>'
        f'<script type="application/json" class="cp-fc-strings">{strings}</script>'
        "</figure>"
    )
