"""Every generated page at 360×740 in Chromium: no overflow, no other host, no console error,
no axe violation. Screenshots of the home page and a chapter are kept for people to look at."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import ARTIFACTS, AXE

pytestmark = pytest.mark.browser


def page_paths(site) -> list[str]:
    paths = []
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        if relative == "404.html":
            continue
        paths.append("/" + relative.removesuffix("index.html"))
    return paths


def test_every_page_on_a_phone(sample_site, served_site, browser_context):
    origin = urlsplit(served_site).netloc
    problems: list[str] = []
    page = browser_context.new_page()
    foreign: list[str] = []
    failed: list[str] = []
    console: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).netloc not in (origin, "") else None)
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    paths = page_paths(sample_site)
    assert len(paths) >= 30
    for path in paths:
        foreign.clear(), failed.clear(), console.clear()
        page.goto(served_site + path, wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 361).slice(0, 3)
                .map(e => e.tagName + '.' + e.className)""")
            problems.append(f"{path}: page is {width}px wide: {wide}")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            targets = [node["target"] for node in violation["nodes"][:3]]
            problems.append(f"{path}: axe {violation['id']}: {violation['help']} {targets}")
        problems += [f"{path}: request to another host: {url}" for url in foreign]
        problems += [f"{path}: failed request: {url}" for url in failed]
        problems += [f"{path}: console error: {text}" for text in console]
    page.close()
    assert problems == []


def test_screenshots_for_people(served_site, browser_context):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_context.new_page()
    for name, path in (("home", "/"), ("chapter-fever", "/manual/fever/"), ("chapter-fever-en", "/en/manual/fever/")):
        page.goto(served_site + path, wait_until="load")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.goto(served_site + "/manual/fever/#referral", wait_until="load")
    page.screenshot(path=str(ARTIFACTS / "chapter-fever-referral.png"))
    page.close()
    assert (ARTIFACTS / "home.png").stat().st_size > 10_000


def test_language_switch_goes_to_the_same_chapter(served_site, browser_context):
    page = browser_context.new_page()
    page.goto(served_site + "/manual/fever/")
    page.click("a.cp-lang-switch__link[hreflang=en]")
    page.wait_for_url("**/en/manual/fever/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.inner_text().startswith("Fever")
    page.click("a.cp-lang-switch__link[hreflang=zh]")
    page.wait_for_url("**/manual/fever/")
    assert page.locator("h1").first.inner_text().startswith("发热")
    page.close()


def test_danger_sign_links_to_its_referral(served_site, browser_context):
    page = browser_context.new_page()
    page.goto(served_site + "/manual/fever/")
    page.click("#fever-ds-young-infant a.cp-sign__go")
    page.wait_for_url("**#fever-ref-emergency")
    assert page.locator("#fever-ref-emergency").is_visible()
    page.close()
