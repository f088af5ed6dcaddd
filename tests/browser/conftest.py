"""Headless Debian Chromium through Playwright (no `playwright install`), and a local server."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 360, "height": 740}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def served_site(sample_site: Path) -> Iterator[str]:
    """The sample site over HTTP on a free loopback port (static pages need no more than this;
    media tests use nginx)."""
    handler = functools.partial(_QuietHandler, directory=str(sample_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def nginx_site(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site through real nginx with the generated config (Range requests, media MIME types)."""
    from cloudpeds.delivery.local_nginx import serve

    with serve(sample_site, tmp_path_factory.mktemp("nginx")) as server:
        yield server.url().rstrip("/")


@pytest.fixture(scope="session")
def playwright_session():
    """One Playwright driver per session (its sync API cannot be started twice in one thread)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser_context(playwright_session, tmp_path_factory: pytest.TempPathFactory):
    if not AXE.exists():
        pytest.fail("axe-core not found: run `npm ci`")
    context = playwright_session.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_ARGS, viewport=PHONE, device_scale_factor=2, locale="zh-CN",
        # The cdn build registers a service worker; its fetches bypass page.route() and its cache would
        # carry pages from one test into the next. tests/browser/test_service_worker.py tests it in
        # fresh profiles of its own.
        service_workers="block",
    )
    yield context
    context.close()


@pytest.fixture(scope="session")
def xvfb():
    """A private X display for WebKitGTK (the WebKit lane)."""
    from .engines import Xvfb, webkit_missing

    missing = webkit_missing()
    if missing:
        pytest.fail(missing)
    display = Xvfb()
    yield display.display
    display.stop()


@pytest.fixture(scope="session")
def legacy_context(playwright_session, tmp_path_factory: pytest.TempPathFactory):
    """Chromium without the DOM APIs older WeChat kernels lack (see engines.LEGACY)."""
    from .engines import LEGACY

    context = playwright_session.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-legacy-profile")), executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_ARGS, viewport=PHONE, device_scale_factor=2, locale="zh-CN", service_workers="block")
    context.add_init_script(LEGACY)
    yield context
    context.close()


@pytest.fixture(scope="module", params=["chromium", "webkit", "chromium-legacy"])
def engine(request):
    """The same phone test on each engine: Chromium, WebKitGTK, and Chromium without newer DOM APIs."""
    from .engines import ChromiumDriver, WebKitDriver

    if request.param == "webkit":
        driver = WebKitDriver(request.getfixturevalue("xvfb"))
    elif request.param == "chromium-legacy":
        driver = ChromiumDriver(request.getfixturevalue("legacy_context"), name="chromium-legacy")
    else:
        driver = ChromiumDriver(request.getfixturevalue("browser_context"))
    yield driver
    driver.close()
