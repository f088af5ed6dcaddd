"""The 404 page: in both languages, with the way home, search and the other language; under a sub-path
(/manual/) served by nginx with the generated config and no ``site_url`` it loads its styles and links to
the right places at any depth; offline, the service worker shows it for pages it does not hold."""

from __future__ import annotations

import pytest

from cloudpeds.delivery import csp_for_site
from cloudpeds.delivery.local_nginx import serve

from .test_search import results_for
from .test_service_worker import browser, wait_until_controlled  # noqa: F401 (browser is a fixture)

pytestmark = pytest.mark.browser

STYLED = "() => getComputedStyle(document.querySelector('.md-header')).position === 'sticky'"


def check_not_found_page(page, server) -> None:
    assert page.locator("h1").first.inner_text().startswith("页面不存在")
    assert page.locator(".cp-notfound > div[lang=en]").inner_text().startswith("There is no page")
    assert page.evaluate(STYLED), "Material's style sheet did not load"
    homes = page.locator(".cp-notfound__home")
    assert [homes.nth(i).evaluate("a => a.href") for i in range(2)] == [server.url(), server.url("en/")]
    switch = page.locator("a.cp-lang-switch__link[hreflang=en]")
    assert switch.evaluate("a => a.href") == server.url("en/")
    assert page.locator(".md-header__button.md-logo").evaluate("a => a.href") == server.url()


@pytest.mark.parametrize("missing", ["nothing-here", "manual/fever/typo", "en/manual/no/such/page/"])
def test_not_found_under_a_sub_path_without_site_url(sample_site, tmp_path, browser, missing):  # noqa: F811
    with serve(sample_site, tmp_path / "nginx", base_path="/manual/", csp=csp_for_site(sample_site)) as server:
        chromium = browser(server.origin)
        page = chromium.page()
        failed: list[str] = []
        page.on("response", lambda r: failed.append(f"{r.status} {r.request.method} {r.url}")
                if r.status >= 400 and r.request.method != "HEAD" and r.url != server.url(missing) else None)
        response = page.goto(server.url(missing))
        assert response.status == 404
        check_not_found_page(page, server)
        assert failed == []

        page.locator(".cp-notfound__search").first.click()
        first = results_for(page, "抽筋").first
        assert first.locator(".cp-search__title").inner_text() == "惊厥"
        first.click()
        page.wait_for_url(server.url("manual/convulsions/"))

        page.goto(server.url(missing))
        page.locator(".cp-notfound__home").first.click()
        page.wait_for_url(server.url())
        assert page.locator(".cp-quicklinks").is_visible()
        chromium.collect(page)
        page.close()
    assert chromium.csp_reports() == []
    assert chromium.other_hosts() == []


def test_not_found_offline_from_the_service_worker(sample_site, tmp_path, browser):  # noqa: F811
    with serve(sample_site, tmp_path / "nginx", base_path="/manual/", csp=csp_for_site(sample_site)) as server:
        chromium = browser(server.origin)
        page = chromium.page()
        page.goto(server.url())
        wait_until_controlled(page)
        page.wait_for_function("() => caches.keys().then(k => k.length > 0)", timeout=60_000)
        chromium.context.set_offline(True)
        response = page.goto(server.url("manual/not-a-chapter/"))
        assert response.status == 404
        check_not_found_page(page, server)
        page.goto(server.url("manual/fever/"))  # precached pages still come from the precache
        assert page.locator("h1").first.inner_text().startswith("发热")
        chromium.collect(page)
        page.close()
    assert chromium.csp_reports() == []
