"""Pages derived from the courses: catalogue, course pages, lesson pages with the player, and the
"video lessons" block of each manual chapter. Links are relative, as in cloudpeds.manual.pages."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

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
    quiz: QuizContext | None = None  # set by CourseSite (quizzes of the courses)
    save_sizes: dict[str, int] = {}  # noqa: RUF012 (set by CourseSite) lesson id → bytes kept when saved for offline

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
                if has_quiz(loaded.course):
                    out.append(quiz_page(self, lang, loaded.course))
            out.append(saved_page(self, lang))
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
        ctx.update(quiz_link=link_to_quiz(self, doc, lang, course))
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
        ctx.update(quiz_form=render_quiz_form(self, doc, lang, course, lesson) if lesson.quiz else "")
        ctx.update(save_block=render_save_block(self, doc, lang, course, lesson, ctx["media"],
                                                self.save_sizes.get(lesson.id, 0)))
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


# -- quizzes (cloudpeds.courses.quiz; graded in the browser by theme/assets/quiz.js) ---------------------
@dataclass
class QuizContext:
    """What the quiz pages need besides the courses: set by CourseSite when a course has questions."""

    outdated: dict[str, list[str]] = field(default_factory=dict)  # question id → changed items it tests
    images: dict[str, str] = field(default_factory=dict)  # question id → site path of its picture
    charts: dict[str, dict[str, str]] = field(default_factory=dict)  # lang → chapter id → chart anchor


def has_quiz(course: Course) -> bool:
    return bool(course.quiz and course.quiz.questions) or any(lesson.quiz for lesson in course.lessons)


def quiz_doc(layout: Layout, lang: str, course: Course) -> str:
    return f"{layout.prefix(lang)}courses/{course.id}/quiz.md"


def quiz_questions(course: Course, lesson: Lesson | None = None) -> list:
    """The questions of one lesson, or of the whole course (every lesson's, then the course's own)."""
    if lesson is not None:
        return list(lesson.quiz.questions) if lesson.quiz else []
    found = [q for each in course.lessons if each.quiz for q in each.quiz.questions]
    return found + (list(course.quiz.questions) if course.quiz else [])


def _quiz_strings(lang: str) -> dict[str, str]:
    return {key.removeprefix("quiz.js."): i18n.t(key, lang) for key in i18n.STRINGS if key.startswith("quiz.js.")}


def render_quiz_form(renderer: CourseRenderer, doc: str, lang: str, course: Course, lesson: Lesson | None) -> str:
    """The questions as a form: radio buttons or check boxes that work without scripts; quiz.js (loaded
    on first use) checks them against the key in the page. ``lesson``: practice after a lesson; None: the
    course quiz, whose attempts are scored and kept."""
    from .model import DEFAULT_PASS_MARK

    quiz = renderer.quiz or QuizContext()
    questions = quiz_questions(course, lesson)
    ctx = renderer._context(doc, lang)
    pass_mark = course.quiz.pass_mark if course.quiz else DEFAULT_PASS_MARK
    lessons = {q.id: each for each in course.lessons if each.quiz for q in each.quiz.questions}
    data = {"course": course.id, "mode": "practice" if lesson else "attempt", "pass": pass_mark,
            "key": {q.id: q.answer for q in questions}, "strings": _quiz_strings(lang),
            "outdated": sorted(q.id for q in questions if q.id in quiz.outdated)}
    chapter_titles = renderer.chapter_titles.get(lang, {})
    ctx.update(course=course, lesson=lesson, questions=questions, quiz=quiz, pass_mark=pass_mark,
               lessons_of=lessons, chapter_titles=chapter_titles, charts=quiz.charts.get(lang, {}),
               data=json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c"))
    # Placed inside the lesson's or the quiz page's trusted block: not wrapped again (markers do not nest).
    return Markup(_BLANK_LINES.sub("\n", _env.get_template("quiz_form.html.j2").render(**ctx).strip()))


def quiz_page(renderer: CourseRenderer, lang: str, course: Course) -> GeneratedPage:
    """``courses/<id>/quiz``: every question of the course, the score against the pass mark, and the
    completion record (print, xAPI export)."""
    doc = quiz_doc(renderer.layout, lang, course)
    ctx = renderer._context(doc, lang)
    record = {"course": course.id, "title": course.title.get(lang),
              "lessons": [lesson.id for lesson in course.lessons],
              "lessonTitles": {lesson.id: lesson.title.get(lang) for lesson in course.lessons},
              # One activity per course in every language: the course page of the first (default) language.
              "activity": links.href(doc, renderer.course_doc(renderer.layout.languages[0], course), "",
                                     directory_urls=renderer.layout.directory_urls),
              "courseTitles": {each: course.title.get(each) for each in renderer.layout.languages},
              "home": links.root_of(doc, directory_urls=renderer.layout.directory_urls) + "/"}
    ctx.update(course=course, form=render_quiz_form(renderer, doc, lang, course, None),
               count=len(quiz_questions(course)),
               pass_mark=course.quiz.pass_mark if course.quiz else 80,
               record=json.dumps(record, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c"))
    title = f"{i18n.t('quiz.course_quiz', lang)}{i18n.colon(lang)}{course.title.get(lang)}"
    return GeneratedPage(doc, lang, title, f"# {title}\n\n{_html('quiz_page.html.j2', **ctx)}\n", "courses")


def link_to_quiz(renderer: CourseRenderer, doc: str, lang: str, course: Course) -> str:
    """The course page's link to its quiz ("" without one)."""
    if not has_quiz(course):
        return ""
    href = links.href(doc, quiz_doc(renderer.layout, lang, course), "",
                      directory_urls=renderer.layout.directory_urls)
    from .model import DEFAULT_PASS_MARK

    count = len(quiz_questions(course))
    mark = course.quiz.pass_mark if course.quiz else DEFAULT_PASS_MARK
    html = _env.get_template("quiz_link.html.j2").render(
        href=href, t=i18n.strings(lang), summary=i18n.t("quiz.summary", lang).format(count=count, mark=mark))
    return Markup(html.strip())  # inside the course page's trusted block


