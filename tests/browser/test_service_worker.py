"""The cdn build served by real nginx (generated config, CSP header) in a sub-path: after one visit the
service worker serves the manual offline (chapters, search, the flowchart walker) with no request to
another host and no CSP violation; a new deploy replaces the cached edition after the reader agrees."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from cloudpeds.delivery import csp_for_site
from cloudpeds.delivery.local_nginx import serve

from ..conftest import ROOT, mkdocs_build
from .conftest import ARTIFACTS, AXE, CHROMIUM, CHROMIUM_ARGS, PHONE
from .test_search import open_search, results_for

pytestmark = pytest.mark.browser

# Collects CSP violations in every document (the event is not reported to the console in all cases).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", e =>
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" +
                              e.lineNumber));
"""
CONTROLLED = "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null"


class Browser:
    """A fresh Chromium profile (no service worker from other tests) that records what pages do."""

    def __init__(self, context, origin: str) -> None:
        self.context = context
        self.origin = origin
        self.requests: list[str] = []
        self.console: list[str] = []
        self.violations: list[str] = []
        context.add_init_script(RECORD_VIOLATIONS)
        context.on("request", lambda request: self.requests.append(request.url))

    def page(self):
        page = self.context.new_page()
        page.on("console", lambda m: self.console.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.console.append(str(e)))
        return page

    def collect(self, page) -> None:
        self.violations += page.evaluate("() => window.__cspViolations")

    def other_hosts(self) -> list[str]:
        return [url for url in self.requests if not url.startswith((self.origin + "/", "data:", "blob:"))]

    def csp_reports(self) -> list[str]:
        return self.violations + [text for text in self.console if "Content Security Policy" in text]


@pytest.fixture
def browser(playwright_session, tmp_path: Path) -> Iterator[Callable[[str], Browser]]:
    contexts = []

    def launch(origin: str) -> Browser:
        context = playwright_session.chromium.launch_persistent_context(
            str(tmp_path / f"profile-{len(contexts)}"), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport=PHONE, locale="zh-CN", service_workers="allow")
        contexts.append(context)
        return Browser(context, origin)

    yield launch
    for context in contexts:
        context.close()


def wait_until_controlled(page) -> None:
    page.wait_for_function(CONTROLLED, timeout=60_000)


def test_the_manual_works_offline_after_one_visit(sample_site, tmp_path, browser):
    base = "/releases/2018/"
    with serve(sample_site, tmp_path / "nginx", base_path=base, csp=csp_for_site(sample_site)) as server:
        chromium = browser(server.origin)
        page = chromium.page()
        page.goto(server.url())
        wait_until_controlled(page)
        scope = page.evaluate("() => navigator.serviceWorker.ready.then(r => r.scope)")
        assert scope == server.url()
        caches = page.evaluate("() => caches.keys()")
        assert [name for name in caches if name.startswith("cloudpeds-2018-")], caches  # the edition in editions.yml
        chromium.collect(page)

        chromium.context.set_offline(True)
        for path, title in (("manual/fever/", "发热"), ("manual/diarrhoea/", "腹泻"), ("en/manual/wheeze/", "Wheeze")):
            page.goto(server.url(path))
            assert page.locator("h1").first.inner_text().startswith(title)
            assert page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position") != "static"
            chromium.collect(page)

        page.goto(server.url())
        open_search(page)
        first = results_for(page, "抽筋").first
        assert first.locator(".cp-search__title").inner_text() == "惊厥"
        first.click()
        page.wait_for_url("**/manual/convulsions/")
        chromium.collect(page)

        page.goto(server.url("manual/fever/"))
        figure = page.locator(".cp-flowchart").first
        assert figure.locator("svg").is_visible()
        figure.get_by_role("button", name="逐步判断").click()
        walker = figure.locator(".cp-fc-walker")
        assert walker.locator(".cp-fc-walker__question").inner_text()
        walker.locator("button").first.click()
        assert figure.locator(".cp-fc-walker__path li").count() == 1
        chromium.collect(page)
        page.close()

    assert chromium.other_hosts() == []
    assert chromium.csp_reports() == []
    assert [text for text in chromium.console if "Failed to load" not in text] == []


def test_a_lesson_plays_through_hls_js_under_the_csp(sample_site, tmp_path, browser):
    with serve(sample_site, tmp_path / "nginx", csp=csp_for_site(sample_site)) as server:
        chromium = browser(server.origin)
        page = chromium.page()
        page.goto(server.url("courses/fever-in-the-community/fever-danger-signs/"))
        page.wait_for_selector(".cp-lesson[data-engine]")
        assert page.get_attribute(".cp-lesson", "data-engine") == "hls.js"
        page.locator("video").evaluate("v => { v.muted = true; v.play(); }")  # hls.js: blob: media, worker
        page.wait_for_function("() => document.querySelector('video').currentTime > 2", timeout=30_000)
        chromium.collect(page)
        page.close()
    assert chromium.other_hosts() == []
    assert chromium.csp_reports() == []


CHANGED = "这是第二版的内容。"


