"""A live session with real parts: ffmpeg writes a live HLS event playlist (a generated lavfi source, in real
time) into a folder that one nginx serves; the site, built with that stream and its host in allowed_hosts,
is served by another nginx with the build's CSP (which must allow the stream's origin). Chromium opens the
session page with its clock set inside the session: the player plays near the live edge and shows "live";
when ffmpeg stops and the playlist is closed (#EXT-X-ENDLIST), it shows "ended". The clock also takes the page
before and after the session (countdown, "ended — replay coming") without a rebuild."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cloudpeds.delivery import csp_for_site
from cloudpeds.delivery.local_nginx import serve

from ..conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.browser

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2030, 5, 1, 10, 0, tzinfo=SHANGHAI)  # the test session: 10:00–12:00 Beijing time
SESSION = """\
id: test-live
title: {{zh: 测试直播, en: Test live session}}
lecturers:
  - name: {{zh: 测试讲者, en: Test lecturer}}
start: 2030-05-01 10:00
duration: 120
stream: {stream}
related: {{chapters: [fever], items: [fever-ds-young-infant]}}
"""
PAGE = "courses/live/test-live/"


@pytest.fixture(scope="module")
def stream_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """An empty folder served by its own nginx (another origin than the site): (folder, origin)."""
    folder = tmp_path_factory.mktemp("stream") / "www"
    (folder / "live").mkdir(parents=True)
    with serve(folder, tmp_path_factory.mktemp("stream-nginx")) as server:
        yield folder / "live", server.origin


@pytest.fixture(scope="module")
def live_site(stream_folder, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample manual with one live session (no courses: nothing to transcode), built and served by nginx
    with its CSP."""
    _, origin = stream_folder
    project = tmp_path_factory.mktemp("live-project")
    for name in ("content", "manual", "theme"):
        shutil.copytree(ROOT / name, project / name)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    (project / "courses" / "live").mkdir(parents=True)
    (project / "courses" / "live" / "test-live.yml").write_text(
        SESSION.format(stream=f"{origin}/live/index.m3u8"), encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "allowed_hosts: [live.hospital.example]" in config
    # (No .gz/.br copies: brotli at its best setting costs most of a cold build, and nothing here needs them.)
    (project / "mkdocs.yml").write_text(config.replace("allowed_hosts: [live.hospital.example]",
                                                       f"allowed_hosts: ['{origin}']\n      precompress: false"),
                                        encoding="utf-8")
    site = project / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    assert origin in (site / "_headers").read_text(encoding="utf-8")  # the CSP allows the stream's origin
    with serve(site, tmp_path_factory.mktemp("site-nginx"), csp=csp_for_site(site, [origin])) as server:
        yield server.url().rstrip("/")


def at(page, moment: dt.datetime) -> None:
    """The page's clock (Date) at ``moment``; timers keep running."""
    page.clock.set_fixed_time(moment)


def test_before_and_after_the_session_the_clock_decides(live_site, browser_context):
    page = browser_context.new_page()
    at(page, START - dt.timedelta(hours=2, minutes=5))
    page.goto(f"{live_site}/en/{PAGE}")
    page.wait_for_selector(".cp-session[data-status=upcoming] .cp-session__countdown:has-text('2 h 5 min')")
    assert not page.locator(".cp-live").is_visible()  # no player before the session
    assert page.locator("[data-cp-asof]").is_hidden()  # the build-time note is for pages without scripts
    at(page, START + dt.timedelta(hours=3))
    page.wait_for_selector(".cp-session[data-status=past]", timeout=10_000)  # the same page, no reload
    assert "Ended — replay coming" in page.inner_text(".cp-session__status")
    assert not page.locator(".cp-live").is_visible()
    page.close()


def test_the_schedule_sorts_by_the_clock(live_site, browser_context):
    page = browser_context.new_page()
    at(page, START + dt.timedelta(minutes=30))
    page.goto(f"{live_site}/{PAGE.replace('test-live/', '')}")
    page.wait_for_selector("[data-section=live] .cp-session[data-status=live]")
    assert page.locator("[data-section=live] .cp-schedule__none").is_hidden()
    assert page.locator("[data-section=upcoming] .cp-schedule__none").is_visible()
    assert "直播中" in page.inner_text("[data-section=live] .cp-session__status")
    page.close()


def test_without_javascript_the_build_time_status_and_the_time(live_site, playwright_session, tmp_path):
    from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

    context = playwright_session.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, viewport=PHONE,
        java_script_enabled=False, service_workers="block")
    try:
        page = context.new_page()
        page.goto(f"{live_site}/en/{PAGE}")
        # Built before 2030: "not started yet", the session's time, the note that says so, a calendar link.
        assert page.locator(".cp-session[data-status=upcoming] [data-when=upcoming]").is_visible()
        assert "2030-05-01 10:00–12:00 (China Standard Time, UTC+08:00)" in page.inner_text(".cp-session__when")
        assert page.locator("[data-cp-asof]").is_visible()
        assert page.locator("a[href$='test-live.ics']").is_visible()
    finally:
        context.close()


