"""Search in Chromium at phone size: over http and from file:// (offline build)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import ROOT, mkdocs_build
from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def open_search(page):
    page.click(".cp-search__open")
    page.wait_for_selector(".cp-search__input", state="visible")


def results_for(page, query: str):
    page.fill(".cp-search__input", "")
    page.fill(".cp-search__input", query)
    page.wait_for_function(
        "q => document.querySelector('.cp-search__input').value === q && "
        "document.querySelectorAll('.cp-search__result').length > 0", arg=query)
    return page.locator(".cp-search__result")


def test_index_loads_lazily_once(served_site, browser_context):
    page = browser_context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(served_site + "/manual/fever/")
    assert not [u for u in requested if "/search/index." in u or "lunr.min.js" in u]
    open_search(page)
    results_for(page, "抽筋")
    assert [u for u in requested if u.endswith("/search/index.zh.js")] and \
        len([u for u in requested if "/search/index." in u]) == 1
    page.wait_for_selector(".cp-search__snippet")  # snippets follow from a text block
    shards = [u for u in requested if "/search/zh/terms-" in u]
    entry = page.evaluate("window.cpSearchData.zh")
    assert 1 <= len(shards) < len(entry["terms"]), shards  # only the shards the query needs
    assert not [u for u in requested if "/search/en/" in u]
    page.close()


@pytest.mark.parametrize(("query", "expected_url", "expected_title"), [
    ("抽筋", "/manual/convulsions/", "惊厥"),
    ("发烧", "/manual/fever/", "发热"),
    ("拉肚子", "/manual/diarrhoea/", "腹泻"),
])
def test_first_result_is_the_chapter(served_site, browser_context, query, expected_url, expected_title):
    page = browser_context.new_page()
    page.goto(served_site + "/")
    open_search(page)
    first = results_for(page, query).first
    assert first.locator(".cp-search__title").inner_text() == expected_title
    first.click()
    page.wait_for_url(f"**{expected_url}")
    assert page.locator("h1").first.inner_text().startswith(expected_title)
    page.close()


def test_tapping_a_danger_sign_lands_on_that_section(served_site, browser_context):
    page = browser_context.new_page()
    page.goto(served_site + "/en/")
    open_search(page)
    results = results_for(page, "non-blanching rash")
    page.screenshot(path=str(ARTIFACTS / "search-results-en.png"))
    danger = page.locator(".cp-search__group--danger-sign .cp-search__result").first
    href = danger.get_attribute("href")
    anchor = href.split("#", 1)[1]
    danger.click()
    page.wait_for_url(f"**#{anchor}")
    target = page.locator(f"#{anchor}")
    assert target.is_visible() and "cp-sign" in target.get_attribute("class")
    assert results.count() >= 0
    page.close()


def test_keyboard_only(served_site, browser_context):
    page = browser_context.new_page()
    page.goto(served_site + "/en/")
    page.keyboard.press("/")
    page.keyboard.type("wheeze")
    page.wait_for_function("document.querySelector('.cp-search__title')?.textContent === 'Wheeze'")
    page.wait_for_timeout(200)  # let the as-you-type rendering settle
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('cp-search__result')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/manual/wheeze/")
    page.close()


def test_search_results_screenshot_zh(served_site, browser_context):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_context.new_page()
    page.goto(served_site + "/")
    open_search(page)
    results_for(page, "发烧")
    page.screenshot(path=str(ARTIFACTS / "search-results-zh.png"))
    page.close()


@pytest.fixture(scope="module")
def file_site(tmp_path_factory) -> Path:
    """The site built with file URLs (manual/fever.html) so it works opened from disk."""
    folder = tmp_path_factory.mktemp("offline")
    config = folder / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'content'}\n"
                      "use_directory_urls: false\n", encoding="utf-8")
    for name in ("manual", "theme", "node_modules"):
        (folder / name).symlink_to(ROOT / name)
    site = folder / "site"
    result = mkdocs_build(folder, site)
    assert result.returncode == 0, result.stderr
    return site


def test_search_from_file_url(file_site, browser_context):
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((file_site / "en" / "index.html").as_uri())
    open_search(page)
    first = results_for(page, "wheeze").first
    assert first.locator(".cp-search__title").inner_text() == "Wheeze"
    first.click()
    page.wait_for_url("**/en/manual/wheeze.html")
    assert page.locator("h1").first.inner_text().startswith("Wheeze")
    open_search(page)
    results_for(page, "fits").first.click()
    page.wait_for_url("**/en/manual/convulsions.html")
    assert errors == []
    page.close()