@pytest.fixture
def deploy_project(tmp_path: Path) -> Path:
    """The real theme, content and config with the sample manual: a project that can be built twice."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("theme", "content", "manual"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    return project


def test_a_new_deploy_replaces_the_cached_edition(deploy_project, tmp_path, browser):
    site = tmp_path / "site"
    result = mkdocs_build(deploy_project, site)
    assert result.returncode == 0, result.stderr
    with serve(site, tmp_path / "nginx", csp=csp_for_site(site)) as server:
        chromium = browser(server.origin)
        page = chromium.page()
        page.goto(server.url("manual/fever/"))
        wait_until_controlled(page)
        old_caches = page.evaluate("() => caches.keys()")
        assert CHANGED not in page.content()

        chapter = deploy_project / "manual" / "chapters" / "fever.zh.md"
        text = chapter.read_text(encoding="utf-8")
        heading = text.index("\n## ", text.index("\n---", 4))
        chapter.write_text(text[:heading] + f"\n\n{CHANGED}\n" + text[heading:], encoding="utf-8")
        result = mkdocs_build(deploy_project, site)  # B replaces A in the served folder
        assert result.returncode == 0, result.stderr

        page.reload()
        # The old worker still serves edition A whole (no mixed pages) and the new one waits: the page offers
        # to reload.
        prompt = page.locator(".cp-update")
        prompt.wait_for(timeout=60_000)
        assert CHANGED not in page.content()
        assert prompt.get_by_role("status").inner_text() == "手册有新版本。"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "update-prompt.png"))
        chromium.collect(page)
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")  # evaluated by DevTools: not subject to the CSP
        result = page.evaluate("() => axe.run('.cp-update', {resultTypes: ['violations']})")
        assert [violation["id"] for violation in result["violations"]] == []
        with page.expect_navigation():
            prompt.get_by_role("button", name="重新载入").click()
        wait_until_controlled(page)
        assert CHANGED in page.locator("article.md-content__inner").inner_text()

        new_caches = page.evaluate("() => caches.keys()")
        assert new_caches != old_caches and len([n for n in new_caches if n.startswith("cloudpeds-")]) == 1
        chromium.context.set_offline(True)
        page.reload()
        assert CHANGED in page.locator("article.md-content__inner").inner_text()
        page.goto(server.url("manual/cough/"))
        assert page.locator("h1").first.inner_text()
        chromium.collect(page)

        # C turns the service worker off: its sw.js retires B's worker and cache at the next visit.
        chromium.context.set_offline(False)
        config = deploy_project / "mkdocs.yml"
        before = config.read_text(encoding="utf-8")
        after = before.replace("  - cloudpeds/delivery:\n", "  - cloudpeds/delivery:\n      service_worker: false\n")
        if after == before:  # the plugin without options
            after = before.replace("  - cloudpeds/delivery\n", "  - cloudpeds/delivery:\n      service_worker: false\n")
        assert "service_worker: false" in after
        config.write_text(after, encoding="utf-8")
        chapter.write_text(text[:heading] + "\n\n第三版。\n" + text[heading:], encoding="utf-8")
        result = mkdocs_build(deploy_project, site)
        assert result.returncode == 0, result.stderr
        assert "sw-register" not in (site / "manual/fever/index.html").read_text(encoding="utf-8")
        page.goto(server.url("manual/fever/"))  # served by B's worker, whose update check finds the retiring one
        page.wait_for_function("() => navigator.serviceWorker.getRegistrations().then(r => r.length === 0)",
                               timeout=60_000)
        # The retiring worker has no fetch handler and has emptied the caches: whatever still controls the
        # tab (Chrome may keep an unregistered worker until its last client goes), pages come from the network.
        # Whether its own reload of the page or the next visit shows C depends on timing, so visit again (a visit
        # that the worker's reload aborts is tried once more).
        for attempt in range(3):
            try:
                page.goto(server.url("manual/fever/"))
                break
            except PlaywrightError:
                if attempt == 2:
                    raise
                page.wait_for_timeout(500)
        page.wait_for_function("() => document.body.innerText.includes('第三版。')", timeout=60_000)
        assert [name for name in page.evaluate("() => caches.keys()") if name.startswith("cloudpeds-")] == []
        chromium.collect(page)
        page.close()
    assert chromium.other_hosts() == []
    assert chromium.csp_reports() == []


def test_an_edition_in_a_sub_path_keeps_its_cache_when_the_root_site_updates(deploy_project, tmp_path, browser):
    root = tmp_path / "www"
    result = mkdocs_build(deploy_project, root)
    assert result.returncode == 0, result.stderr
    shutil.copytree(root, tmp_path / "edition-2018")
    (root / "releases").mkdir()
    (tmp_path / "edition-2018").rename(root / "releases" / "2018")
    with serve(root, tmp_path / "nginx", csp=csp_for_site(root)) as server:
        chromium = browser(server.origin)
        page = chromium.page()
        page.goto(server.url("releases/2018/manual/fever/"))
        wait_until_controlled(page)
        page.goto(server.url("manual/fever/"))  # the root site's worker installs and activates now
        wait_until_controlled(page)
        # "activated" once the activate event's work (the clean-up of old caches) has finished.
        page.wait_for_function("() => !navigator.serviceWorker.controller.scriptURL.includes('/releases/')"
                               " && navigator.serviceWorker.controller.state === 'activated'", timeout=60_000)
        names = [name for name in page.evaluate("() => caches.keys()") if name.startswith("cloudpeds-")]
        assert len(names) == 2 and any(name.endswith("/releases/2018/") for name in names), names
        chromium.context.set_offline(True)
        page.goto(server.url("releases/2018/manual/fever/"))
        assert page.locator("h1").first.inner_text().startswith("发热")
        page.goto(server.url("en/manual/fever/"))
        assert page.locator("h1").first.inner_text().startswith("Fever")
        chromium.collect(page)
        page.close()
    assert chromium.other_hosts() == []
    assert chromium.csp_reports() == []
