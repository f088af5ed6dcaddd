"""RFC 5545 calendars of the live sessions (the ``icalendar`` package): one ``.ics`` per session and a feed of
all of them. Times carry their zone (``DTSTART;TZID=Asia/Shanghai``, with a VTIMEZONE), UIDs are stable (the
session id), and the output depends only on the sessions (DTSTAMP is the start: builds are reproducible)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from .model import Session

PRODUCT = "-//cloudpeds//live sessions//EN"


def uid(session: Session) -> str:
    return f"live-{session.id}@cloudpeds"


def session_event(session: Session, lang: str, url: str = "") -> Event:
    event = Event()
    event.add("uid", uid(session))
    event.add("dtstamp", session.starts.astimezone(dt.UTC))
    event.add("dtstart", session.starts)
    event.add("dtend", session.ends)
    event.add("summary", session.title.get(lang))
    lecturers = ", ".join(lecturer.name.get(lang) for lecturer in session.lecturers)
    lines = [session.description.get(lang)] if session.description else []
    lines.append(lecturers)
    if session.registration:
        lines.append(session.registration.get(lang))
    if url:
        lines.append(url)
        event.add("url", url)
    event.add("description", "\n".join(lines))
    event.add("location", url or session.stream)
    return event


def calendar_bytes(sessions: Iterable[Session], lang: str, name: str, urls: dict[str, str] | None = None) -> bytes:
    """A VCALENDAR of ``sessions`` (in start order) with the VTIMEZONEs their times use."""
    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for session in sorted(sessions, key=lambda s: (s.starts, s.id)):
        cal.add_component(session_event(session, lang, (urls or {}).get(session.id, "")))
    cal.add_missing_timezones()
    return cal.to_ical()
