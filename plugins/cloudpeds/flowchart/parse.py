"""Parse the Mermaid flowchart subset. Line and column numbers are 1-based within the fence.

Supported: ``flowchart TD|TB|LR``; nodes ``A[text]``, ``A(text)``, ``A{text}``, ``A((text))``
(text may be quoted, ``<br>`` breaks a line); edges ``-->``, ``-->|label|``, ``-- label -->``,
chained; ``:::kind``; ``classDef kind …``; ``class A,B kind``; ``click A "#item-id"``; ``%%``
comments. Anything else is an error that names the unsupported feature.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .graph import KINDS, Edge, Graph, Node

_ID = re.compile(r"[A-Za-z0-9_]+")
_HEADER = re.compile(r"^(flowchart|graph)\s+(\w+)\s*;?\s*$")
_CLASSDEF = re.compile(r"^classDef\s+(\S+)(\s+.*)?$")
_CLASS = re.compile(r"^class\s+([A-Za-z0-9_,\s]+?)\s+(\S+)\s*;?$")
_CLICK = re.compile(r'^click\s+([A-Za-z0-9_]+)\s+(?:href\s+)?"([^"]*)"(?:\s+"[^"]*")?(?:\s+_\w+)?\s*;?$')
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_UNSUPPORTED_STATEMENTS = {
    "subgraph": "subgraphs", "end": "subgraphs", "style": "`style` (use a node kind)",
    "linkStyle": "`linkStyle`", "direction": "`direction` inside the chart",
}
_UNSUPPORTED_EDGES = [
    ("<-->", "two-way edges"), ("-.->", "dotted edges"), ("-.-", "dotted edges"), ("==>", "thick edges"),
    ("===", "thick edges"), ("--o", "circle-ended edges"), ("--x", "cross-ended edges"), ("~~~", "invisible links"),
    ("---", "edges without arrows"),
]
_UNSUPPORTED_SHAPES = {
    "([": "stadium shapes", "[[": "subroutine shapes", "[(": "cylinder shapes", "(((": "double circles",
    "{{": "hexagon shapes", "[/": "parallelogram shapes", "[\\": "trapezoid shapes", ">": "asymmetric shapes",
}
_CLOSE = {"rect": "]", "round": ")", "rhombus": "}", "circle": "))"}
#: Nodes and edges of one chart: a phone shows a few dozen at most; the sample's largest chart has 14 nodes.
MAX_CHART_NODES = 300
MAX_CHART_EDGES = 600


@dataclass(frozen=True)
class ParseError:
    line: int
    col: int
    message: str
    hint: str = ""


class _Fail(Exception):
    def __init__(self, col: int, message: str, hint: str = ""):
        super().__init__(message)
        self.col, self.message, self.hint = col, message, hint


@functools.lru_cache(maxsize=4096)
def parse(source: str) -> tuple[Graph, list[ParseError]]:
    """The graph and every syntax problem. Cached: the checker, the search indexer and the page
    all read each chart; callers must not change the graph."""
    graph = Graph()
    errors: list[ParseError] = []
    header_seen = False
    for number, raw in enumerate(source.splitlines(), start=1):
        for offset, statement in _statements(raw):
            if not statement or statement.startswith("%%"):
                continue
            try:
                if not header_seen:
                    _header(statement, graph)
                    header_seen = True
                    continue
                _statement(statement, number, offset, graph)
            except _Fail as fail:
                errors.append(ParseError(number, offset + fail.col, fail.message, fail.hint))
                header_seen = True
        if len(graph.nodes) > MAX_CHART_NODES or len(graph.edges) > MAX_CHART_EDGES:
            errors.append(ParseError(number, 1, f"the chart has more than {MAX_CHART_NODES} nodes or "
                                     f"{MAX_CHART_EDGES} arrows (MAX_CHART_NODES, MAX_CHART_EDGES)",
                                     "split it into several charts; a phone cannot show one this large"))
            return graph, errors
    if not header_seen:
        errors.append(ParseError(1, 1, "the chart is empty", "start with `flowchart TD`"))
    return graph, errors


def _statements(raw: str) -> list[tuple[int, str]]:
    """Split a line at ``;`` outside quotes and brackets; keep each part's column offset."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(raw):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "[({":
            depth += 1
        elif not quoted and char in "])}":
            depth = max(0, depth - 1)
        elif char == ";" and not quoted and depth == 0:
            parts.append((start, raw[start:index]))
            start = index + 1
    parts.append((start, raw[start:]))
    out = []
    for begin, text in parts:
        stripped = text.strip()
        out.append((begin + len(text) - len(text.lstrip()), stripped))
    return out