@pytest.fixture
def ffmpeg_event_stream(stream_folder) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """ffmpeg writing a live event playlist in real time (-re) from a generated picture and tone."""
    folder, _ = stream_folder
    for old in folder.iterdir():
        old.unlink()
    playlist = folder / "index.m3u8"
    process = subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
         "-t", "600", "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
         "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-c:a", "aac", "-b:a", "64k",
         "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "event", "-hls_flags", "temp_file",
         "-hls_segment_filename", str(folder / "seg%04d.ts"), str(playlist)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield process, playlist
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def segments(playlist: Path) -> int:
    try:
        return playlist.read_text(encoding="utf-8").count("#EXTINF")
    except FileNotFoundError:
        return 0


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.mark.parametrize(("lang", "live_word", "ended_word"), [("zh", "直播中", "已结束"), ("en", "live", "ended")])
def test_the_live_player_plays_near_the_live_edge_then_shows_ended(live_site, browser_context, ffmpeg_event_stream,
                                                                   lang, live_word, ended_word):
    process, playlist = ffmpeg_event_stream
    # A few segments first, so that the live edge is well past the start of the event.
    wait_until(lambda: segments(playlist) >= 5 or process.poll() is not None, 120, "ffmpeg's first segments")
    assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
    page = browser_context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    at(page, START + dt.timedelta(minutes=30))
    page.goto(f"{live_site}/{'en/' if lang == 'en' else ''}{PAGE}")
    page.wait_for_selector(".cp-session[data-status=live] .cp-live", state="visible")
    page.wait_for_selector(".cp-lesson[data-engine=hls\\.js]")
    page.locator("video").evaluate("v => { v.muted = true; }")
    page.click(".cp-player__start")
    page.wait_for_selector(".cp-live[data-live-state=live]", timeout=60_000)
    page.wait_for_selector(".cp-player[data-state=playing]", timeout=60_000)
    assert page.inner_text(".cp-live__badge") == live_word
    # Near the live edge, not at the start of the event (which began ≥ 10 s before).
    first, edge = page.evaluate("(() => { const v = document.querySelector('video'); "
                                "return [v.currentTime, v.seekable.length ? v.seekable.end(0) : 0]; })()")
    assert first > 2 and edge - first < 16, (first, edge)
    # (page.wait_for_function evaluates a string, which the CSP refuses: poll with evaluate instead.)
    wait_until(lambda: page.evaluate("document.querySelector('video').currentTime") > first + 1, 60, "playback")

    # The event ends: ffmpeg stops (q) and closes the playlist with #EXT-X-ENDLIST.
    process.stdin = None
    process.send_signal(2)  # SIGINT: ffmpeg finishes the segment and writes the end of the playlist
    process.wait(timeout=60)
    if "#EXT-X-ENDLIST" not in playlist.read_text(encoding="utf-8"):  # pragma: no cover - older ffmpeg
        playlist.write_text(playlist.read_text(encoding="utf-8") + "#EXT-X-ENDLIST\n", encoding="utf-8")
    page.wait_for_selector(".cp-live[data-live-state=ended]", timeout=90_000)
    assert page.inner_text(".cp-live__badge") == ended_word
    assert not [text for text in console if "Content Security Policy" in text], console
    page.close()


def test_the_sample_replay_plays_as_a_lesson_and_the_clock_moves_the_sample_sessions(nginx_site, browser_context):
    page = browser_context.new_page()
    page.goto(f"{nginx_site}/en/courses/live/fever-case-review-2026-11/")
    page.wait_for_selector(".cp-lesson[data-engine=hls\\.js][data-course=live]")
    assert "Ended — watch the replay" in page.inner_text(".cp-session__status")
    page.locator("video").evaluate("v => { v.muted = true; }")
    page.click(".cp-player__start")
    page.wait_for_selector(".cp-player[data-state=playing]", timeout=60_000)
    wait_until(lambda: page.evaluate("document.querySelector('video').currentTime") > 1, 60, "the replay playing")
    # The sample's upcoming session, with the clock set inside it: live now on the schedule.
    at(page, dt.datetime(2027, 1, 15, 14, 30, tzinfo=SHANGHAI))
    page.goto(f"{nginx_site}/courses/live/")
    page.wait_for_selector("[data-section=live] li[data-status=live] a[href$='dehydration-plans-2027-01/']")
    page.wait_for_selector("[data-section=past] li[data-status=past] a[href$='fever-case-review-2026-11/']")
    page.close()
