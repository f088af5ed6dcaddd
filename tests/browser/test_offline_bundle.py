"""The offline bundle opened from disk (file://): lessons play their MP4, search works."""

from __future__ import annotations

import shutil

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
