"""Flowcharts: every parse and validation error class, golden source → SVG/outline, geometry."""

from __future__ import annotations

import json
import os
from pathlib import Path

import markdown
import pytest

from cloudpeds.flowchart.compile import compile_chart, figure_html
from cloudpeds.flowchart.fences import find_fences
from cloudpeds.flowchart.layout import WIDTH_BUDGET, geometry_problems
from cloudpeds.flowchart.parse import parse
from cloudpeds.flowchart.validate import validate

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"

LADDER = """flowchart TD
  A[测体温] --> B{有红色征象？}
  B -->|是| R[紧急转诊]:::emergency
  B -->|否| C{有黄色征象？}
  C -->|是| U[当天转诊]:::urgent
  C -->|否| H(居家照护):::home
  click B "#x-ds-red"
"""


def problems(source: str, known=None) -> list[tuple[int, int, str]]:
    graph, errors = parse(source)
    found = errors or validate(graph, known)
    return [(p.line, p.col, p.message) for p in found]


@pytest.mark.parametrize(("source", "line", "col", "message"), [
    ("", 1, 1, "the chart is empty"),
    ("graph TD\nA-->B", 1, 1, "`graph` is the old keyword"),
    ("flowchart RL\nA[x]:::home", 1, 11, "direction 'RL' is not supported"),
    ("flowchart TD\n  A[x] --> ", 2, 11, "this edge goes nowhere"),
    ("flowchart TD\n  A[x --> B", 2, 4, "node text is not closed"),
    ("flowchart TD\n  A[x] -.-> B[y]", 2, 8, "dotted edges (`-.->`) are not supported"),
    ("flowchart TD\n  A[x] --- B[y]", 2, 8, "edges without arrows (`---`) are not supported"),
    ("flowchart TD\n  A[x] ==> B[y]", 2, 8, "thick edges (`==>`) are not supported"),
    ("flowchart TD\n  A[x] --> B[y] & C[z]", 2, 17, "`&` (several nodes at once) is not supported"),
    ("flowchart TD\n  subgraph one", 2, 3, "subgraphs are not supported"),
    ("flowchart TD\n  style A fill:#f00", 2, 3, "`style` (use a node kind) are not supported"),
    ("flowchart TD\n  A([x])", 2, 4, "stadium shapes are not supported"),
    ("flowchart TD\n  A{{x}}", 2, 4, "hexagon shapes are not supported"),
    ("flowchart TD\n  A[x]:::purple", 2, 10, "unknown node kind 'purple'"),
    ("flowchart TD\n  classDef red fill:#f00", 2, 12, "unknown node kind 'red'"),
    ('flowchart TD\n  A[x]:::home\n  click A "https://example.org"', 3, 11, "is not an item of this chapter"),
    ("flowchart TD\n  A[<b>x</b>]:::home", 2, 5, "HTML in node text is not supported"),
    ("flowchart TD\n  A[x] --> B", 2, 12, "node B is used but never defined"),
    ("flowchart TD\n  A[x]:::home\n  B[y]:::home", 3, 3, "node B cannot be reached from the start (A)"),
    ("flowchart TD\n  A{q?} -->|yes| B[y]:::home", 2, 3, "decision A needs at least two exits"),
    ("flowchart TD\n  A{q?} -->|yes| B[y]:::home\n  A --> C[z]:::home", 2, 3, "decision A needs at least two exits"),
    ("flowchart TD\n  A[x] --> B[y]", 2, 12, "the path ends at B (assess) without a disposition"),
    ("flowchart TD\n  A[x] --> B[y]\n  B --> A", 3, 3, "the edge B --> A closes a cycle"),
])
def test_each_error_class_names_line_and_column(source, line, col, message):
    found = problems(source)
    assert any(f == line and c == col and message in m for f, c, m in found), found


def test_unknown_item_link():
    assert problems(LADDER, {"x-ds-other": "danger sign"}) == [
        (7, 3, "node B links to unknown item 'x-ds-red'")]
    assert problems(LADDER, {"x-ds-red": "danger sign"}) == []


