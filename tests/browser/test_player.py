"""The lesson player on a phone (Chromium 360×740, device scale 2) through real nginx: before play only a
phone-sized poster under a big play button; the first tap loads hls.js and plays."""

from __future__ import annotations

import urllib.request

import pytest

pytestmark = pytest.mark.browser
LESSON = "/courses/fever-in-the-community/fever-danger-signs/"


def start(page) -> None:
    """Tap the picture, as a reader does (muted first: headless Chromium has no one to hear it)."""
    page.locator("video").evaluate("v => { v.muted = true; }")
    page.click(".cp-player__start")


def test_before_play_a_poster_and_a_big_play_button_and_nothing_of_the_video(nginx_site, browser_context):
    page = browser_context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(nginx_site + LESSON, wait_until="load")
    page.wait_for_selector(".cp-lesson[data-engine]")
    page.wait_for_timeout(300)
    # Nothing of the video before play: no playlist, no hls.js, no media attached (so no spinner).
    assert not [u for u in requests if "hls.light" in u or u.endswith((".m3u8", ".ts", ".mp4"))], requests
    assert page.evaluate("typeof window.Hls") == "undefined"
    assert page.evaluate("(() => { const v = document.querySelector('video'); "
                         "return [v.getAttribute('src'), v.networkState, v.readyState]; })()") == [None, 0, 0]
    # The poster is a WebP sized for the phone (720 px for 360 CSS px at device scale 2), not the 1280 px JPEG.
    posters = [u.rsplit("/", 1)[-1] for u in requests if "/poster" in u]
    assert posters == ["poster-720.webp"], posters
    # A big play button in the middle of the picture, and the duration.
    video = page.locator("video").bounding_box()
    button = page.locator(".cp-player__play").bounding_box()
    assert button["width"] >= 64 and button["height"] >= 64
    assert abs((button["x"] + button["width"] / 2) - (video["x"] + video["width"] / 2)) < 2
    assert abs((button["y"] + button["height"] / 2) - (video["y"] + video["height"] / 2)) < 2
    assert page.locator(".cp-player__start").bounding_box() == video  # the whole picture is the button
    assert page.inner_text(".cp-player__duration") == "0:22"
    page.close()


def test_a_tap_on_the_picture_loads_hls_js_and_plays(nginx_site, browser_context):
    page = browser_context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(nginx_site + LESSON)
    page.wait_for_selector(".cp-lesson[data-engine=hls\\.js]")
    assert not [u for u in requests if "hls.light.min." in u]
    page.locator("video").evaluate("v => { v.muted = true; }")
    page.mouse.click(60, page.locator(".cp-player__start").bounding_box()["y"] + 30)  # a corner, not the button
    page.wait_for_function("document.querySelector('video').currentTime > 2", timeout=30_000)
    assert [u for u in requests if "hls.light.min." in u]
    assert [u for u in requests if u.endswith(".ts")]
    # The state follows the video: on a loaded machine it may be buffering ("loading") for a moment.
    page.wait_for_function("document.querySelector('.cp-player').getAttribute('data-state') === 'playing'",
                           timeout=30_000)
    assert not page.locator(".cp-player__start").is_visible()
    page.close()


def test_posters_are_cached_as_immutable(nginx_site, sample_site):
    folder = next(sample_site.glob("media/*/poster-720.webp")).parent.relative_to(sample_site).as_posix()
    for name, mime in (("poster-720.webp", "image/webp"), ("poster-720.jpg", "image/jpeg"),
                       ("poster.webp", "image/webp"), ("poster.jpg", "image/jpeg")):
        with urllib.request.urlopen(f"{nginx_site}/{folder}/{name}") as response:
            assert response.headers["Content-Type"] == mime
            assert "immutable" in response.headers["Cache-Control"]


