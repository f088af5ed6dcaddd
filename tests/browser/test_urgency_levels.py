"""Issue 12 §1, done when: in every chapter, zh and en, the flow chart's SVG node, the walker's result, the
text outline's entry and the linked referral card show the same level (shape + colour + word) for the same
disposition — all drawn from cloudpeds.clinical.urgency."""

from __future__ import annotations

import json

import pytest

from cloudpeds.clinical.urgency import BY_ID

from ..conftest import ROOT

pytestmark = pytest.mark.browser

CHAPTERS = sorted({p.name.split(".")[0] for p in (ROOT / "manual" / "chapters").glob("*.md")})
PAGES = [f"/manual/{c}/" for c in CHAPTERS] + [f"/en/manual/{c}/" for c in CHAPTERS]

READ = """([chart, node]) => {
  const rgb = colour => { const probe = document.createElement('span'); probe.style.color = colour;
    document.body.appendChild(probe); const value = getComputedStyle(probe).color; probe.remove(); return value; };
  const badge = el => { if (!el) return null; const shape = el.querySelector('.cp-shape').textContent.trim();
    return {shape, word: el.textContent.replace(shape, '').trim(), colour: getComputedStyle(el).backgroundColor}; };
  const g = document.querySelector(`#${chart} .cp-fc-canvas g.cp-fc-node[data-node="${node}"]`);
  const label = (g.closest('a') || g).getAttribute('aria-label');
  const svg = {shape: g.querySelector('tspan').textContent.trim().split(' ')[0],
               word: label.match(/\\(([^()]*)\\)$/)[1],
               colour: rgb(g.querySelector('rect, polygon').getAttribute('fill'))};
  const outline = badge(document.querySelector(`#${chart}-o-${node} > .cp-fc-kind`));
  const walker = badge(document.querySelector(`#${chart} .cp-fc-walker__question .cp-fc-kind`));
  const cards = [...document.querySelectorAll(`#${chart} .cp-fc-walker__item a`)]
    .map(a => document.getElementById(a.getAttribute('href').slice(1)))
    .filter(target => target && target.classList.contains('cp-referral'))
    .map(card => ({id: card.id, ...badge(card.querySelector('.cp-referral__title .cp-tag'))}));
  const walkerLinks = [...document.querySelectorAll(`#${chart} .cp-fc-walker__item a`)]
    .filter(a => document.getElementById(a.getAttribute('href').slice(1))?.classList.contains('cp-referral'))
    .map(a => badge(a.querySelector('.cp-tag')));
  return {svg, outline, walker, cards, walkerLinks};
}"""


def path_to(data: dict, target: str) -> list[str | None]:
    """The exit labels from the start to ``target`` (breadth first)."""
    queue: list[tuple[str, list[str | None]]] = [(data["start"], [])]
    seen = {data["start"]}
    while queue:
        node, labels = queue.pop(0)
        if node == target:
            return labels
        for exit_ in data["nodes"][node]["exits"]:
            if exit_["to"] not in seen:
                seen.add(exit_["to"])
                queue.append((exit_["to"], [*labels, exit_["label"]]))
    raise AssertionError(f"{target} is unreachable")


@pytest.mark.parametrize("path", PAGES)
def test_every_view_shows_a_disposition_at_the_same_level(served_site, browser_context, path):
    page = browser_context.new_page()
    page.goto(served_site + path)
    figure = page.locator(".cp-flowchart").first
    chart = figure.get_attribute("id")
    data = json.loads(figure.locator(".cp-fc-data").text_content())
    strings = json.loads(figure.locator(".cp-fc-strings").text_content())
    figure.get_by_role("button", name=strings["walk"]).click()
    walker = figure.locator(".cp-fc-walker")
    lang = "en" if path.startswith("/en/") else "zh"
    dispositions = [n for n, node in data["nodes"].items() if node["level"]]
    assert dispositions, path
    cards_seen = 0
    for node_id in dispositions:
        walker.get_by_role("button", name=strings["restart"]).click()
        for label in path_to(data, node_id):
            walker.get_by_role("button", name=label or strings["next"], exact=True).click()
        seen = page.evaluate(READ, [chart, node_id])
        level = BY_ID[data["nodes"][node_id]["level"]]
        expected = {"shape": level.shape, "word": level.word[lang]}
        for view in ("svg", "outline", "walker"):
            assert {k: seen[view][k] for k in ("shape", "word")} == expected, (path, node_id, view, seen)
        assert seen["svg"]["colour"] == seen["outline"]["colour"] == seen["walker"]["colour"], (path, node_id, seen)
        linked = [item for item in data["nodes"][node_id]["links"] if page.locator(f"article#{item}").count()]
        assert len(seen["cards"]) == len(linked), (path, node_id, seen)
        for card in [*seen["cards"], *seen["walkerLinks"]]:
            assert {k: card[k] for k in ("shape", "word", "colour")} == {**expected, "colour": seen["svg"]["colour"]}, (
                path, node_id, card)
            cards_seen += 1
    assert cards_seen, f"{path}: no disposition links a referral card"
    page.close()
