"""WeChat's in-app browsers: the "open in Safari / the browser for offline use" hint shows in WeChat on iOS
(WKWebView: no service worker) and on Android when the service worker does not register, once, and
nowhere else; zip links on iOS WeChat say that WeChat cannot download them. User agents are spoofed in
Chromium and in WebKitGTK."""

from __future__ import annotations

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from .engines import ANDROID_WECHAT, IPHONE_SAFARI, IPHONE_WECHAT, ChromiumDriver, WebKitDriver

pytestmark = pytest.mark.browser
CHAPTER = "/manual/fever/"
DESKTOP = None  # Chromium's own user agent

HINT = "var box = document.querySelector('.cp-wechat'); return box ? box.textContent : null;"


@pytest.fixture(scope="module")
def chromium(playwright_session):
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def chromium_phone(browser, user_agent: str | None, service_workers: str = "block") -> ChromiumDriver:
    options = {"viewport": PHONE, "device_scale_factor": 2, "locale": "zh-CN", "service_workers": service_workers}
    if user_agent:
        options["user_agent"] = user_agent
    driver = ChromiumDriver(browser.new_context(**options))
    driver.close = lambda: driver.context.close()  # type: ignore[method-assign]
    return driver


def wechat_script_loaded(driver) -> bool:
    driver.wait("return document.readyState === 'complete'", what="the page loaded")
    return bool(driver.js("return !!document.querySelector('script[src*=\"assets/wechat\"]')"))


@pytest.mark.parametrize("path, words", [(CHAPTER, "Safari"), ("/en" + CHAPTER, "Open in Safari")])
def test_iphone_wechat_shows_the_safari_route_once_in_chromium(chromium, served_site, path, words):
    driver = chromium_phone(chromium, IPHONE_WECHAT)
    driver.open(served_site + path)
    text = driver.wait(HINT, what="the WeChat hint")
    driver.check(words in text and ("添加到主屏幕" in text or "Add to Home Screen" in text), text)
    driver.click(".cp-wechat button")
    driver.wait("return !document.querySelector('.cp-wechat')", what="the hint dismissed")
    driver.open(served_site + "/manual/cough/")
    driver.check(wechat_script_loaded(driver), "wechat.js not loaded inside WeChat")
    driver.wait("return document.documentElement.getAttribute('data-cp-wechat') === 'ios'",
                what="wechat.js run on the second page")
    driver.check(driver.js(HINT) is None, "the hint showed a second time")
    driver.close()


def test_android_wechat_without_a_service_worker_shows_the_hint(chromium, served_site):
    driver = chromium_phone(chromium, ANDROID_WECHAT, service_workers="block")
    driver.open(served_site + CHAPTER)
    text = driver.wait(HINT, what="the WeChat hint (no service worker)")
    driver.check("在浏览器中打开" in text, text)
    driver.close()


def test_android_wechat_with_a_service_worker_shows_nothing(chromium, served_site):
    driver = chromium_phone(chromium, ANDROID_WECHAT, service_workers="allow")
    driver.open(served_site + CHAPTER)
    driver.check(wechat_script_loaded(driver), "wechat.js not loaded inside WeChat")
    driver.js("return navigator.serviceWorker.ready.then(function () { window.cpTestReady = true; })")
    driver.wait("return window.cpTestReady === true", what="the service worker ready", timeout=60)
    # Once the worker is ready, wechat.js has nothing left to show (only the no-worker event or the timer).
    driver.check(driver.js("return !window.cpNoServiceWorker") is True, "the worker was reported missing")
    driver.check(driver.js(HINT) is None, "the hint showed although the service worker works")
    driver.close()


@pytest.mark.parametrize("user_agent", [DESKTOP, IPHONE_SAFARI], ids=["desktop", "iphone-safari"])
def test_no_hint_outside_wechat(chromium, served_site, user_agent):
    driver = chromium_phone(chromium, user_agent)
    driver.open(served_site + CHAPTER)
    driver.check(not wechat_script_loaded(driver), "wechat.js loaded outside WeChat")
    driver.check(driver.js(HINT) is None, "the hint showed outside WeChat")
    driver.close()


def test_zip_links_in_iphone_wechat_say_downloads_are_blocked(chromium, served_site):
    driver = chromium_phone(chromium, IPHONE_WECHAT)
    driver.open(served_site + "/about/")
    driver.wait(HINT, what="the WeChat hint")
    driver.js("var a = document.createElement('a'); a.href = 'downloads/cloudpeds-offline.zip'; a.id = 'zip';"
              "a.textContent = 'zip'; document.querySelector('article').appendChild(a);")
    before = driver.js("return location.href")
    driver.click("#zip")
    note = driver.wait("var n = document.querySelector('#zip + .cp-wechat__zip[role=alert]'); "
                       "return n && n.textContent;", what="the download note")
    driver.check("Safari" in note, note)
    driver.check(driver.js("return location.href") == before, "the link navigated away")
    driver.close()


@pytest.mark.parametrize("user_agent, shown", [(IPHONE_WECHAT, True), (IPHONE_SAFARI, False)],
                         ids=["iphone-wechat", "iphone-safari"])
def test_webkit_shows_the_hint_only_in_wechat(xvfb, served_site, user_agent, shown):
    driver = WebKitDriver(xvfb, user_agent=user_agent)
    try:
        driver.open(served_site + CHAPTER)
        if shown:
            text = driver.wait(HINT, what="the WeChat hint in WebKit")
            driver.check("Safari" in text, text)
        else:
            driver.check(not wechat_script_loaded(driver), "wechat.js loaded outside WeChat")
            driver.check(driver.js(HINT) is None, "the hint showed in Safari")
    finally:
        driver.close()