def first_rung(browser_context, url: str, mbits: float | None, latency_ms: int = 0) -> str:
    """Open the lesson on a throttled network (CDP; None: not throttled), cold cache, and tap play: the rung
    of the first segment."""
    page = browser_context.new_page()
    cdp = browser_context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if mbits:
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency_ms,
                                                     "downloadThroughput": mbits * 1e6 / 8,
                                                     "uploadThroughput": 750_000 / 8})
    segments: list[str] = []
    page.on("request", lambda r: segments.append(r.url) if r.url.endswith(".ts") else None)
    page.goto(url)
    page.wait_for_selector(".cp-lesson[data-engine=hls\\.js]")
    start(page)
    page.wait_for_function("document.querySelector('video').currentTime > 0.5", timeout=60_000)
    page.close()
    return segments[0].rsplit("/", 2)[-2]


def test_the_start_rung_follows_the_bandwidth_the_lowest_on_a_slow_network(nginx_site, browser_context):
    assert first_rung(browser_context, nginx_site + LESSON, 0.4, 400) == "240p"
    assert first_rung(browser_context, nginx_site + LESSON, None) != "240p"  # loopback: fast


@pytest.mark.parametrize(("path", "words"), [(LESSON, "需要网络"), ("/en" + LESSON, "needs a network")])
def test_offline_the_player_says_the_video_needs_a_network(nginx_site, browser_context, path, words):
    page = browser_context.new_page()
    page.goto(nginx_site + path)
    page.wait_for_selector(".cp-lesson[data-engine]")
    browser_context.set_offline(True)
    try:
        start(page)
        page.wait_for_selector(".cp-player__message:not([hidden])")
        assert words in page.inner_text(".cp-player__message")
        assert page.get_attribute(".cp-player", "data-state") == "failed"
        assert page.locator(".cp-player__start").is_visible()  # the poster stays: a tap tries again
    finally:
        browser_context.set_offline(False)
    page.wait_for_selector(".cp-player__message", state="hidden")  # back online: the message goes
    start(page)
    page.wait_for_function("document.querySelector('video').currentTime > 1", timeout=30_000)
    page.close()


def test_offline_the_player_plays_a_saved_copy(nginx_site, browser_context):
    page = browser_context.new_page()
    page.goto(nginx_site + LESSON)
    page.wait_for_selector(".cp-lesson[data-engine]")
    page.evaluate("""async () => {
        const url = new URL(document.querySelector('video').dataset.mp4, location.href).href;
        const cache = await caches.open('cp-test-saved-lessons');
        await cache.add(url);
    }""")
    browser_context.set_offline(True)
    try:
        start(page)
        page.wait_for_function("document.querySelector('video').currentTime > 1", timeout=30_000)
        assert page.get_attribute(".cp-lesson", "data-engine") == "saved"
        assert page.locator(".cp-player__message").is_hidden()
    finally:
        browser_context.set_offline(False)
        page.evaluate("caches.delete('cp-test-saved-lessons')")
        page.close()


def test_the_player_works_under_the_sites_content_security_policy(sample_site, tmp_path, browser_context):
    from cloudpeds.delivery.local_nginx import serve
    from cloudpeds.delivery.policy import csp_for_site

    with serve(sample_site, tmp_path / "nginx", csp=csp_for_site(sample_site)) as server:
        page = browser_context.new_page()
        page.add_init_script("window.cpViolations = []; document.addEventListener('securitypolicyviolation', "
                             "(e) => window.cpViolations.push(e.violatedDirective + ' ' + e.blockedURI));")
        response = page.goto(server.url().rstrip("/") + LESSON)
        assert "script-src" in response.headers["content-security-policy"]
        start(page)
        # A function, not an expression: Playwright evaluates expressions with eval(), which the CSP refuses.
        page.wait_for_function("() => document.querySelector('video').currentTime > 1", timeout=30_000)
        assert page.get_attribute(".cp-lesson", "data-engine") == "hls.js"
        assert page.evaluate("window.cpViolations") == []
        page.close()
