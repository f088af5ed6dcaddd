"""Live sessions in the real sample build: the recorded session's page is a lesson page with the replay's HLS
ladder, captions and markers from the lesson pipeline; the calendars parse with icalendar in the right UTC times;
the stream's host is allowed by the CSP."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import icalendar
import pytest

pytestmark = pytest.mark.build

REPLAY = "courses/live/fever-case-review-2026-11/index.html"


def test_a_recorded_session_becomes_a_lesson_page_with_hls(sample_site: Path):
    html = (sample_site / REPLAY).read_text(encoding="utf-8")
    assert 'data-course="live"' in html and "data-live" not in html
    master = re.search(r'data-hls="(?:\.\./)+(media/[0-9a-f]{32}/master\.m3u8)"', html)
    assert master, html[:2000]
    playlist = (sample_site / master.group(1)).read_text(encoding="utf-8")
    assert playlist.count("#EXT-X-STREAM-INF") >= 2  # the lesson pipeline's ladder
    assert 'srclang="zh"' in html and "media/captions/fever-case-review-2026-11.zh.vtt" in html
    assert 'class="cp-marker"' in html and "fever-ds-young-infant" in html
    assert re.search(r'src="(?:\.\./)+assets/player\.[0-9a-f]{10}\.js"', html)  # the one player
    # The same recording sits in the en page too, once in the site.
    assert master.group(1) in (sample_site / "en" / REPLAY).read_text(encoding="utf-8")


def test_upcoming_sessions_have_the_live_player_and_the_schedule_lists_all(sample_site: Path):
    page = (sample_site / "courses/live/dehydration-plans-2027-01/index.html").read_text(encoding="utf-8")
    assert "data-live" in page and 'data-hls="https://live.hospital.example/peds/dehydration-plans/index.m3u8"' in page
    schedule = (sample_site / "en/courses/live/index.html").read_text(encoding="utf-8")
    assert schedule.count("data-cp-session") == 3
    assert "https://live.hospital.example" in (sample_site / "_headers").read_text(encoding="utf-8")


def test_the_calendars_parse_with_the_right_utc_times(sample_site: Path):
    feed = icalendar.Calendar.from_ical((sample_site / "courses/live/calendar.ics").read_bytes())
    starts = {str(e["uid"]): e.decoded("dtstart").astimezone(dt.UTC) for e in feed.walk("VEVENT")}
    assert starts == {
        "live-fever-case-review-2026-11@cloudpeds": dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC),
        "live-dehydration-plans-2027-01@cloudpeds": dt.datetime(2027, 1, 15, 6, 0, tzinfo=dt.UTC),
        "live-wheeze-2027-03@cloudpeds": dt.datetime(2027, 3, 12, 11, 30, tzinfo=dt.UTC),
    }
    one = icalendar.Calendar.from_ical((sample_site / "en/courses/live/wheeze-2027-03.ics").read_bytes())
    event = one.walk("VEVENT")[0]
    assert event["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert event.decoded("dtend").astimezone(dt.UTC) == dt.datetime(2027, 3, 12, 12, 30, tzinfo=dt.UTC)
    assert str(event["summary"]).startswith("Live: ")