def test_every_problem_at_once():
    source = "flowchart TD\n  A[x] -.-> B[y]\n  C([z])\n  D[q]:::pink"
    assert [line for line, _, _ in problems(source)] == [2, 3, 4]


def test_mermaid_syntax_variants():
    graph, errors = parse('flowchart TB\n  %% a comment\n  A["say [this]"] -- 是 --> B((done)); class B home\n'
                          '  click A href "#x-1" "tooltip"\n  classDef home fill:#efe')
    assert errors == []
    assert graph.direction == "TD" and graph.nodes["A"].text == "say [this]"
    assert graph.nodes["B"].kind == "home" and graph.nodes["B"].shape == "circle"
    assert graph.edges[0].label == "是" and graph.nodes["A"].links == ["x-1"]


def test_line_breaks_in_text():
    graph, _ = parse("flowchart TD\n  A[one<br>two]:::home")
    assert graph.nodes["A"].text == "one\ntwo"


MERGE = """flowchart TD
  A[Assess the child] --> B{Danger sign?}
  B -->|Yes| R[Refer now]:::emergency
  B -->|No| C{Age < 3 months?}
  A --> X{Fever >= 5 days?}
  X -->|Yes| R
  X -->|No| H(Home care):::home
  C -->|Yes| R
  C -->|No| T[Treat and review in 2 days]:::treat
  T --> H
"""
LR = """flowchart LR
  A[评估] --> B{严重脱水？}
  B -->|是| C[方案 C 并转诊]:::urgent
  B -->|否| D{有些脱水？}
  D -->|是| E[方案 B]:::treat
  D -->|否| F(方案 A 居家):::home
"""
GOLDEN_SOURCES = {"ladder": LADDER, "merge": MERGE, "lr": LR}


