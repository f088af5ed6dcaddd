"""What the service worker keeps for reading offline: what a reader needs, not the video posters (kept once a
page shows them) and not the editors' guide (offline it gets the 404 page, which says the page is not saved)."""

from __future__ import annotations

import pytest

from cloudpeds.delivery import csp_for_site
from cloudpeds.delivery.local_nginx import serve

from .test_service_worker import browser, wait_until_controlled  # noqa: F401 (browser is a fixture)

pytestmark = pytest.mark.browser

CACHED_URLS = """prefix => caches.keys().then(names => Promise.all(names.filter(n => n.startsWith(prefix))
  .map(n => caches.open(n).then(c => c.keys()).then(rs => rs.map(r => r.url))))).then(lists => lists.flat())"""
LESSON = "courses/fever-in-the-community/fever-danger-signs/"


def test_precache_holds_what_a_reader_needs_and_posters_come_on_demand(sample_site, tmp_path, browser):  # noqa: F811
    with serve(sample_site, tmp_path / "nginx", csp=csp_for_site(sample_site)) as server:
        chromium = browser(server.origin)
        page = chromium.page()
        page.goto(server.url())
        wait_until_controlled(page)
        precached = page.evaluate(CACHED_URLS, "cloudpeds-2018-")
        assert server.url("manual/fever/index.html") in [url.split("?")[0] for url in precached]
        assert [url for url in precached if "/media/" in url or "/guide/editors/" in url] == []
        assert page.evaluate(CACHED_URLS, "cloudpeds-media-") == []

        page.goto(server.url(LESSON))
        poster = page.locator("img.cp-player__poster").first.evaluate("img => img.currentSrc || img.src")
        assert poster and "media/" in poster
        page.wait_for_function(f"() => caches.open('cloudpeds-media-{server.url()}').then(c => c.keys())"
                               ".then(keys => keys.length > 0)", timeout=30_000)

        chromium.context.set_offline(True)
        page.goto(server.url(LESSON))  # the lesson page is precached; its poster now comes from the cache
        page.wait_for_function("""() => new Promise(resolve => { const img = new Image();
          img.onload = () => resolve(img.naturalWidth > 0); img.onerror = () => resolve(false);
          img.src = document.querySelector('img.cp-player__poster').currentSrc
            || document.querySelector('img.cp-player__poster').src; })""", timeout=30_000)
        response = page.goto(server.url("guide/editors/"))
        assert response.status == 404
        assert "没有保存供离线阅读" in page.locator(".cp-notfound").inner_text()
        chromium.collect(page)
        page.close()
    assert chromium.csp_reports() == []
