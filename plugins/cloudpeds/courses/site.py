"""Everything the courses add to a site: checked courses, transcoded media, pages, static files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import i18n
from ..diagnostics import Diagnostic, display_path, error, has_errors, warning
from ..manual.pages import GeneratedPage, NavEntry, Renderer
from .live.loader import load_sessions
from .live.pages import LiveRenderer, replays
from .loader import LoadedCourse, load_courses
from .pages import CourseRenderer, LessonMedia, QuizContext, has_quiz, quiz_doc, save_files, saved_doc

HLS_JS = "hls.js/dist/hls.light.min.js"
LIVE_FOLDER = "live"  # courses/live/<id>.yml


def has_sessions(courses_dir: Path) -> bool:
    return (courses_dir / LIVE_FOLDER).is_dir() and any((courses_dir / LIVE_FOLDER).glob("*.yml"))


class CourseSiteError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__(f"{len(diagnostics)} problem(s) in the courses")


@dataclass
class CourseSite:
    renderer: CourseRenderer
    manual_renderer: Renderer
    diagnostics: list[Diagnostic]
    pages: list[GeneratedPage] = field(default_factory=list)
    static_files: dict[str, Path] = field(default_factory=dict)  # site path → file to copy
    #: Live sessions (courses/live/): schedule and session pages' renderer; calendars (site path → bytes).
    live: LiveRenderer | None = None
    generated_files: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def build(cls, *, project: Path, courses_dir: Path, cache_dir: Path, renderer: Renderer,
              ladder: list[dict] | None, jobs: int, node_modules: Path,
              progress: Callable[[str], None], allowed_hosts: tuple[str, ...] | list[str] = (),
              site_url: str = "", now: dt.datetime | None = None) -> CourseSite:
        # ffmpeg is looked up only when there are courses: a manual without videos needs none.
        from ..media.ladder import PHONE_POSTER_WIDTH, Ladder
        from ..media.pipeline import build_lessons
        from ..media.tools import find_tools
        from .probing import PROBE_CACHE, make_probe

        manual = renderer.manual
        has_courses = courses_dir.is_dir() and any(courses_dir.glob("*.yml"))
        has_courses = has_courses or has_sessions(courses_dir)
        probe, tools = None, None
        if has_courses:
            probe, missing = make_probe(project / PROBE_CACHE)
            if probe is None:
                raise CourseSiteError([error(str(courses_dir), 1, 1, "", missing or "ffmpeg not found")])
            tools = find_tools()

        courses, diagnostics = load_courses(courses_dir, manual, root=project, probe=probe)
        sessions, live_problems = load_sessions(
            courses_dir / LIVE_FOLDER, manual, root=project, allowed_hosts=allowed_hosts, probe=probe,
            lesson_ids={lesson.id for loaded in courses for lesson in loaded.course.lessons})
        diagnostics += live_problems
        replay_courses = replays(sessions)  # recorded sessions: one-lesson courses for the same pipeline
        if has_errors(diagnostics):
            raise CourseSiteError([d for d in diagnostics if d.severity.value == "error"])
        static: dict[str, Path] = {}
        media: dict[str, LessonMedia] = {}
        if courses or sessions:
            hls = node_modules / HLS_JS
            if not hls.is_file():
                raise CourseSiteError([error(str(node_modules), 1, 1, "", f"missing front-end package file {HLS_JS}",
                                             "run `npm ci` (or `make site`, which does it)")])
            static["assets/vendor/hls.light.min.js"] = hls
            lessons = [(loaded, index, lesson_id) for loaded in [*courses, *replay_courses]
                       for index, lesson in enumerate(loaded.course.lessons)
                       for lesson_id in [lesson.id] if lesson_id in loaded.sources]
            sources = [loaded.sources[lesson_id] for loaded, _, lesson_id in lessons]
            sources = list(dict.fromkeys(sources))  # a recording may be a lesson's video too: transcoded once
            result = build_lessons(sources, project_root=project, cache_dir=cache_dir, tools=tools,
                                   ladder=Ladder.from_mapping({"rungs": ladder}) if ladder else None, jobs=jobs,
                                   on_progress=_reporter(progress))
            by_source = {entry.source: entry for entry in result.media}
            problems = []
            for failure in result.errors:
                where = next(((loaded, index) for loaded, index, lesson_id in lessons
                              if loaded.sources[lesson_id] == Path(failure.path or "").resolve()), None)
                if where:
                    loaded, index = where
                    problems.append(error(loaded.path, *loaded.where(("lessons", index, "source")),
                                          f"lessons[{index}].source", failure.message, failure.hint))
                else:
                    problems.append(error(display_path(Path(failure.path or courses_dir), project), 1, 1, "",
                                          failure.message, failure.hint))
            if problems:
                raise CourseSiteError(problems)
            for loaded, index, lesson_id in lessons:
                entry = by_source[loaded.sources[lesson_id]]
                if entry.decode_warning:
                    diagnostics.append(warning(loaded.path, *loaded.where(("lessons", index, "source")),
                                               f"lessons[{index}].source", entry.decode_warning,
                                               "export or copy the video again from the original"))
                base = f"media/{entry.key}"
                poster_width = max((v.width for v in entry.variants), default=1280)
                for file in sorted(entry.directory.rglob("*")):
                    if file.is_file() and file.name != "manifest.json":
                        static[f"{base}/{file.relative_to(entry.directory).as_posix()}"] = file
                media[lesson_id] = LessonMedia(master=f"{base}/{entry.master.name}",
                                               mp4=f"{base}/{entry.offline_mp4.name}",
                                               poster=f"{base}/{entry.poster.name}", duration=entry.duration,
                                               phone_poster=f"{base}/{entry.phone_poster.name}",
                                               phone_poster_webp=f"{base}/{entry.phone_poster_webp.name}",
                                               poster_webp=f"{base}/{entry.poster_webp.name}",
                                               poster_width=poster_width,
                                               phone_poster_width=min(PHONE_POSTER_WIDTH, poster_width))
            for loaded in [*courses, *replay_courses]:
                for lesson in loaded.course.lessons:
                    for lang, caption in lesson.captions.items():
                        target = f"media/captions/{lesson.id}.{lang}.vtt"
                        static[target] = (project / caption).resolve()
                        media.setdefault(lesson.id, LessonMedia()).captions[lang] = target
        titles = {lang: {c.id: c.meta.title for c in manual.in_language(lang)} for lang in manual.languages}
        items = {entry.id: chapter.id for chapter in manual.in_language(manual.default_language)
                 for kind in ("danger_signs", "referrals", "recommendations")
                 for entry in getattr(chapter.meta, kind)}
        texts = {lang: {sign.id: sign.text
                        for chapter in manual.in_language(lang) for sign in chapter.meta.danger_signs}
                 | {rec.id: rec.text for chapter in manual.in_language(lang) for rec in chapter.meta.recommendations}
                 | {ref.id: f"{i18n.t('urgency.' + ref.urgency, lang)}{i18n.colon(lang)}{ref.target}"
                    for chapter in manual.in_language(lang) for ref in chapter.meta.referrals}
                 for lang in manual.languages}
        # Lessons that teach an item changed in this edition (see cloudpeds.editions) may be out of date.
        changed = renderer.changed.get(manual.default_language, {})
        outdated = {lesson.id: [item for item in lesson.teaches.items if changed.get(item) == "changed"]
                    for loaded in [*courses, *replay_courses] for lesson in loaded.course.lessons}
        course_renderer = CourseRenderer(courses, renderer.layout, media, titles, items, item_texts=texts,
                                         outdated={lesson: found for lesson, found in outdated.items() if found})
        course_renderer.quiz = _quiz_context(courses, renderer, changed, project, static)
        course_renderer.save_sizes = {lesson_id: sum(static[path].stat().st_size for path in save_files(entry)
                                                     if path in static)
                                      for lesson_id, entry in media.items()}
        site = cls(course_renderer, renderer, diagnostics, course_renderer.pages(), static)
        if sessions:
            site.live = LiveRenderer(sessions, course_renderer, now=now or dt.datetime.now(dt.UTC),
                                     site_url=site_url)
            site.pages += site.live.pages()
            site.generated_files.update(site.live.calendars())
        site._add_navigation(courses)
        return site

    def _add_navigation(self, courses: list[LoadedCourse]) -> None:
        if not courses and self.live is None:
            return
        r = self.renderer
        for lang in self.manual_renderer.layout.languages:
            children = [NavEntry(None, r.catalogue_doc(lang))] if r.courses else []
            for loaded in r.courses:
                course = loaded.course
                children.append(NavEntry(course.title.get(lang), children=[
                    NavEntry(None, r.course_doc(lang, course)),
                    *(NavEntry(None, r.lesson_doc(lang, course, lesson)) for lesson in course.lessons),
                    *([NavEntry(None, quiz_doc(r.layout, lang, course))] if has_quiz(course) else [])]))
            children.append(NavEntry(None, saved_doc(r.layout, lang)))
            if self.live is not None and (live_nav := self.live.navigation(lang)):
                children.insert(1, live_nav)
            self.manual_renderer.extra_nav[lang] = [NavEntry(i18n.t("courses", lang), children=children)]

    def chapter_block(self, doc: str) -> str:
        layout = self.manual_renderer.layout
        lang = layout.language_of(doc)
        chapter_id = doc.rsplit("/", 1)[-1].removesuffix(".md")
        block = self.renderer.chapter_block(lang, chapter_id, doc)
        if not block:
            return ""
        return f"## {i18n.t('chapter.lessons', lang)} {{#lessons}}\n\n{block}"


def _reporter(progress: Callable[[str], None]):
    """Progress per lesson, at most every 10 % (long transcodes show they are alive)."""
    shown: dict[str, int] = {}

    def report(state) -> None:
        share = int(100 * state.seconds / state.duration) if state.duration else 0
        step = 100 if state.done else share - share % 10
        if shown.get(state.lesson, -1) < step:
            shown[state.lesson] = step
            speed = f", {state.speed:.1f}× realtime" if state.speed else ""
            progress(f"transcoding {state.lesson}: {step}%{speed}")
    return report


def _quiz_context(courses: list[LoadedCourse], renderer: Renderer, changed: dict[str, str], project: Path,
                  static: dict[str, Path]) -> QuizContext:
    """Questions whose tested item changed in this edition, case pictures (copied under a name made from
    their content, so they may be cached for good), and the anchor of each chapter's first flowchart."""
    import hashlib

    from ..flowchart.compile import chart_id
    from ..flowchart.fences import find_fences
    from .quiz import outdated_questions, questions_of

    images: dict[str, str] = {}
    for loaded in courses:
        for entry in questions_of(loaded):
            image = entry.question.image
            if image is None:
                continue
            path = (project / image.src).resolve()
            target = f"media/quiz/{hashlib.sha256(path.read_bytes()).hexdigest()[:16]}{path.suffix.lower()}"
            static[target] = path
            images[entry.question.id] = target
    manual = renderer.manual
    charts = {lang: {chapter.id: chart_id(fences[0].source) for chapter in manual.in_language(lang)
                     for fences in [find_fences(chapter.body)] if fences}
              for lang in manual.languages}
    return QuizContext(outdated=outdated_questions(courses, changed), images=images, charts=charts)
