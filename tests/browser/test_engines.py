"""The phone-critical paths on every engine our doctors carry: Chromium (Android, WeChat's XWeb), WebKitGTK
(every iPhone browser, WeChat's WKWebView) and Chromium without the newer DOM APIs (older WeChat kernels).

The same assertions run on each engine (tests/browser/engines.py); a failure starts with the engine's name
and the test id carries it (``test_…[webkit]``).
"""

from __future__ import annotations

import shutil
import warnings

import pytest

from ..integration.test_bundle import bundle  # noqa: F401 (the fixture)
from .engines import EngineError

pytestmark = pytest.mark.browser
LESSON = "/courses/fever-in-the-community/fever-danger-signs/"

FIRST_SCREEN = """
var box = document.querySelector('.cp-box--danger');
var red = box && box.querySelector('.cp-sign--red');
var banner = document.querySelector('.cp-disclaimer');
return {
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  red: red ? red.getBoundingClientRect().bottom : null,
  banner: banner ? banner.getBoundingClientRect().height : 0,
  height: window.innerHeight,
  styled: getComputedStyle(document.body).fontFamily.length > 0 && !!document.querySelector('.md-header')
};
"""


@pytest.mark.parametrize("path", ["/manual/fever/", "/en/manual/fever/"])
def test_a_chapter_at_phone_width_danger_signs_first(engine, served_site, path):
    engine.open(served_site + path)
    found = engine.wait(f"var f = (function () {{ {FIRST_SCREEN} }})(); return f.red !== null && f;",
                        what="the danger-signs box with a red sign")
    engine.check(found["overflow"] <= 1, f"{path} scrolls sideways by {found['overflow']} px")
    engine.check(found["banner"] > 0, f"{path}: no sample banner")
    engine.check(found["red"] <= 600, f"{path}: first red sign ends at {found['red']:.0f} px (> 600)")


def test_flowchart_walker_and_viewer(engine, served_site):
    engine.open(served_site + "/manual/fever/")
    engine.wait("var t = document.querySelector('.cp-flowchart .cp-fc-toolbar'); return t && !t.hidden;",
                what="the flowchart toolbar")
    engine.js("document.querySelector('.cp-flowchart').scrollIntoView()")
    engine.click(".cp-flowchart .cp-fc-toolbar .cp-fc-btn--primary")
    engine.wait("return document.querySelector('.cp-fc-walker__question')", what="the walker's first question")
    start = engine.js("return JSON.parse(document.querySelector('.cp-fc-data').textContent).start")
    engine.click(".cp-fc-walker__answers .cp-fc-btn")
    engine.wait("return document.querySelectorAll('.cp-fc-walker__path li').length === 1",
                what="one step on the walker's path")
    engine.check(bool(engine.js("return document.querySelector('.cp-fc-walker__question').textContent")),
                 f"no second question after {start}")
    engine.click(".cp-flowchart .cp-fc-toolbar .cp-fc-btn:not(.cp-fc-btn--primary)")
    opened = engine.wait("var v = document.querySelector('.cp-fc-viewer'); "
                         "return v && v.getBoundingClientRect().width >= window.innerWidth - 1 && "
                         "v.querySelector('svg') && v.getBoundingClientRect().height > 300;",
                         what="the full-screen flowchart viewer")
    engine.check(bool(opened), "viewer not full screen")
    engine.click(".cp-fc-viewer__close")
    engine.wait("return !document.querySelector('.cp-fc-viewer')", what="the viewer closed")


def test_search_finds_fever_for_fa_shao_committed_by_an_input_method(engine, served_site):
    engine.open(served_site + "/")
    engine.click(".cp-search__open")
    engine.type_composed(".cp-search__input", "发烧")
    hrefs = engine.wait("var links = document.querySelectorAll('.cp-search__result'); "
                        "return links.length && Array.prototype.map.call(links, function (a) { "
                        "return a.getAttribute('href'); });", what="search results for 发烧")
    engine.check(any("manual/fever/" in href for href in hrefs[:3]), f"发烧 → fever not in the top 3: {hrefs[:5]}")


#: What the player's state was when a lesson did not play (for the report).
PLAYER_STATE = """var v = document.querySelector('video'), b = v.buffered, r = [];
var box = document.querySelector('.cp-lesson');
for (var i = 0; i < b.length; i++) r.push([b.start(i).toFixed(2), b.end(i).toFixed(2)]);
return JSON.stringify({time: v.currentTime, ready: v.readyState, paused: v.paused, buffered: r,
                       start_level: box.getAttribute('data-start-level'),
                       recovered: box.getAttribute('data-recovered')});"""


def _tap_and_play(engine, nginx_site: str) -> str | None:
    """Open the lesson, tap once the page's loads are done; None when it plays, else the player's state."""
    engine.open(nginx_site + LESSON)
    chosen = engine.wait("return document.querySelector('.cp-lesson').getAttribute('data-engine')",
                         what="the player's choice of engine")
    engine.check(chosen == "hls.js", f"player chose {chosen!r}, not hls.js (MSE is there)")
    # Tap once the page's own loads are done, as a reader who has looked at the poster.
    engine.wait("var n = performance.getEntriesByType('resource').length, w = window.__cpSettled || [0, -1];"
                "window.__cpSettled = [Date.now(), n];"
                "return w[1] === n && Date.now() - w[0] >= 150;", what="the page's loads settled")
    engine.js("document.querySelector('video').muted = true")
    engine.click(".cp-player__start")
    try:
        engine.wait("return document.querySelector('video').currentTime > 1", what="the lesson playing", timeout=60)
    except EngineError:
        return engine.js(PLAYER_STATE)
    return None


