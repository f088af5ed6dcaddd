"""Pages derived from the courses: catalogue, course pages, lesson pages with the player, and the
"video lessons" block of each manual chapter. Links are relative, as in cloudpeds.manual.pages."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .. import i18n, links
from ..manual.pages import GeneratedPage, Layout
from ..markup.trust import trusted
from .loader import LoadedCourse
from .model import Course, Lesson
from .vtt import transcript

_BLANK_LINES = re.compile(r"\n\s*\n")
_env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                          trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


@dataclass
class LessonMedia:
    """Where a lesson's media sits in the site (paths relative to the site root)."""

    master: str | None = None
    mp4: str | None = None
    poster: str | None = None
    duration: float | None = None
    captions: dict[str, str] = field(default_factory=dict)
    #: The poster at phone size (JPEG and WebP) and at full size as WebP, when the pipeline made them.
    phone_poster: str | None = None
    phone_poster_webp: str | None = None
    poster_webp: str | None = None
    poster_width: int = 1280  # of the full-size poster (the top rendition's), for srcset
    phone_poster_width: int = 720


def clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _html(template: str, **context: object) -> str:
    return trusted(_BLANK_LINES.sub("\n", _env.get_template(template).render(**context).strip()))


class CourseRenderer:
    def __init__(self, courses: list[LoadedCourse], layout: Layout, media: dict[str, LessonMedia],
                 chapter_titles: dict[str, dict[str, str]], item_chapters: dict[str, str],
                 outdated: dict[str, list[str]] | None = None,
                 item_texts: dict[str, dict[str, str]] | None = None):
        self.courses = sorted(courses, key=lambda c: (c.course.order, c.course.id))
        self.layout = layout
        self.media = media
        self.chapter_titles = chapter_titles  # lang → chapter id → title
        self.item_chapters = item_chapters  # item id → chapter id
        self.outdated = outdated or {}  # lesson id → changed item ids
        self.item_texts = item_texts or {}  # lang → item id → short text

    def item_text(self, lang: str, item_id: str) -> str:
        text = self.item_texts.get(lang, {}).get(item_id, item_id)
        return text if len(text) <= 40 else text[:39] + "…"

    # -- where things are ---------------------------------------------------------------------
    def catalogue_doc(self, lang: str) -> str:
        return f"{self.layout.prefix(lang)}courses/index.md"

    def course_doc(self, lang: str, course: Course) -> str:
        return f"{self.layout.prefix(lang)}courses/{course.id}/index.md"

    def lesson_doc(self, lang: str, course: Course, lesson: Lesson) -> str:
        return f"{self.layout.prefix(lang)}courses/{course.id}/{lesson.id}.md"

    def _context(self, doc: str, lang: str) -> dict[str, object]:
        def link(to_doc: str, anchor: str = "") -> str:
            return links.href(doc, to_doc, anchor, directory_urls=self.layout.directory_urls)

        root = links.root_of(doc, directory_urls=self.layout.directory_urls)
        return {"t": i18n.strings(lang), "lang": lang, "link": link, "root": root, "clock": clock,
                "layout": self, "manual_layout": self.layout,
                # Opened from disk (file://): no CORS mode, which Chromium refuses for file: URLs.
                "from_disk": not self.layout.directory_urls}

    def lesson_duration(self, lesson: Lesson) -> float | None:
        media = self.media.get(lesson.id)
        return media.duration if media else None

    def course_duration(self, course: Course) -> float | None:
        durations = [self.lesson_duration(lesson) for lesson in course.lessons]
        return sum(durations) if all(d is not None for d in durations) else None

    # -- pages ----------------------------------------------------------------------------------
    def pages(self) -> list[GeneratedPage]:
        if not self.courses:
            return []
        out: list[GeneratedPage] = []
        for lang in self.layout.languages:
            out.append(self.catalogue(lang))
            for loaded in self.courses:
                out.append(self.course_page(lang, loaded.course))
                for lesson in loaded.course.lessons:
                    out.append(self.lesson_page(lang, loaded, lesson))
        return out

    def catalogue(self, lang: str) -> GeneratedPage:
        doc = self.catalogue_doc(lang)
        ctx = self._context(doc, lang)
        ctx.update(courses=[loaded.course for loaded in self.courses])
        title = i18n.t("courses", lang)
        return GeneratedPage(doc, lang, title, f"# {title}\n\n{_html('catalogue.html.j2', **ctx)}\n", "courses")

    def course_page(self, lang: str, course: Course) -> GeneratedPage:
        doc = self.course_doc(lang, course)
        ctx = self._context(doc, lang)
        ctx.update(course=course)
        title = course.title.get(lang)
        return GeneratedPage(doc, lang, title, f"# {title}\n\n{_html('course.html.j2', **ctx)}\n", "courses")

    def lesson_page(self, lang: str, loaded: LoadedCourse, lesson: Lesson) -> GeneratedPage:
        course = loaded.course
        doc = self.lesson_doc(lang, course, lesson)
        ctx = self._context(doc, lang)
        cues = loaded.captions.get((lesson.id, lang)) or loaded.captions.get((lesson.id, "zh")) or []
        teaches = [(chapter_id, self.chapter_titles.get(lang, {}).get(chapter_id, chapter_id), "")
                   for chapter_id in lesson.teaches.chapters]
        teaches += [(self.item_chapters.get(item, ""), self.item_text(lang, item), item)
                    for item in lesson.teaches.items]
        index = course.lessons.index(lesson)
        ctx.update(course=course, lesson=lesson, media=self.media.get(lesson.id, LessonMedia()),
                   transcript=transcript(cues), teaches=teaches,
                   previous=course.lessons[index - 1] if index else None,
                   next=course.lessons[index + 1] if index + 1 < len(course.lessons) else None,
                   outdated=self.outdated.get(lesson.id, []),
                   player=json.dumps({"lesson": lesson.id, "course": course.id}))
        title = lesson.title.get(lang)
        return GeneratedPage(doc, lang, title, f"# {title}\n\n{_html('lesson.html.j2', **ctx)}\n", "lesson")

    def search_entries(self, lang: str) -> list[tuple[str, str, str, str, str]]:
        """(document, kind, title, parent title, text) of every course (description, audience, lesson
        titles) and every lesson (its markers and caption text)."""
        out = []
        for loaded in self.courses:
            course = loaded.course
            out.append((self.course_doc(lang, course), "course", course.title.get(lang), "",
                        " ".join([course.description.get(lang), course.audience.get(lang),
                                  *(lesson.title.get(lang) for lesson in course.lessons)])))
            for lesson in course.lessons:
                cues = loaded.captions.get((lesson.id, lang)) or loaded.captions.get((lesson.id, "zh")) or []
                text = " ".join([*(marker.title.get(lang) for marker in lesson.markers), *(c.text for c in cues)])
                out.append((self.lesson_doc(lang, course, lesson), "lesson", lesson.title.get(lang),
                            course.title.get(lang), text))
        return out

    def chapter_block(self, lang: str, chapter_id: str, from_doc: str) -> str:
        """The "video lessons" part of a manual chapter: every lesson that teaches it, with markers."""
        found = []
        for loaded in self.courses:
            for lesson in loaded.course.lessons:
                items = {self.item_chapters.get(item) for item in lesson.teaches.items}
                if chapter_id in lesson.teaches.chapters or chapter_id in items:
                    found.append((loaded.course, lesson))
        if not found:
            return ""
        ctx = self._context(from_doc, lang)
        ctx.update(found=found)
        return _html("chapter_lessons.html.j2", **ctx)