def _header(statement: str, graph: Graph) -> None:
    match = _HEADER.match(statement)
    if not match:
        raise _Fail(1, f"expected `flowchart TD` or `flowchart LR`, found {statement!r}",
                    "the first line of a chart names its direction")
    keyword, direction = match.groups()
    if keyword == "graph":
        raise _Fail(1, "`graph` is the old keyword", "write `flowchart TD`")
    if direction not in ("TD", "TB", "LR"):
        raise _Fail(len(keyword) + 2, f"direction {direction!r} is not supported", "use TD (default) or LR")
    graph.direction = "LR" if direction == "LR" else "TD"


def _statement(statement: str, line: int, offset: int, graph: Graph) -> None:
    first = statement.split(None, 1)[0]
    if first in _UNSUPPORTED_STATEMENTS:
        raise _Fail(1, f"{_UNSUPPORTED_STATEMENTS[first]} are not supported", "keep the chart to nodes and edges")
    if first == "classDef":
        match = _CLASSDEF.match(statement)
        if match and match.group(1) not in KINDS:
            raise _Fail(10, f"unknown node kind {match.group(1)!r}", f"kinds: {', '.join(KINDS)}")
        return  # styles are for Mermaid previews only; the site draws kinds itself
    if first == "class":
        match = _CLASS.match(statement)
        if not match:
            raise _Fail(1, f"cannot read {statement!r}", "write `class NODE1,NODE2 kind`")
        kind = match.group(2)
        if kind not in KINDS:
            raise _Fail(statement.rindex(kind) + 1, f"unknown node kind {kind!r}", f"kinds: {', '.join(KINDS)}")
        for node_id in (part.strip() for part in match.group(1).split(",")):
            _node(graph, node_id, line, offset + 7).explicit_kind = kind
        return
    if first == "click":
        match = _CLICK.match(statement)
        if not match:
            raise _Fail(1, "only links are supported in `click`", 'write `click NODE "#item-id"`')
        node_id, target = match.groups()
        if not target.startswith("#") or len(target) < 2:
            raise _Fail(statement.index('"') + 1, f"link {target!r} is not an item of this chapter",
                        'write `click NODE "#item-id"` with a danger-sign, referral or recommendation id')
        node = _node(graph, node_id, line, offset + 7)
        node.links.append(target[1:])
        node.link_positions.setdefault(target[1:], (line, offset + 1))
        return
    _chain(statement, line, offset, graph)


def _node(graph: Graph, node_id: str, line: int, col: int) -> Node:
    if node_id not in graph.nodes:
        graph.nodes[node_id] = Node(node_id, line, col)
    return graph.nodes[node_id]


def _chain(statement: str, line: int, offset: int, graph: Graph) -> None:
    masked = _mask(statement)
    for token, name in _UNSUPPORTED_EDGES:
        index = masked.find(token)
        if index >= 0:
            raise _Fail(index + 1, f"{name} (`{token}`) are not supported", "use `-->` or `-->|label|`")
    if masked.find("&") >= 0:
        raise _Fail(masked.find("&") + 1, "`&` (several nodes at once) is not supported",
                    "write one edge per line")
    pos, previous, pending_label = 0, None, None
    while True:
        pos = _skip(statement, pos)
        node_id, pos = _read_node(statement, pos, line, offset, graph)
        if previous is not None:
            graph.edges.append(Edge(previous, node_id, pending_label, line, offset + 1))
        previous, pending_label = node_id, None
        pos = _skip(statement, pos)
        if pos >= len(statement):
            return
        pending_label, pos = _read_edge(statement, pos)
        if _skip(statement, pos) >= len(statement):
            raise _Fail(pos + 1, "this edge goes nowhere", "name the node it leads to after the arrow")