# -- lessons saved for offline (theme/assets/offline.js; the service worker's "cloudpeds-lessons-<scope>") -------
def saved_doc(layout: Layout, lang: str) -> str:
    return f"{layout.prefix(lang)}courses/saved.md"


def _offline_strings(lang: str) -> dict[str, str]:
    return {key.removeprefix("offline.js."): i18n.t(key, lang) for key in i18n.STRINGS
            if key.startswith("offline.js.")}


def save_files(media: LessonMedia) -> list[str]:
    """What a lesson saved for offline keeps: its MP4 (the lowest-cost whole copy the pipeline makes, which the
    player plays offline), its captions in every language and its posters (site paths)."""
    files = [path for path in (media.phone_poster, media.phone_poster_webp, media.poster, media.poster_webp)
             if path]
    return [*files, *media.captions.values(), *([media.mp4] if media.mp4 else [])]  # the MP4 last


def render_save_block(renderer: CourseRenderer, doc: str, lang: str, course: Course, lesson: Lesson,
                      media: LessonMedia, size: int) -> str:
    """"Save for offline" under a lesson's player (only where a service worker can serve it: not from disk)."""
    if renderer.layout.directory_urls is False or not media.mp4:
        return ""
    root = links.root_of(doc, directory_urls=renderer.layout.directory_urls)
    data = {"lesson": lesson.id, "course": course.id, "size": size,
            "files": [f"{root}/{path}" for path in save_files(media)],
            "titles": {each: lesson.title.get(each) for each in renderer.layout.languages},
            "courseTitles": {each: course.title.get(each) for each in renderer.layout.languages},
            "pages": {each: links.href(doc, renderer.lesson_doc(each, course, lesson), "",
                                       directory_urls=renderer.layout.directory_urls)
                      for each in renderer.layout.languages},
            "strings": _offline_strings(lang)}
    html = _env.get_template("offline_save.html.j2").render(
        t=i18n.strings(lang), root=root, data=json.dumps(data, ensure_ascii=False, sort_keys=True),
        saved=links.href(doc, saved_doc(renderer.layout, lang), "", directory_urls=renderer.layout.directory_urls),
        size=megabytes(size, lang))
    return Markup(_BLANK_LINES.sub("\n", html.strip()))


def megabytes(size: int, lang: str) -> str:
    return f"{size / 1e6:.1f} MB"


def saved_page(renderer: CourseRenderer, lang: str) -> GeneratedPage:
    """``courses/saved``: the lessons this phone keeps for offline (listed by offline.js from its storage)."""
    doc = saved_doc(renderer.layout, lang)
    root = links.root_of(doc, directory_urls=renderer.layout.directory_urls)
    data = {"strings": _offline_strings(lang), "lang": lang}
    title = i18n.t("offline.saved_title", lang)
    body = _html("offline_saved.html.j2", t=i18n.strings(lang), root=root,
                 data=json.dumps(data, ensure_ascii=False, sort_keys=True))
    return GeneratedPage(doc, lang, title, f"# {title}\n\n{body}\n", "courses")
