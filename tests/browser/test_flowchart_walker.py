"""The flowchart on a phone: visible, enlargeable, and walked from the start to every outcome."""

from __future__ import annotations

import json

import pytest

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser


END = object()


def all_paths(data: dict) -> list[list[tuple[str, object]]]:
    """Every path from the start to an outcome, as (node, label of the exit taken; END at the outcome)."""
    paths = []

    def walk(node_id: str, taken: list[tuple[str, str | None]]) -> None:
        exits = data["nodes"][node_id]["exits"]
        if not exits:
            paths.append([*taken, (node_id, END)])
        for exit_ in exits:
            walk(exit_["to"], [*taken, (node_id, exit_["label"])])

    walk(data["start"], [])
    return paths


@pytest.mark.parametrize("path", ["/manual/fever/", "/en/manual/fever/"])
def test_walker_reaches_every_outcome(served_site, browser_context, path):
    page = browser_context.new_page()
    page.goto(served_site + path)
    figure = page.locator(".cp-flowchart").first
    figure.scroll_into_view_if_needed()
    assert figure.locator("svg").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    data = json.loads(figure.locator(".cp-fc-data").text_content())
    strings = json.loads(figure.locator(".cp-fc-strings").text_content())
    figure.get_by_role("button", name=strings["walk"]).click()
    walker = figure.locator(".cp-fc-walker")
    outcomes = set()
    for route in all_paths(data):
        for node_id, label in route:
            question = walker.locator(".cp-fc-walker__question")
            assert data["nodes"][node_id]["text"].replace("\n", " ") in question.inner_text()
            if label is END:
                # The outcome reads as its level (shape, colour, word), with no "Outcome" word after it.
                assert data["nodes"][node_id]["kindName"] in question.locator(".cp-fc-kind").inner_text()
                assert strings["result"] not in walker.inner_text()
                outcomes.add(node_id)
                break
            walker.get_by_role("button", name=label or strings["next"], exact=True).click()
        # Back returns to the previous question; restart to the first.
        walker.get_by_role("button", name=strings["back"]).click()
        assert data["nodes"][route[-2][0]]["text"].replace("\n", " ") in walker.locator(
            ".cp-fc-walker__question").inner_text()
        walker.get_by_role("button", name=strings["restart"]).click()
    assert outcomes == {n for n, node in data["nodes"].items() if not node["exits"]}
    page.close()


def test_walker_works_with_the_keyboard(served_site, browser_context):
    page = browser_context.new_page()
    page.goto(served_site + "/manual/fever/")
    figure = page.locator(".cp-flowchart").first
    figure.get_by_role("button", name="逐步判断").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('cp-fc-walker__question')")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the first answer
    assert figure.locator(".cp-fc-walker__path li").count() == 1
    page.close()


def test_enlarge_opens_a_zoomable_full_screen_view(served_site, browser_context):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_context.new_page()
    page.goto(served_site + "/manual/fever/")
    figure = page.locator(".cp-flowchart").first
    figure.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "flowchart-fever.png"))
    figure.get_by_role("button", name="放大查看").click()
    dialog = page.locator("dialog.cp-fc-viewer")
    assert dialog.is_visible()
    before = dialog.locator("svg").bounding_box()["width"]
    dialog.get_by_role("button", name="放大", exact=True).click()
    page.wait_for_function("w => document.querySelector('dialog.cp-fc-viewer svg').getBoundingClientRect().width > w",
                           arg=before)
    page.screenshot(path=str(ARTIFACTS / "flowchart-fever-enlarged.png"))
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.cp-fc-viewer", state="detached")
    page.close()


def test_node_links_lead_to_items(served_site, browser_context):
    page = browser_context.new_page()
    page.goto(served_site + "/manual/fever/")
    link = page.locator(".cp-fc-canvas svg a").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{target}")
    assert page.locator(target).is_visible()
    page.close()


def test_second_chart_screenshot(served_site, browser_context):
    page = browser_context.new_page()
    page.goto(served_site + "/en/manual/diarrhoea/")
    figure = page.locator(".cp-flowchart").first
    if figure.count():
        figure.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "flowchart-diarrhoea-en.png"))
    page.close()
