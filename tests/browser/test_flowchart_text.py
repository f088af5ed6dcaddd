"""The flow chart's text version, viewer and walker on a 360 px phone (issue 13, "The flowchart's text version").

Every chapter of the sample, in both languages: the outline names linked items by their words and level
without JavaScript, stays left-aligned inside the screen; the viewer opens fitted to the width with text of
12 CSS px or more, and carries the sample disclaimer and the edition; the walker opens below its button,
keeps its path list left-aligned and prints no "Outcome" word after the result.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import ROOT
from .conftest import AXE, CHROMIUM, CHROMIUM_ARGS, PHONE

pytestmark = pytest.mark.browser

CHAPTERS = sorted({p.name.split(".")[0] for p in (ROOT / "manual" / "chapters").glob("*.md")})
PAGES = [f"/manual/{c}/" for c in CHAPTERS] + [f"/en/manual/{c}/" for c in CHAPTERS]
FONT_UNITS = 14  # cloudpeds.flowchart.layout.FONT_SIZE: node text in SVG units


@pytest.fixture(scope="module")
def no_script_page(playwright_session):
    """A page of a browser with JavaScript off: what the build alone gives."""
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, java_script_enabled=False,
                                  service_workers="block")
    page = context.new_page()
    yield page
    browser.close()


def test_outline_links_read_as_their_items_without_javascript(served_site, no_script_page):
    page = no_script_page
    checked = 0
    for path in PAGES:
        page.goto(served_site + path)
        links = page.eval_on_selector_all(".cp-fc-outline a.cp-fc-item", """links => links.map(a => {
            const target = document.getElementById(a.getAttribute('href').slice(1));
            const tag = a.querySelector('.cp-tag');
            const ownTag = target && target.querySelector('.cp-tag');
            const words = target && target.querySelector('.cp-sign__text');
            return {href: a.getAttribute('href'), text: a.textContent.trim(), tag: tag && tag.textContent.trim(),
                    ownTag: ownTag && ownTag.textContent.trim(), words: words && words.textContent.trim(),
                    kind: target ? target.className : ''};
        })""")
        assert links, path
        for link in links:
            assert not link["text"].startswith("#"), (path, link)
            if "cp-sign" in link["kind"]:  # a danger sign: its words, with its level's tag as on the sign
                assert link["words"] in link["text"] and link["tag"] == link["ownTag"], (path, link)
            if "cp-referral" in link["kind"]:  # a referral: its level's tag as on the card
                assert link["tag"] == link["ownTag"], (path, link)
            checked += 1
    assert checked > 100


def test_outline_is_left_aligned_with_bounded_indentation(served_site, browser_context):
    page = browser_context.new_page()
    for path in PAGES:
        page.goto(served_site + path)
        page.evaluate("document.querySelectorAll('.cp-fc-outline').forEach(d => d.open = true)")
        geometry = page.evaluate("""() => {
            const outline = document.querySelector('.cp-fc-outline');
            const box = outline.getBoundingClientRect();
            const items = [...outline.querySelectorAll('li')].map(li => {
                const r = li.getBoundingClientRect();
                return {left: r.left - box.left, right: r.right, align: getComputedStyle(li).textAlign};
            });
            const content = document.querySelector('.md-content__inner').getBoundingClientRect();
            return {items, outlineLeft: box.left, outlineWidth: box.width, contentLeft: content.left,
                    contentWidth: content.width, scrollWidth: document.documentElement.scrollWidth};
        }""")
        assert geometry["scrollWidth"] <= PHONE["width"], path
        assert geometry["outlineWidth"] >= 0.9 * geometry["contentWidth"], path  # not a centred column
        for item in geometry["items"]:
            assert item["right"] <= PHONE["width"], (path, item)
            assert item["align"] in ("left", "start"), (path, item)
            assert item["left"] <= 64, (path, item)  # at most a few small steps of indentation
    page.close()


def test_viewer_opens_fitted_to_the_width_with_readable_text(served_site, browser_context):
    page = browser_context.new_page()
    for path in PAGES:
        page.goto(served_site + path)
        figure = page.locator(".cp-flowchart").first
        strings = json.loads(figure.locator(".cp-fc-strings").text_content())
        figure.get_by_role("button", name=strings["enlarge"]).click()
        dialog = page.locator("dialog.cp-fc-viewer")
        dialog.wait_for(state="visible")
        fit = page.evaluate("""() => {
            const stage = document.querySelector('.cp-fc-viewer__stage');
            const svg = stage.querySelector('svg');
            const r = svg.getBoundingClientRect();
            return {left: r.left, right: r.right, scale: r.width / svg.viewBox.baseVal.width,
                    overflow: stage.scrollWidth - stage.clientWidth, stageRight: stage.getBoundingClientRect().right};
        }""")
        assert fit["left"] >= 0 and fit["right"] <= fit["stageRight"] and fit["overflow"] <= 0, (path, fit)
        assert FONT_UNITS * fit["scale"] >= 12, (path, fit)
        page.keyboard.press("Escape")
        page.wait_for_selector("dialog.cp-fc-viewer", state="detached")
    page.close()


def test_viewer_shows_the_sample_disclaimer_and_the_edition(served_site, browser_context):
    page = browser_context.new_page()
    for path, enlarge in (("/manual/fever/", "放大查看"), ("/en/manual/fever/", "Enlarge")):
        page.goto(served_site + path)
        disclaimer = page.locator(".cp-disclaimer").inner_text().strip()
        edition = json.loads(page.locator(".cp-edition-data").text_content())
        page.locator(".cp-flowchart").first.get_by_role("button", name=enlarge).click()
        dialog = page.locator("dialog.cp-fc-viewer")
        dialog.wait_for(state="visible")
        assert dialog.locator(".cp-fc-viewer__disclaimer").count() == 1
        assert dialog.locator(".cp-fc-viewer__disclaimer").inner_text().strip() == disclaimer
        assert dialog.locator(".cp-fc-viewer__disclaimer").is_visible()
        assert edition["label"] in dialog.locator(".cp-fc-viewer__edition").inner_text()
        page.keyboard.press("Escape")
    page.close()


def test_walker_opens_below_its_button_left_aligned_without_an_outcome_word(served_site, browser_context):
    page = browser_context.new_page()
    for path in PAGES:
        page.goto(served_site + path)
        figure = page.locator(".cp-flowchart").first
        data = json.loads(figure.locator(".cp-fc-data").text_content())
        strings = json.loads(figure.locator(".cp-fc-strings").text_content())
        button = figure.get_by_role("button", name=strings["walk"])
        button.click()
        walker = figure.locator(".cp-fc-walker")
        gap = walker.bounding_box()["y"] - (button.bounding_box()["y"] + button.bounding_box()["height"])
        assert 0 <= gap <= 40, (path, gap)
        # Walk the first exits to an outcome.
        node = data["start"]
        while data["nodes"][node]["exits"]:
            exit_ = data["nodes"][node]["exits"][0]
            walker.get_by_role("button", name=exit_["label"] or strings["next"], exact=True).click()
            node = exit_["to"]
        text = walker.inner_text()
        assert strings["result"] not in text, (path, text)
        geometry = page.evaluate("""() => {
            const walker = document.querySelector('.cp-fc-walker'), figure = walker.closest('figure');
            const path = walker.querySelector('.cp-fc-walker__path');
            const w = walker.getBoundingClientRect(), f = figure.getBoundingClientRect();
            return {walkerLeft: w.left - f.left, walkerWidth: w.width / f.width,
                    pathLeft: path ? path.getBoundingClientRect().left - w.left : 0,
                    align: path ? getComputedStyle(path.querySelector('li')).textAlign : 'left'};
        }""")
        assert geometry["walkerLeft"] <= 1 and geometry["walkerWidth"] >= 0.99, (path, geometry)
        assert geometry["pathLeft"] <= 48 and geometry["align"] in ("left", "start"), (path, geometry)
    page.close()


@pytest.mark.parametrize("path", ["/manual/fever/", "/en/manual/fever/", "/manual/vomiting/", "/en/manual/vomiting/"])
def test_open_outline_walker_and_viewer_pass_axe(served_site, browser_context, path):
    """Level tags inside outline links, the walker's badges and the viewer's notes keep their contrast."""
    page = browser_context.new_page()
    page.goto(served_site + path)
    page.evaluate("document.querySelectorAll('.cp-fc-outline').forEach(d => d.open = true)")
    figure = page.locator(".cp-flowchart").first
    strings = json.loads(figure.locator(".cp-fc-strings").text_content())
    figure.get_by_role("button", name=strings["walk"]).click()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], [n["html"][:120] for n in v["nodes"][:3]]) for v in result["violations"]] == []
    figure.get_by_role("button", name=strings["enlarge"]).click()
    result = page.evaluate("axe.run(document.querySelector('dialog.cp-fc-viewer'), {resultTypes: ['violations']})")
    assert [(v["id"], [n["html"][:120] for n in v["nodes"][:3]]) for v in result["violations"]] == []
    page.close()


def test_every_sample_chapter_has_a_chart():
    assert len(PAGES) == 2 * len(CHAPTERS) >= 20
    assert all(Path(ROOT / "manual" / "chapters" / f"{c}.zh.md").exists() for c in CHAPTERS)
