"""Live sessions: metadata checks with file:line, the .ics calendars (parsed by icalendar, times in UTC), the
schedule and session pages, and a replay as a lesson page (no ffmpeg needed here)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from cloudpeds.courses.live.loader import load_sessions, stream_host_problem
from cloudpeds.courses.live.pages import LiveRenderer, when_text
from cloudpeds.courses.pages import CourseRenderer, LessonMedia
from cloudpeds.manual.pages import Layout
from cloudpeds.manual.validate import check

UTC = dt.UTC
SESSION = """\
id: fever-live
title: {zh: 发热直播, en: Fever live}
lecturers:
  - name: {zh: 讲者, en: Lecturer}
start: 2026-12-10 14:00
duration: 90
stream: https://live.example.cn/peds/index.m3u8
related: {chapters: [fever], items: [fever-ds-young-infant]}
registration: {zh: 向培训办报名, en: Register with the training office}
"""
HOSTS = ("live.example.cn",)


@pytest.fixture
def live_project(project: Path) -> Path:
    (project / "courses" / "live").mkdir(parents=True)
    (project / "courses" / "live" / "fever-live.yml").write_text(SESSION, encoding="utf-8")
    return project


def load(project: Path, hosts=HOSTS, lesson_ids=frozenset()):
    manual, _ = check(project / "manual", root=project, today=dt.date(2026, 11, 25))
    return manual, *load_sessions(project / "courses" / "live", manual, root=project, allowed_hosts=hosts,
                                  lesson_ids=lesson_ids)


def test_valid_session_times_in_its_zone(live_project):
    _, sessions, diagnostics = load(live_project)
    assert diagnostics == []
    session = sessions[0].session
    assert session.starts.astimezone(UTC) == dt.datetime(2026, 12, 10, 6, 0, tzinfo=UTC)  # Asia/Shanghai default
    assert session.ends.astimezone(UTC) == dt.datetime(2026, 12, 10, 7, 30, tzinfo=UTC)
    assert [session.status(dt.datetime(2026, 12, 10, h, 0, tzinfo=UTC)) for h in (5, 7, 8)] == \
        ["upcoming", "live", "past"]
    assert when_text(session, "zh") == "2026-12-10 14:00–15:30（北京时间，UTC+08:00）"
    assert when_text(session, "en") == "2026-12-10 14:00–15:30 (China Standard Time, UTC+08:00)"


@pytest.mark.parametrize(("old", "new", "field", "message"), [
    ("start: 2026-12-10 14:00", "start: 10 December", "start", "is not a date and time"),
    ("start: 2026-12-10 14:00", "start: 2026-02-30 14:00", "start", "is not a date and time that exists"),
    ("start: 2026-12-10 14:00", "start: 2026-12-10T14:00:00+08:00", "start", "without an offset"),
    ("duration: 90", "duration: an hour", "duration", "is not a duration"),
    ("duration: 90", "duration: 0", "duration", "greater than 0"),
    ("related: ", "timezone: Asia/Beijing\nrelated: ", "timezone", "is not a time zone"),
    ("stream: https://live.example.cn/peds/index.m3u8", "stream: https://cdn.other.cn/peds/index.m3u8", "stream",
     "is not in allowed_hosts"),
    ("stream: https://live.example.cn/peds/index.m3u8", "stream: https://live.example.cn/peds/", "stream",
     "is not an HLS playlist"),
    ("stream: https://live.example.cn/peds/index.m3u8", "stream: live/index.m3u8", "stream",
     "is not a web address of a stream"),
    ("items: [fever-ds-young-infant]", "items: [fever-ds-nope]", "related.items[0]", "no manual item"),
    ("chapters: [fever]", "chapters: [cough]", "related.chapters[0]", "no chapter 'cough'"),
    ("id: fever-live", "id: other-live", "id", "differs from the file name"),
    ("related: ", "recording: media/none.mp4\nrelated: ", "recording", "does not exist"),
    ("related: ", "markers:\n  - {at: '0:05', title: {zh: 开始}}\nrelated: ", "markers", "markers need a recording"),
    ("lecturers:\n  - name: {zh: 讲者, en: Lecturer}\n", "", "(top level)", "`lecturers` is missing"),
])
def test_bad_session_input_names_file_and_line(live_project, old, new, field, message):
    path = live_project / "courses" / "live" / "fever-live.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _, _, diagnostics = load(live_project)
    found = [d for d in diagnostics if d.field == field and message in d.message]
    assert found, [d.format() for d in diagnostics]
    assert found[0].path == "courses/live/fever-live.yml"
    assert found[0].line > 1 or field in ("id", "(top level)")


def test_all_problems_at_once_and_a_session_id_that_is_a_lesson_id(live_project):
    path = live_project / "courses" / "live" / "fever-live.yml"
    path.write_text(SESSION.replace("duration: 90", "duration: x").replace("[fever]", "[cough]"), encoding="utf-8")
    _, _, diagnostics = load(live_project)
    assert len(diagnostics) == 1  # the model fails: its other checks follow once it loads
    path.write_text(SESSION.replace("[fever]", "[cough]").replace("live.example.cn", "x.cn"), encoding="utf-8")
    _, _, diagnostics = load(live_project, lesson_ids={"fever-live"})
    assert {d.field for d in diagnostics} == {"id", "stream", "related.chapters[0]"}
    assert [d.line for d in sorted(diagnostics)] == [1, 7, 8]


@pytest.mark.parametrize(("url", "hosts", "ok"), [
    ("https://live.example.cn/a.m3u8", ["live.example.cn"], True),
    ("https://LIVE.example.cn:8443/a.m3u8", ["live.example.cn"], True),
    ("http://127.0.0.1:8089/live/index.m3u8", ["http://127.0.0.1:8089"], True),
    ("http://127.0.0.1:8090/live/index.m3u8", ["http://127.0.0.1:8089"], False),
    ("https://evil.cn/a.m3u8", ["live.example.cn"], False),
    ("https://live.example.cn.evil.cn/a.m3u8", ["live.example.cn"], False),
])
def test_stream_hosts(url, hosts, ok):
    assert (stream_host_problem(url, hosts) is None) is ok


def renderer(project: Path, now: dt.datetime, media: dict | None = None, **options) -> LiveRenderer:
    _, sessions, diagnostics = load(project)
    assert diagnostics == []
    courses = CourseRenderer([], Layout(), media or {}, {"zh": {"fever": "发热"}, "en": {"fever": "Fever"}},
                             {"fever-ds-young-infant": "fever"})
    return LiveRenderer(sessions, courses, now=now, **options)


def test_calendars_parse_with_the_right_utc_times_zone_and_stable_uid(live_project):
    (live_project / "courses" / "live" / "london.yml").write_text(
        SESSION.replace("id: fever-live", "id: london").replace("start: 2026-12-10 14:00",
                                                                "start: 2027-07-01 09:30\ntimezone: Europe/London"),
        encoding="utf-8")
    live = renderer(live_project, dt.datetime(2026, 12, 1, tzinfo=UTC), site_url="https://peds.example.org/")
    files = live.calendars()
    assert sorted(files) == ["courses/live/calendar.ics", "courses/live/fever-live.ics", "courses/live/london.ics",
                             "en/courses/live/calendar.ics", "en/courses/live/fever-live.ics",
                             "en/courses/live/london.ics"]
    one = icalendar.Calendar.from_ical(files["courses/live/fever-live.ics"])
    event = one.walk("VEVENT")[0]
    assert event.decoded("dtstart").astimezone(UTC) == dt.datetime(2026, 12, 10, 6, 0, tzinfo=UTC)
    assert event.decoded("dtend").astimezone(UTC) == dt.datetime(2026, 12, 10, 7, 30, tzinfo=UTC)
    assert event["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert [tz["TZID"] for tz in one.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert str(event["summary"]) == "发热直播"
    assert str(event["url"]) == "https://peds.example.org/courses/live/fever-live/"
    feed = icalendar.Calendar.from_ical(files["en/courses/live/calendar.ics"])
    events = {str(e["uid"]): e for e in feed.walk("VEVENT")}
    assert set(events) == {"live-fever-live@cloudpeds", "live-london@cloudpeds"}
    assert str(events["live-fever-live@cloudpeds"]["summary"]) == "Fever live"
    # London in summer is UTC+1 (BST): 09:30 local is 08:30 UTC.
    assert events["live-london@cloudpeds"].decoded("dtstart").astimezone(UTC) == \
        dt.datetime(2027, 7, 1, 8, 30, tzinfo=UTC)
    assert {tz["TZID"] for tz in feed.walk("VTIMEZONE")} == {"Asia/Shanghai", "Europe/London"}
    assert live.calendars() == files  # the same sessions give the same bytes (reproducible builds)


def test_schedule_and_session_pages_with_a_fallback_status(live_project):
    live = renderer(live_project, dt.datetime(2026, 12, 10, 6, 30, tzinfo=UTC))  # during the session
    pages = {page.doc: page for page in live.pages()}
    assert sorted(pages) == ["courses/live/fever-live.md", "courses/live/index.md",
                             "en/courses/live/fever-live.md", "en/courses/live/index.md"]
    schedule = pages["courses/live/index.md"].markdown
    assert 'data-start="2026-12-10T06:00:00Z" data-end="2026-12-10T07:30:00Z" data-status="live"' in schedule
    assert 'href="fever-live/"' in schedule and "calendar.ics" in schedule
    session = pages["en/courses/live/fever-live.md"].markdown
    assert 'data-live' in session and 'data-hls="https://live.example.cn/peds/index.m3u8"' in session
    assert 'href="../../../../en/courses/live/fever-live.ics"' in session
    assert "Register with the training office" in session
    assert 'href="../../../manual/fever/#fever-ds-young-infant"' in session
    assert "assets/player.js" in session and "assets/live.js" in session


def test_a_recorded_session_is_a_lesson_page_with_the_replay(live_project):
    (live_project / "media").mkdir()
    (live_project / "media" / "rec.mp4").write_bytes(b"not checked without a probe")
    path = live_project / "courses" / "live" / "fever-live.yml"
    path.write_text(SESSION + "recording: media/rec.mp4\n", encoding="utf-8")
    media = {"fever-live": LessonMedia("media/k/master.m3u8", "media/k/offline.mp4", "media/k/poster.jpg", 12.0)}
    live = renderer(live_project, dt.datetime(2027, 1, 1, tzinfo=UTC), media)
    assert live.sessions[0].replay is not None
    page = next(p for p in live.pages() if p.doc == "courses/live/fever-live.md")
    html = page.markdown
    assert page.kind == "lesson"
    assert 'class="cp-lesson" data-lesson="fever-live" data-course="live"' in html
    assert 'data-hls="../../../media/k/master.m3u8"' in html and "data-live" not in html
    assert 'data-status="past"' in html and "可观看回放" in html
    assert html.count("assets/player.js") == 1


def test_duplicate_session_ids_and_captions_without_a_recording(live_project):
    (live_project / "courses" / "live" / "other.yml").write_text(
        SESSION + "captions: {zh: captions/x.zh.vtt}\n", encoding="utf-8")
    _, _, diagnostics = load(live_project)
    messages = {d.message for d in diagnostics}
    assert "session id 'fever-live' is already used at courses/live/fever-live.yml:1" in messages
    assert "captions need a recording" in messages
