"""Two published editions in Chromium: Material's version selector lists and switches them, the
badges and the "What's new" page show, and a reader of the older edition sees what changed since."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cloudpeds.delivery import csp_for_site
from cloudpeds.delivery.local_nginx import serve

from ..editions_support import publish_two_editions
from .conftest import ARTIFACTS, AXE, _QuietHandler

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def releases_folder(tmp_path_factory) -> Path:
    return publish_two_editions(tmp_path_factory.mktemp("editions"))[1]


@pytest.fixture(scope="module")
def releases_url(releases_folder) -> Iterator[str]:
    releases = releases_folder
    handler = functools.partial(_QuietHandler, directory=str(releases))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def page(browser_context, releases_url):
    page = browser_context.new_page()
    origin = urlsplit(releases_url).netloc
    page.problems = []
    page.on("request", lambda r: page.problems.append(f"other host: {r.url}")
            if urlsplit(r.url).netloc not in (origin, "") else None)
    page.on("response", lambda r: page.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: page.problems.append(f"{m.text} ({m.location.get('url')}, on {page.url})")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.goto(releases_url + "/2019/", wait_until="load")
    page.evaluate("localStorage.clear(); sessionStorage.clear()")  # a reader who has never been here
    yield page
    page.close()


def test_the_version_selector_lists_both_editions_and_switches(page, releases_url):
    page.goto(releases_url + "/2019/manual/fever/", wait_until="load")
    selector = page.locator(".md-version")
    selector.wait_for()
    assert "2019 版" in page.locator(".md-version__current").inner_text()
    titles = [t.strip() for t in page.locator(".md-version__link").all_text_contents()]
    assert titles == ["2019 版 · 2019 edition", "2018 试行版 · 2018 trial edition"]
    # The latest edition is not "outdated".
    assert page.locator("[data-md-component=outdated]").get_attribute("hidden") is not None
    selector.hover()  # Material opens the list on hover or focus
    page.locator(".md-version__link", has_text="2018").click()
    # The same chapter of the other edition, without site_url (no sitemap to look it up in).
    page.wait_for_url("**/2018/manual/fever/")
    page.wait_for_load_state("load")
    assert "2018 试行版" in page.locator(".md-version__current").inner_text()
    # An earlier edition says so and links to the latest.
    outdated = page.locator("[data-md-component=outdated]")
    outdated.wait_for(state="visible")
    assert "旧版" in outdated.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "edition-2018-outdated.png"))
    outdated.locator("a").click()
    page.wait_for_url("**/2019/")
    assert page.problems == []


def test_switching_to_an_edition_without_the_page_opens_its_home(page, releases_url):
    page.goto(releases_url + "/2019/quick/a-z/", wait_until="load")
    page.evaluate("""(home) => { const a = document.createElement('a'); a.className = 'md-version__link';
        a.href = home; a.textContent = 'x'; document.body.prepend(a);
        history.replaceState(null, '', location.href.replace('a-z/', 'no-such-page/')); }""",
                  releases_url + "/2018/")
    page.locator("a.md-version__link", has_text="x").click()
    page.wait_for_url(releases_url + "/2018/")
    # Only the HEAD request that found no such page in 2018 (and the console's note of it).
    assert page.problems and all("/2018/quick/no-such-page/" in p for p in page.problems), page.problems


def test_badges_and_whats_new_show(page, releases_url):
    page.goto(releases_url + "/2019/manual/fever/", wait_until="load")
    badges = page.locator(".cp-changed")
    assert badges.count() == 4  # the chapter (its chart), the threshold, the new sign, the urgency
    assert badges.first.is_visible()
    assert page.locator("#fever-ds-reduced-activity .cp-changed--added").inner_text() == "本版新增"
    assert page.locator("#fever-ref-5-days .cp-changed--changed").is_visible()
    page.screenshot(path=str(ARTIFACTS / "edition-2019-badges.png"), full_page=True)
    page.locator("nav.md-nav a", has_text="本版更新").first.dispatch_event("click")
    page.wait_for_url("**/2019/whats-new/")
    assert "共 5 处变化" in page.locator(".cp-edition-count").inner_text()
    assert page.locator(".cp-changes > li").count() == 5
    assert page.locator("ins", has_text="当天").first.is_visible()  # routine → urgent, the scale's word
    page.screenshot(path=str(ARTIFACTS / "edition-2019-whats-new.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], [n["html"][:200] for n in v["nodes"][:3]]) for v in result["violations"]] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.problems == []


def test_changed_since_your_last_visit(page, releases_url):
    page.goto(releases_url + "/2018/manual/fever/", wait_until="load")
    assert page.locator(".cp-since-visit").is_hidden()  # first visit: nothing to compare with
    page.goto(releases_url + "/2019/manual/fever/", wait_until="load")
    notice = page.locator(".cp-since-visit")
    notice.wait_for(state="visible")
    assert "2018 试行版" in notice.inner_text() and "2019 版" in notice.inner_text()
    page.screenshot(path=str(ARTIFACTS / "edition-since-last-visit.png"))
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], [n["html"][:200] for n in v["nodes"][:3]]) for v in result["violations"]] == []
    notice.locator("a").click()
    page.wait_for_url("**/2019/whats-new/")
    since = page.locator(".cp-whats-new .cp-since")
    since.wait_for(state="visible")
    assert "2018 试行版" in since.inner_text()
    # Seen now: the notice does not come back.
    page.goto(releases_url + "/2019/manual/fever/", wait_until="load")
    assert page.locator(".cp-since-visit").is_hidden()
    assert page.problems == []


def test_releases_hosted_by_nginx_under_a_sub_path_with_their_csp(browser_context, releases_folder, tmp_path):
    """What an operator does: nginx-config --site releases/ --base-path /manual/. Every edition's pages run
    under the one CSP, and an unknown URL gets a 404 that leads to the latest edition."""
    with serve(releases_folder, tmp_path / "nginx", base_path="/manual/", csp=csp_for_site(releases_folder)) as nginx:
        page = browser_context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        for path in ("2019/manual/fever/", "2018/manual/fever/", "2019/"):
            response = page.goto(nginx.url(path), wait_until="load")
            assert response.status == 200 and "content-security-policy" in response.headers
        assert problems == [], problems
        response = page.goto(nginx.url("no/such/page/"), wait_until="load")
        assert response.status == 404
        assert problems == [f"404 {nginx.url('no/such/page/')}",
                            "Failed to load resource: the server responded with a status of 404 (Not Found)"]
        problems.clear()
        page.get_by_role("link", name="打开最新版手册").click()
        page.wait_for_url("**/manual/latest/")
        assert "2019" in page.locator(".md-version__current").inner_text()
        assert problems == [], problems
        page.close()