@pytest.mark.parametrize("name", sorted(GOLDEN_SOURCES))
def test_golden_svg_and_outline(name):
    chart = compile_chart(GOLDEN_SOURCES[name])
    assert chart.ok, chart.problems
    produced = {"svg": chart.svg, "outline": chart.outline_html, "walker": chart.walker}
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") or not golden.exists():
        golden.write_text(json.dumps(produced, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert produced == json.loads(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(GOLDEN_SOURCES))
def test_golden_charts_have_clean_geometry(name):
    assert geometry_problems(compile_chart(GOLDEN_SOURCES[name]).layout) == []


def test_output_is_deterministic():
    assert compile_chart(LADDER).svg == compile_chart(LADDER).svg


def test_svg_is_accessible_and_links_items():
    chart = compile_chart(LADDER, lang="zh")
    assert f'aria-labelledby="{chart.chart_id}-title {chart.chart_id}-desc"' in chart.svg
    assert "<title" in chart.svg and "<desc" in chart.svg
    assert "<a href=\"#x-ds-red\" aria-label=\"有红色征象？ (判断)\">" in chart.svg
    assert "■ 紧急转诊" in chart.svg  # colour plus an icon
    assert 'class="cp-fc-node cp-fc-node--emergency"' in chart.svg


def test_outline_follows_the_decisions():
    chart = compile_chart(LADDER, lang="en")
    outline = chart.outline_html
    assert outline.index("测体温") < outline.index("有红色征象") < outline.index("<strong>是</strong>")
    assert outline.count("<li id=") == 6


def test_outline_and_walker_name_linked_items_by_their_words_and_level():
    from cloudpeds.flowchart.compile import ItemLabel

    items = {"x-ds-red": ItemLabel("Age < 3 months", "emergency", "Red · Emergency")}
    chart = compile_chart(LADDER, lang="en", items=items)
    assert ('<a class="cp-fc-item" href="#x-ds-red"><span class="cp-tag cp-level--emergency">'
            '<span class="cp-shape" aria-hidden="true">■</span> Red · Emergency</span> Age &lt; 3 months</a>'
            in chart.outline_html)
    assert chart.walker["items"]["x-ds-red"] == {"text": "Age < 3 months", "level": "emergency", "shape": "■",
                                                 "tag": "Red · Emergency"}
    assert "#x-ds-red</a>" in compile_chart(LADDER).outline_html  # a bare fence knows only the id
    assert "<" not in figure_html(chart).split('class="cp-fc-data">')[1].split("</script>")[0]


def test_kind_badges_carry_the_level():
    chart = compile_chart(LADDER, lang="en")
    assert ('<span class="cp-fc-kind cp-fc-kind--emergency cp-level--emergency"><span class="cp-shape" '
            'aria-hidden="true">■</span> Emergency</span>' in chart.outline_html)
    assert chart.walker["nodes"]["U"]["level"] == "urgent" and chart.walker["nodes"]["U"]["shape"] == "▲"
    assert chart.walker["nodes"]["A"]["level"] is None


def test_wide_charts_wrap_their_text_to_stay_within_the_width_budget():
    wide = "flowchart TD\n  A{" + "a long question about the child " * 3 + "?}\n" + "".join(
        f"  A -->|{i}| N{i}[" + "a long disposition text for the child " * 2 + "]:::home\n" for i in range(3))
    chart = compile_chart(wide)
    assert chart.layout.width <= WIDTH_BUDGET and geometry_problems(chart.layout) == []


def test_replace_fences_in_a_body():
    from cloudpeds.flowchart.fences import replace_fences

    body = "intro\n\n```flowchart\nflowchart TD\n  A[x]\n```\n\n- item\n\n    ```flowchart\n    B\n    ```\nend\n"
    out = replace_fences(body, lambda fence: f"<figure>{fence.source}</figure>")
    assert "<figure>flowchart TD\n  A[x]</figure>" in out and "```flowchart\n    B" in out  # indented: kept
    assert out.endswith("end\n")


def test_walker_data():
    walker = compile_chart(LADDER).walker
    assert walker["start"] == "A"
    assert walker["nodes"]["B"]["exits"] == [{"label": "是", "to": "R"}, {"label": "否", "to": "C"}]
    assert walker["nodes"]["R"]["kind"] == "emergency" and walker["nodes"]["R"]["exits"] == []


def test_figure_escapes_script_end_in_json():
    chart = compile_chart('flowchart TD\n  A["a </script> b"]:::home')
    html = figure_html(chart)
    assert html.count("</script>") == 2  # only the two real closing tags


def sample_charts() -> list[tuple[str, str]]:
    charts = []
    for path in sorted((ROOT / "manual" / "chapters").glob("*.md")):
        for index, fence in enumerate(find_fences(path.read_text(encoding="utf-8"))):
            charts.append((f"{path.name}#{index}", fence.source))
    return charts


@pytest.mark.parametrize(("name", "source"), sample_charts())
def test_sample_chart_geometry(name, source):
    chart = compile_chart(source)
    assert chart.ok, chart.problems
    assert geometry_problems(chart.layout) == []
    assert chart.layout.width <= 720, "charts must stay narrow enough for a phone"
    # Fitted to a 360 px phone in the viewer, its 14-unit text stays at 12 CSS px or more.
    assert chart.layout.width <= WIDTH_BUDGET


def test_synthetic_150_node_chart_lays_out_cleanly():
    from cloudpeds.flowchart.synthetic import synthetic_chart

    chart = compile_chart(synthetic_chart(150))
    assert chart.ok and geometry_problems(chart.layout) == []
    assert len(chart.layout.boxes) == 150


def test_markdown_fence():
    md = markdown.Markdown(extensions=["pymdownx.superfences"], extension_configs={"pymdownx.superfences": {
        "custom_fences": [{"name": "flowchart", "class": "flowchart",
                           "format": __import__("cloudpeds.flowchart.fence", fromlist=["format"]).format}]}})
    html = md.convert(f"# T\n\n```flowchart\n{LADDER}```\n")
    assert '<figure class="cp-flowchart"' in html and "<svg" in html and "cp-fc-outline" in html
    broken = md.reset().convert("```flowchart\nflowchart TD\n  A[x] -.-> B[y]\n```\n")
    assert 'class="cp-fc-error"' in broken and "dotted edges" in broken
