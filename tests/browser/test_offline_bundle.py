"""The offline bundle opened from disk (file://): lessons play their MP4, search works."""

from __future__ import annotations

import shutil
import urllib.parse
from pathlib import Path

import pytest

from ..integration.test_bundle import bundle  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


def test_offline_bundle_from_file_url(bundle, tmp_path, browser_context):  # noqa: F811
    folder = tmp_path / "unzipped"
    shutil.unpack_archive(bundle, folder)
    page = browser_context.new_page()
    page.goto((folder / "courses" / "fever-in-the-community" / "fever-danger-signs.html").as_uri())
    assert page.get_attribute(".cp-lesson", "data-engine") == "mp4"
    page.locator("video").evaluate("v => { v.muted = true; v.play(); }")  # do not wait on play()
    page.wait_for_function("document.querySelector('video').currentTime > 1", timeout=20_000)
    page.goto((folder / "en" / "index.html").as_uri())
    page.click(".cp-search__open")
    page.fill(".cp-search__input", "wheeze")
    page.wait_for_selector(".cp-search__result")
    page.locator(".cp-search__result").first.click()
    page.wait_for_url("**/en/manual/wheeze.html")
    page.close()


def test_captions_and_poster_from_the_unzipped_bundle(bundle, tmp_path, browser_context):  # noqa: F811
    """Chromium loads no <track> from file:// and, with crossorigin, no poster either (issue 20)."""
    folder = tmp_path / "unzipped"
    shutil.unpack_archive(bundle, folder)
    page = browser_context.new_page()
    page.goto((folder / "courses" / "fever-in-the-community" / "fever-danger-signs.html").as_uri())
    assert page.get_attribute("video", "crossorigin") is None
    page.wait_for_function("(() => { const img = document.querySelector('.cp-player__poster'); "
                           "return img.complete && img.naturalWidth > 0; })()")
    page.locator("video").evaluate("v => { v.muted = true; }")
    page.click(".cp-player__start")
    page.wait_for_function("document.querySelector('video').currentTime > 1", timeout=20_000)
    cues = ("(lang) => { const t = [...document.querySelector('video').textTracks]"
            ".find((t) => t.language === lang); t.mode = t.mode === 'disabled' ? 'hidden' : t.mode; "
            "return t.cues ? t.cues.length : 0; }")
    page.wait_for_function(f"({cues})('zh') > 0")
    page.wait_for_function(f"({cues})('en') > 0")
    assert page.evaluate("document.querySelector('video').textTracks[0].mode") == "showing"  # the page's language
    page.close()


def test_the_404_page_of_the_unzipped_bundle_and_its_links(bundle, tmp_path, browser_context):  # noqa: F811
    """Opened from file://, the 404 page is styled and each of its links opens a page of the bundle (issue 20)."""
    folder = tmp_path / "unzipped"
    shutil.unpack_archive(bundle, folder)
    page = browser_context.new_page()
    page.goto((folder / "404.html").as_uri())
    assert page.locator("h1").first.inner_text().startswith("页面不存在")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    hrefs = page.eval_on_selector_all("a[href]", "links => [...new Set(links.map((a) => a.href.split('#')[0]))]")
    local = [href for href in hrefs if href.startswith("file://")]  # every link but Material's own site
    assert len(local) >= 10, hrefs
    for href in local:
        target = Path(urllib.parse.unquote(urllib.parse.urlsplit(href).path))
        assert target.is_file(), f"{href} is not a file of the bundle"
        page.goto(href)
        assert page.locator("article h1, .cp-notfound h1").first.is_visible(), href
        assert not page.title().startswith("Index of"), href
    # the way home and the other language, clicked as a reader would
    page.goto((folder / "404.html").as_uri())
    page.locator(".cp-notfound__home").first.click()
    page.wait_for_url((folder / "index.html").as_uri())
    page.goto((folder / "404.html").as_uri())
    page.locator(".cp-notfound__home").nth(1).click()
    page.wait_for_url((folder / "en" / "index.html").as_uri())
    page.close()
