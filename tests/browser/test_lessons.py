"""Lessons in Chromium through nginx: lazy HLS, playback through hls.js, markers, captions, progress."""

from __future__ import annotations

import urllib.request

import pytest

from .conftest import ARTIFACTS, AXE

pytestmark = pytest.mark.browser
LESSON = "/courses/fever-in-the-community/fever-danger-signs/"


def test_nginx_serves_media_types_and_ranges(nginx_site, sample_site):
    master = next(sample_site.glob("media/*/master.m3u8"))
    relative = master.relative_to(sample_site).as_posix()
    with urllib.request.urlopen(f"{nginx_site}/{relative}") as response:
        assert response.headers["Content-Type"].startswith("application/vnd.apple.mpegurl")
    segment = next(sample_site.glob("media/*/*/*.ts")).relative_to(sample_site).as_posix()
    with urllib.request.urlopen(f"{nginx_site}/{segment}") as response:
        assert response.headers["Content-Type"].startswith("video/mp2t")
    vtt = next(sample_site.glob("media/captions/*.vtt")).relative_to(sample_site).as_posix()
    with urllib.request.urlopen(f"{nginx_site}/{vtt}") as response:
        assert response.headers["Content-Type"].startswith("text/vtt")
    mp4 = next(sample_site.glob("media/*/*.mp4")).relative_to(sample_site).as_posix()
    request = urllib.request.Request(f"{nginx_site}/{mp4}", headers={"Range": "bytes=100-199"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 206 and len(response.read()) == 100


def test_nothing_of_the_video_before_play_then_hls_js_plays(nginx_site, browser_context):
    page = browser_context.new_page()
    media_requests: list[str] = []
    page.on("request", lambda r: media_requests.append(r.url) if "/media/" in r.url else None)
    page.goto(nginx_site + LESSON)
    page.wait_for_selector(".cp-lesson[data-engine]")
    page.wait_for_timeout(500)
    assert page.get_attribute(".cp-lesson", "data-engine") == "hls.js"
    fetched = [url.rsplit("/", 1)[-1] for url in media_requests]
    assert not [name for name in fetched if name.endswith((".ts", ".mp4", ".m3u8"))], fetched
    assert page.locator("video track[kind=captions]").count() == 2
    page.locator("video").evaluate("v => { v.muted = true; }")
    page.click(".cp-player__start")
    page.wait_for_function("document.querySelector('video').currentTime > 3", timeout=20_000)
    assert [url for url in media_requests if url.endswith(".ts")]
    page.close()


def test_tapping_a_marker_seeks(nginx_site, browser_context):
    page = browser_context.new_page()
    page.goto(nginx_site + LESSON)
    page.locator("video").evaluate("v => { v.muted = true; }")
    page.click(".cp-marker[data-at='14.0']")
    page.wait_for_function("document.querySelector('video').currentTime >= 14", timeout=20_000)
    assert not page.evaluate("document.querySelector('video').paused")
    page.close()


def test_progress_is_kept_and_shown_on_the_course_page(nginx_site, browser_context):
    page = browser_context.new_page()
    page.goto(nginx_site + LESSON)
    page.locator("video").evaluate("v => { v.muted = true; }")
    page.click(".cp-player__start")
    page.wait_for_function("document.querySelector('video').currentTime > 6", timeout=20_000)
    page.locator("video").evaluate("v => v.pause()")
    state = page.evaluate("JSON.parse(localStorage.getItem('cp-lesson:fever-danger-signs'))")
    assert state["pos"] > 5 and "1" in state["seen"]
    page.goto(nginx_site + "/courses/fever-in-the-community/")
    progress = page.locator(".cp-lesson-row[data-lesson=fever-danger-signs] .cp-progress")
    assert progress.is_visible() and progress.inner_text().endswith("%")
    page.close()


def test_lesson_page_on_a_phone(nginx_site, browser_context):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_context.new_page()
    page.goto(nginx_site + LESSON)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "lesson-fever-danger-signs.png"))
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [v["id"] for v in result["violations"]] == []
    page.close()


def test_the_player_has_its_size_before_the_poster_arrives(nginx_site, browser_context):
    """On a slow network the poster comes late: the page below the video must not jump when it does."""
    page = browser_context.new_page()
    held = []
    page.route("**/poster*", lambda route: held.append(route))  # routing also bypasses the HTTP cache
    page.add_init_script("window.cpShifts = []; new PerformanceObserver((list) => "
                         "window.cpShifts.push(...list.getEntries().map((e) => e.value)))"
                         ".observe({type: 'layout-shift', buffered: true});")
    page.goto(nginx_site + LESSON, wait_until="domcontentloaded")  # "load" waits for the poster
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the poster was not requested"
    width, height = page.evaluate("(() => { const r = document.querySelector('.cp-player__video')"
                                  ".getBoundingClientRect(); return [r.width, r.height]; })()")
    assert width > 300 and abs(height - width * 9 / 16) < 1
    for route in held:
        route.continue_()
    # The poster has arrived, and two frames later it has been laid out and painted.
    page.wait_for_function("() => performance.getEntriesByType('resource').some((e) => e.name.includes('/poster'))")
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert page.evaluate("window.cpShifts") == []
    page.close()


def test_chapter_lists_its_lessons_with_markers(nginx_site, browser_context):
    page = browser_context.new_page()
    page.goto(nginx_site + "/manual/fever/")
    lessons = page.locator("#lessons + .cp-chapter-lessons")
    assert lessons.locator("a[href*='fever-danger-signs']").count() >= 1
    marker = lessons.locator("a[href*='#t=7']").first
    marker.click()
    page.wait_for_url("**/fever-danger-signs/#t=7")
    page.close()
