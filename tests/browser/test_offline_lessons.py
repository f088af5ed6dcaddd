"""Lessons saved for offline, in Chromium with the service worker, through real nginx with the site's CSP:
save a lesson, go offline, play it to its end (captions too); the "saved" page lists it (zh and en) and removes
it; a full quota gives a clear message and leaves nothing half-saved."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from cloudpeds.delivery import csp_for_site
from cloudpeds.delivery.local_nginx import serve

from .conftest import ARTIFACTS
from .test_service_worker import browser, wait_until_controlled  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

LESSON = "courses/fever-in-the-community/fever-danger-signs/"
SAVED_MP4 = """() => navigator.serviceWorker.ready.then(r => caches.open("cloudpeds-lessons-" + r.scope))
  .then(c => c.keys()).then(keys => keys.map(k => k.url).filter(u => /offline\\.mp4$/.test(u)).length)"""


@pytest.fixture(scope="module")
def site_server(sample_site, tmp_path_factory) -> Iterator:
    with serve(sample_site, tmp_path_factory.mktemp("nginx"), csp=csp_for_site(sample_site)) as server:
        yield server


def open_controlled(chromium, url: str):
    page = chromium.page()
    page.goto(url)
    wait_until_controlled(page)
    page.evaluate("() => navigator.serviceWorker.ready")  # installed: the precache is complete
    page.reload(wait_until="load")
    return page


def test_a_saved_lesson_plays_offline_to_its_end(site_server, browser):  # noqa: F811
    chromium = browser(site_server.origin)
    page = open_controlled(chromium, site_server.url() + LESSON)
    save = page.locator(".cp-save")
    save.wait_for(state="visible")
    assert re.search(r"大小：\d+\.\d MB", save.inner_text())
    page.locator(".cp-save__button").click()
    page.wait_for_function("() => document.querySelector('.cp-save').dataset.saved === 'true'", timeout=60_000)
    assert "已保存" in page.locator(".cp-save__status").inner_text()
    assert re.search(r"本站在本机已用 \d+\.\d [MG]B，可用上限 \d+\.\d [MG]B",
                     page.locator(".cp-save__storage").inner_text())
    assert page.evaluate(SAVED_MP4) == 1

    chromium.context.set_offline(True)
    page.reload(wait_until="load")  # the page itself comes from the precache
    assert page.evaluate("navigator.onLine") is False
    page.evaluate("""() => {
      const video = document.querySelector('.cp-player__video');
      window.__ended = false;
      video.addEventListener('ended', () => { window.__ended = true; });
      video.addEventListener('playing', () => { video.playbackRate = 4; });
    }""")
    page.locator(".cp-player__start").click()
    page.wait_for_function("() => document.querySelector('.cp-player').dataset.state === 'playing'", timeout=60_000)
    page.wait_for_function("() => window.__ended === true", timeout=180_000)
    assert page.evaluate("document.querySelector('.cp-player__video').currentTime") > 5
    # The captions came from the saved copy too (the worker answered the track's request from the cache).
    page.wait_for_function("""() => { const t = document.querySelector('.cp-player__video').textTracks;
      return Array.from(t).some(track => track.cues && track.cues.length > 0); }""", timeout=30_000)
    assert page.locator(".cp-player__message").is_hidden()

    # The "saved" page lists it, offline, in both languages; removing it there empties the cache.
    page.goto(site_server.url() + "en/courses/saved/", wait_until="load")
    item = page.locator(".cp-saved__item")
    item.wait_for()
    assert "Check the danger signs first" in item.inner_text() and "MB" in item.inner_text()
    page.goto(site_server.url() + "courses/saved/", wait_until="load")
    item = page.locator(".cp-saved__item[data-lesson=fever-danger-signs]")
    item.wait_for()
    assert "发热患儿先查危险征象" in item.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "saved-lessons-zh.png"), full_page=True)
    item.locator(".cp-saved__remove").click()
    page.locator(".cp-saved__empty").wait_for(state="visible")
    assert page.evaluate(SAVED_MP4) == 0
    chromium.context.set_offline(False)
    assert chromium.csp_reports() == []
    assert chromium.other_hosts() == []


def test_a_full_quota_says_so_and_keeps_nothing(site_server, browser):  # noqa: F811
    chromium = browser(site_server.origin)
    page = open_controlled(chromium, site_server.url() + "en/" + LESSON)
    page.locator(".cp-save").wait_for(state="visible")
    usage = page.evaluate("() => navigator.storage.estimate().then(e => e.usage)")
    cdp = chromium.context.new_cdp_session(page)
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": site_server.origin, "quotaSize": usage + 200_000})
    page.locator(".cp-save__button").click()
    page.wait_for_function("() => document.querySelector('.cp-save').dataset.saved === 'false'", timeout=60_000)
    status = page.locator(".cp-save__status").inner_text()
    assert re.match(r"Not saved: the phone's storage for this site is full \(needs \d+\.\d MB", status), status
    assert page.evaluate(SAVED_MP4) == 0
    assert page.evaluate("localStorage.getItem('cp-saved-lessons')") in (None, "{}")
    # What player.js looks for offline (the MP4 in Cache Storage) is not there: no copy that fails half-way.
    assert page.evaluate("""() => caches.match(new URL(document.querySelector('.cp-player__video')
      .getAttribute('data-mp4'), location.href).href).then(hit => hit === undefined)""")
    # Saving works again once there is room.
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": site_server.origin})
    page.locator(".cp-save__button").click()
    page.wait_for_function("() => document.querySelector('.cp-save').dataset.saved === 'true'", timeout=60_000)
    assert page.evaluate(SAVED_MP4) == 1
    assert chromium.csp_reports() == []