def _mask(statement: str) -> str:
    """The statement with node texts, quotes and |labels| blanked out (positions kept)."""
    out, closer, quoted = [], None, False
    pairs = {"[": "]", "(": ")", "{": "}", "|": "|"}
    for char in statement:
        if quoted:
            quoted = char != '"'
            out.append(" ")
        elif closer:
            out.append(" ")
            if char == closer:
                closer = None
        elif char == '"':
            quoted = True
            out.append(" ")
        elif char in pairs:
            closer = pairs[char]
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def _skip(statement: str, pos: int) -> int:
    while pos < len(statement) and statement[pos] in " \t":
        pos += 1
    return pos


def _read_node(statement: str, pos: int, line: int, offset: int, graph: Graph) -> tuple[str, int]:
    match = _ID.match(statement, pos)
    if not match:
        found = statement[pos:pos + 12] or "the end of the line"
        raise _Fail(pos + 1, f"expected a node id, found {found!r}", "node ids are letters, digits and _")
    node_id, pos = match.group(0), match.end()
    node = _node(graph, node_id, line, offset + match.start() + 1)
    for opener, feature in _UNSUPPORTED_SHAPES.items():
        if statement.startswith(opener, pos):
            raise _Fail(pos + 1, f"{feature} are not supported", "use [text], (text), {text} or ((text))")
    shape = None
    if statement.startswith("((", pos):
        shape, pos = "circle", pos + 2
    elif pos < len(statement) and statement[pos] in "[({":
        shape = {"[": "rect", "(": "round", "{": "rhombus"}[statement[pos]]
        pos += 1
    if shape:
        text, pos = _read_text(statement, pos, _CLOSE[shape])
        if node.text is not None and node.text != text:
            raise _Fail(match.start() + 1, f"node {node_id} already has the text {node.text!r}",
                        "give each node its text once, then refer to it by id")
        node.text, node.shape = text, shape
    if statement.startswith(":::", pos):
        kind_match = _ID.match(statement.replace("-", "_"), pos + 3)
        kind = statement[pos + 3:kind_match.end()] if kind_match else ""
        if kind not in KINDS:
            raise _Fail(pos + 4, f"unknown node kind {kind!r}", f"kinds: {', '.join(KINDS)}")
        node.explicit_kind = kind
        pos = kind_match.end()
    return node_id, pos


def _read_text(statement: str, pos: int, close: str) -> tuple[str, int]:
    start = pos
    if statement.startswith('"', pos):
        end = statement.find('"', pos + 1)
        if end < 0:
            raise _Fail(pos + 1, "unclosed quote in node text", 'close the text with "')
        text, pos = statement[pos + 1:end], end + 1
        if not statement.startswith(close, pos):
            raise _Fail(pos + 1, f"expected {close!r} after the quoted text", "")
    else:
        end = statement.find(close, pos)
        if end < 0:
            raise _Fail(start, f"node text is not closed with {close!r}", f"add {close!r} after the text")
        text, pos = statement[pos:end], end
    text = _BREAK.sub("\n", text).strip()
    if not text:
        raise _Fail(start + 1, "empty node text", "write what the step says")
    if re.search(r"<\s*[A-Za-z/!]", text):
        raise _Fail(start + 1, "HTML in node text is not supported (only <br>)", "write plain text")
    return text, pos + len(close)


def _refuse_html(label: str, col: int) -> None:
    if re.search(r"<\s*[A-Za-z/!]|&[A-Za-z#][A-Za-z0-9]*;", label):
        raise _Fail(col, "HTML in an edge label is not supported", "write plain text")


def _read_edge(statement: str, pos: int) -> tuple[str | None, int]:
    if statement.startswith("-->", pos):
        pos += 3
        if statement.startswith("|", pos):
            end = statement.find("|", pos + 1)
            if end < 0:
                raise _Fail(pos + 1, "unclosed edge label", "write -->|label|")
            label = statement[pos + 1:end].strip().strip('"')
            _refuse_html(label, pos + 1)
            return (label or None), end + 1
        return None, pos
    if statement.startswith("--", pos):
        end = statement.find("-->", pos + 2)
        if end < 0:
            raise _Fail(pos + 1, "an edge label must end with -->", "write -- label --> or -->|label|")
        label = statement[pos + 2:end].strip().strip('"')
        _refuse_html(label, pos + 1)
        return (label or None), end + 3
    raise _Fail(pos + 1, f"expected an edge (-->), found {statement[pos:pos + 12]!r}",
                "connect nodes with --> or -->|label|")