def test_a_lesson_plays_through_hls_js_on_media_source(engine, nginx_site):
    # Known, left open: WebKitGTK's MSE sometimes stops at a switch of rung in the first seconds (seen when the
    # machine is busy: hls.js starts at 720p, drops to 240p, the video stays at 0.18 s). The player rebuilds the
    # media source after 4 s without progress (player.js, recoverMediaError); should that not help, the lane opens
    # the lesson once more and says so in the report, with the state it stopped in. Chromium plays through it.
    stopped = _tap_and_play(engine, nginx_site)
    if stopped is not None:
        warnings.warn(f"[{engine.name}] the lesson did not play on the first tap, opened again: {stopped}",
                      stacklevel=1)
        stopped = _tap_and_play(engine, nginx_site)
    engine.check(stopped is None, f"the lesson did not play twice; the player's state: {stopped}")
    engine.check(engine.js("return typeof window.Hls") == "function", "hls.js not loaded")


NATIVE = """
var done = arguments[arguments.length - 1];
/* An iPhone before iOS 17.1: no MediaSource, HLS in the <video> element itself. */
delete window.MediaSource; delete window.ManagedMediaSource; delete window.WebKitMediaSource;
HTMLMediaElement.prototype.canPlayType = function (type) {
  return /mpegurl/i.test(type) ? "maybe" : (/mp4/.test(type) ? "probably" : "");
};
var request = new XMLHttpRequest();
request.open("GET", location.href);
request.onload = function () {
  document.open(); document.write(request.responseText); document.close();
};
request.send();
"""


def test_without_media_source_the_player_hands_hls_to_the_video_element(engine, nginx_site):
    engine.open(nginx_site + LESSON)
    engine.wait("return document.querySelector('.cp-lesson[data-engine]')", what="the player")
    # Rewrite the page in place with MediaSource gone and native HLS claimed: the player takes its native branch.
    engine.js(NATIVE.replace("var done = arguments[arguments.length - 1];", ""))
    engine.wait("var box = document.querySelector('.cp-lesson'); "
                "return box && box.getAttribute('data-engine') === 'native';", what="the native-HLS branch")
    engine.js("document.querySelector('video').muted = true")
    engine.click(".cp-player__start")
    source = engine.wait("var v = document.querySelector('video'); return v.currentSrc || v.src;",
                         what="a source on the video")
    engine.check(source.split("?")[0].endswith(".m3u8"), f"native branch set {source!r}, not the playlist")
    engine.check(engine.js("return typeof window.Hls") == "undefined", "hls.js loaded in the native branch")


def test_the_offline_bundle_from_file_urls(engine, bundle, tmp_path):  # noqa: F811
    folder = tmp_path / f"unzipped-{engine.name}"
    shutil.unpack_archive(bundle, folder)
    engine.open((folder / "manual" / "fever.html").as_uri())
    engine.wait("return document.querySelector('.cp-box--danger .cp-sign--red')", what="the chapter from file://")
    engine.check(engine.js("return getComputedStyle(document.querySelector('.cp-box--danger')).borderLeftStyle "
                           "!== 'none' || getComputedStyle(document.querySelector('.cp-box--danger'))"
                           ".backgroundColor !== 'rgba(0, 0, 0, 0)'"), "the chapter's styles did not load")
    engine.open((folder / "en" / "index.html").as_uri())
    engine.click(".cp-search__open")
    engine.type_composed(".cp-search__input", "wheeze")
    hrefs = engine.wait("var links = document.querySelectorAll('.cp-search__result'); "
                        "return links.length && Array.prototype.map.call(links, function (a) { "
                        "return a.getAttribute('href'); });", what="search results from file://")
    engine.check(any("wheeze" in href for href in hrefs[:3]), f"wheeze not found from file://: {hrefs[:5]}")



def test_the_legacy_engine_really_lacks_the_newer_apis(legacy_context, served_site):
    from .engines import ChromiumDriver

    engine = ChromiumDriver(legacy_context, name="chromium-legacy")
    engine.open(served_site + "/")
    missing = engine.js("return [typeof Element.prototype.replaceChildren, typeof document.createElement("
                        "'dialog').showModal, typeof window.IntersectionObserver, 'serviceWorker' in navigator]")
    engine.close()
    assert missing == ["undefined", "undefined", "undefined", False], f"still there: {missing}"


SET_CHILD = """
function put(selector, value) {
  var field = document.querySelector(selector);
  field.value = value;
  field.dispatchEvent(new Event("input", {bubbles: true}));
  field.dispatchEvent(new Event("change", {bubbles: true}));
}
put("#cp-child-age", "20"); put("#cp-child-unit", "d"); put("#cp-child-weight", "3.5");
put("#cp-child-m-temperature", "38.2");
"""


def test_bedside_a_febrile_20_day_old_is_an_emergency(engine, served_site):
    """The bedside control (issue 14) on each engine: age, weight, temperature → the emergency result."""
    engine.open(served_site + "/en/manual/fever/")
    engine.js("localStorage.removeItem('cloudpeds:child')")
    engine.click(".cp-child-open")
    engine.wait("var f = document.querySelector('.cp-child__form'); return f && !f.hidden;",
                what="the this-child form")
    engine.js(SET_CHILD)
    engine.js("var done = Array.prototype.filter.call(document.querySelectorAll('.cp-child__form button'), "
              "function (b) { return b.textContent.trim() === 'Done'; })[0]; done.click();")
    text = engine.wait("var r = document.querySelector('.cp-child__result.cp-level--emergency'); "
                       "return r && r.textContent;", what="the emergency result")
    engine.check("Emergency" in text and "175 mg" in text, f"result without the emergency or the dose: {text[:300]}")
    engine.js("window.cpBedside.clear()")
    engine.wait("return localStorage.getItem('cloudpeds:child') === null", what="the child cleared")
