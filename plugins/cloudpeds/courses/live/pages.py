"""The schedule (upcoming / live now / past) and a page per session, in every language, and their calendars.

A session's status is computed in the browser from the clock (``theme/assets/live.js``); the pages carry
the build-time status as a fallback without JavaScript. A session with a recording is a lesson: its page is
the courses' own lesson page (same template, same player, media from the same pipeline) under the
session's details."""

from __future__ import annotations

import datetime as dt

from ... import i18n, links
from ...manual.pages import GeneratedPage, NavEntry
from ..pages import CourseRenderer, _html
from .calendar import calendar_bytes
from .loader import LoadedSession, replay_course, replay_lesson
from .model import Session
from .words import words

FOLDER = "courses/live"


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def when_text(session: Session, lang: str) -> str:
    """``2026-12-10 14:00–15:30（北京时间，UTC+08:00）``: in the session's own zone."""
    start, end = session.starts, session.ends
    until = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%Y-%m-%d %H:%M")
    offset = start.strftime("%z")
    zone = words(lang).get(f"live.zone.{session.timezone}", session.timezone)
    comma = "，" if lang == "zh" else ", "
    return f"{start:%Y-%m-%d %H:%M}–{until}" + i18n.parenthesised(f"{zone}{comma}UTC{offset[:3]}:{offset[3:]}", lang)


class LiveRenderer:
    def __init__(self, sessions: list[LoadedSession], courses: CourseRenderer, *, now: dt.datetime,
                 site_url: str = ""):
        self.sessions = sorted(sessions, key=lambda s: (s.session.starts, s.session.id))
        self.courses = courses
        self.layout = courses.layout
        self.now = now
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""

    # -- where things are ---------------------------------------------------------------------
    def schedule_doc(self, lang: str) -> str:
        return f"{self.layout.prefix(lang)}{FOLDER}/index.md"

    def session_doc(self, lang: str, session: Session) -> str:
        return f"{self.layout.prefix(lang)}{FOLDER}/{session.id}.md"

    def ics_path(self, lang: str, session: Session) -> str:
        return f"{self.layout.prefix(lang)}{FOLDER}/{session.id}.ics"

    def feed_path(self, lang: str) -> str:
        return f"{self.layout.prefix(lang)}{FOLDER}/calendar.ics"

    def _context(self, doc: str, lang: str) -> dict[str, object]:
        ctx = self.courses._context(doc, lang)
        ctx["t"] = {**ctx["t"], **words(lang)}  # type: ignore[dict-item]
        ctx.update(live=self, when_text=when_text, utc=_utc, now=self.now,
                   built=self.now.date().isoformat())
        return ctx

    # -- pages ----------------------------------------------------------------------------------
    def pages(self) -> list[GeneratedPage]:
        if not self.sessions:
            return []
        out = []
        for lang in self.layout.languages:
            out.append(self.schedule(lang))
            out += [self.session_page(lang, loaded) for loaded in self.sessions]
        return out

    def schedule(self, lang: str) -> GeneratedPage:
        doc = self.schedule_doc(lang)
        ctx = self._context(doc, lang)
        ctx.update(sessions=[loaded.session for loaded in self.sessions])
        title = words(lang)["live.schedule"]
        return GeneratedPage(doc, lang, title, f"# {title}\n\n{_html('live_schedule.html.j2', **ctx)}\n", "courses")

    def session_page(self, lang: str, loaded: LoadedSession) -> GeneratedPage:
        session = loaded.session
        doc = self.session_doc(lang, session)
        ctx = self._context(doc, lang)
        related = [(chapter_id, self.courses.chapter_titles.get(lang, {}).get(chapter_id, chapter_id), "")
                   for chapter_id in session.related.chapters]
        related += [(self.courses.item_chapters.get(item, ""), self.courses.item_text(lang, item), item)
                    for item in session.related.items]
        replay = loaded.replay is not None and session.id in self.courses.media
        ctx.update(session=session, related=related, replay=replay, status=session.status(self.now))
        info = _html("live_session.html.j2", **ctx)
        title = session.title.get(lang)
        if not replay:
            return GeneratedPage(doc, lang, title, f"# {title}\n\n{info}\n", "courses", description=None)
        # The replay: the courses' own lesson page (player, markers, transcript, links into the manual).
        lesson_page = self.courses.lesson_page(lang, loaded.replay, loaded.replay.course.lessons[0])  # type: ignore[union-attr]
        heading, _, body = lesson_page.markdown.partition("\n\n")
        return GeneratedPage(doc, lang, title, f"{heading}\n\n{info}\n\n{body}", "lesson")

    def calendars(self) -> dict[str, bytes]:
        """Site path → bytes: one .ics per session and language, and the feed of all sessions per language."""
        out: dict[str, bytes] = {}
        for lang in self.layout.languages:
            name = words(lang)["live.schedule"]
            urls = {loaded.session.id: self.site_url + links.url_of(self.session_doc(lang, loaded.session),
                                                                   directory_urls=self.layout.directory_urls)
                    for loaded in self.sessions} if self.site_url else {}
            for loaded in self.sessions:
                out[self.ics_path(lang, loaded.session)] = calendar_bytes([loaded.session], lang, name, urls)
            out[self.feed_path(lang)] = calendar_bytes([loaded.session for loaded in self.sessions], lang, name, urls)
        return out

    def navigation(self, lang: str) -> NavEntry | None:
        if not self.sessions:
            return None
        return NavEntry(words(lang)["live.schedule"], children=[
            NavEntry(None, self.schedule_doc(lang)),
            *(NavEntry(None, self.session_doc(lang, loaded.session)) for loaded in self.sessions)])


def replays(sessions: list[LoadedSession]):
    """The replay lessons' courses, for the media pipeline: one one-lesson course per recorded session."""
    return [loaded.replay for loaded in sessions if loaded.replay is not None]


__all__ = ["LiveRenderer", "replay_course", "replay_lesson", "replays", "when_text"]
