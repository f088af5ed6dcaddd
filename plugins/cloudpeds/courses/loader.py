"""Load and check the courses: metadata, sources, captions, and the links into the manual."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, display_path, error, warning
from ..manual.loader import Manual, load_yaml_model
from ..sourcetext import CONTROL_HINT, SourceTextError, find_control, read_source
from ..yamlpos import FieldPath, Positions, format_path
from .model import Course, Lesson
from .vtt import Cue, parse_vtt


@dataclass
class SourceInfo:
    """What probing a source video found."""

    duration: float
    has_video: bool
    has_audio: bool
    width: int = 0
    height: int = 0


#: Probes a video file; raises ValueError with a reason when it cannot be read.
Probe = Callable[[Path], SourceInfo]


@dataclass
class LoadedCourse:
    course: Course
    path: str
    positions: Positions
    sources: dict[str, Path] = field(default_factory=dict)  # lesson id → absolute source path
    captions: dict[tuple[str, str], list[Cue]] = field(default_factory=dict)  # (lesson, lang) → cues
    durations: dict[str, float] = field(default_factory=dict)

    def where(self, path: FieldPath) -> tuple[int, int]:
        return self.positions.of(path)


def load_courses(courses_dir: Path, manual: Manual, *, root: Path,
                 probe: Probe | None = None) -> tuple[list[LoadedCourse], list[Diagnostic]]:
    """Every course in ``courses_dir`` and every problem, each with its file and line."""
    diagnostics: list[Diagnostic] = []
    loaded: list[LoadedCourse] = []
    for path in sorted(courses_dir.glob("*.yml")) if courses_dir.is_dir() else []:
        result = load_yaml_model(path, Course, root, diagnostics)
        if result is None:
            continue
        course, positions = result
        item = LoadedCourse(course, display_path(path, root), positions)
        if course.id != path.stem:
            diagnostics.append(error(item.path, *item.where(("id",)), "id",
                                     f"the id {course.id!r} differs from the file name {path.stem!r}",
                                     f"rename the file to {course.id}.yml or change the id"))
        loaded.append(item)
        diagnostics += _placeholders(item)
    diagnostics += _check_unique(loaded)
    items = _manual_items(manual)
    for item in loaded:
        for index, lesson in enumerate(item.course.lessons):
            diagnostics += _check_lesson(item, index, lesson, manual, items, root, probe)
    diagnostics += _check_quizzes(loaded, manual, items, root)
    return loaded, diagnostics


def _check_quizzes(loaded: list[LoadedCourse], manual: Manual, items: dict[str, str],
                   root: Path) -> list[Diagnostic]:
    from ..flowchart.fences import find_fences
    from .quiz import check_quizzes, check_reserved_ids

    chapters = manual.chapters.get(manual.default_language, {}).values()
    charts = {chapter.id for chapter in chapters if find_fences(chapter.body)}
    unloaded = {chapter_id for lang, chapter_id in manual.unloaded if lang == manual.default_language}
    return check_quizzes(loaded, items, charts, root, unloaded) + check_reserved_ids(loaded)


def _placeholders(item: LoadedCourse) -> list[Diagnostic]:
    """Placeholders left from `cloudpeds new course` (【待填写】 / [TO FILL IN]): warnings, errors with --strict."""
    from ..scaffold import PLACEHOLDER

    found: list[Diagnostic] = []
    stack: list[tuple[FieldPath, object]] = [((), item.course.model_dump())]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*path, key), child) for key, child in value.items())
        elif isinstance(value, list | tuple):
            stack.extend(((*path, index), child) for index, child in enumerate(value))
        elif isinstance(value, str) and any(mark in value for mark in PLACEHOLDER.values()):
            found.append(warning(item.path, *item.where(path), format_path(path), "a placeholder is left in this text",
                                 "write the real text; `cloudpeds check --strict` and the build refuse placeholders"))
    return sorted(found)


def _manual_items(manual: Manual) -> dict[str, str]:
    """Item id → chapter id, over the default language (ids are shared between languages)."""
    found: dict[str, str] = {}
    for chapter in manual.chapters.get(manual.default_language, {}).values():
        for kind in ("danger_signs", "referrals", "recommendations"):
            for entry in getattr(chapter.meta, kind):
                found[entry.id] = chapter.id
    return found


def _check_unique(loaded: list[LoadedCourse]) -> list[Diagnostic]:
    found, seen = [], {}
    for item in loaded:
        for index, lesson in enumerate(item.course.lessons):
            path = ("lessons", index, "id")
            if lesson.id in seen:
                other, line = seen[lesson.id]
                found.append(error(item.path, *item.where(path), format_path(path),
                                   f"lesson id {lesson.id!r} is already used at {other}:{line}",
                                   "lesson ids must be unique across all courses"))
            else:
                seen[lesson.id] = (item.path, item.where(path)[0])
    return found


def _check_lesson(item: LoadedCourse, index: int, lesson: Lesson, manual: Manual, items: dict[str, str],
                  root: Path, probe: Probe | None) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    base: FieldPath = ("lessons", index)

    def at(path: FieldPath, message: str, hint: str = "", *, severity=error) -> None:
        found.append(severity(item.path, *item.where(base + path), format_path(base + path), message, hint))

    chapters = set(manual.chapters.get(manual.default_language, {}))
    # A chapter that did not load is reported in its own file; what links to it is not an error of its own.
    unloaded = {chapter_id for lang, chapter_id in manual.unloaded if lang == manual.default_language}
    items = {**items, **{item: "" for item in [*lesson.teaches.items, *(m.item or "" for m in lesson.markers)]
                         if any(item.startswith(f"{chapter_id}-") for chapter_id in unloaded)}}
    chapters |= unloaded
    for number, chapter_id in enumerate(lesson.teaches.chapters):
        if chapter_id not in chapters:
            at(("teaches", "chapters", number), f"there is no chapter {chapter_id!r}",
               "teaches.chapters lists chapter ids")
    for number, item_id in enumerate(lesson.teaches.items):
        if item_id not in items:
            at(("teaches", "items", number), f"there is no manual item {item_id!r}",
               "list danger-sign, referral or recommendation ids")
    for number, marker in enumerate(lesson.markers):
        if marker.item and marker.item not in items:
            at(("markers", number, "item"), f"there is no manual item {marker.item!r}",
               "a marker may name a danger-sign, referral or recommendation id")

    source = _inside(root, lesson.source)
    if source is None:
        at(("source",), f"{lesson.source!r} is outside the project", "keep source videos inside the project folder")
        return found
    if source.is_dir():
        at(("source",), f"{lesson.source!r} is a folder, not a video file", "give the path of the video file itself")
        return found
    if not source.is_file():
        at(("source",), f"the source video {lesson.source!r} does not exist",
           "check the path (relative to the project folder); run `make site` to generate the sample videos")
        return found
    if source.stat().st_size == 0:
        at(("source",), f"the source video {lesson.source!r} is empty (0 bytes)", "copy the real video file again")
        return found
    item.sources[lesson.id] = source
    duration = None
    if probe is not None:
        try:
            info = probe(source)
        except ValueError as exc:
            at(("source",), f"cannot read the source video {lesson.source!r}: {exc}",
               "re-export the video (H.264/AAC MP4 works everywhere)")
            return found
        if not info.has_video:
            at(("source",), f"{lesson.source!r} has no video stream (audio only)", "use a video file")
            return found
        duration = info.duration
        item.durations[lesson.id] = duration
        for number, marker in enumerate(lesson.markers):
            if marker.at >= duration:
                at(("markers", number, "at"), f"the marker at {marker.at:g} s is past the end of the video "
                   f"({duration:.1f} s)", "fix the time or the video")

    for lang, caption_path in lesson.captions.items():
        captions = _inside(root, caption_path)
        if captions is None or not captions.is_file():
            at(("captions", lang), f"the captions file {caption_path!r} does not exist inside the project",
               "write a WebVTT file and give its path relative to the project")
            continue
        shown = display_path(captions, root)
        try:
            text = read_source(captions)
        except (SourceTextError, OSError) as exc:
            where = (exc.line, exc.col) if isinstance(exc, SourceTextError) else (1, 1)
            found.append(error(shown, *where, "", getattr(exc, "message", None) or f"cannot read the file: {exc}",
                               getattr(exc, "hint", "")))
            continue
        if control := find_control(text):
            found.append(error(shown, control[0], control[1], "",
                               f"the text contains the control character {control[2]}, which is not allowed",
                               CONTROL_HINT))
            continue
        cues, problems = parse_vtt(text)
        for problem in problems:
            found.append(error(shown, problem.line, 1, "", problem.message, problem.hint))
        if duration is not None:
            for cue in cues:
                if cue.start >= duration:
                    found.append(warning(shown, cue.line, 1, "",
                                         f"this cue starts after the video ends ({duration:.1f} s)", "fix the timing"))
                    break
        item.captions[(lesson.id, lang)] = cues
    return found


def _inside(root: Path, relative: str) -> Path | None:
    path = (root / relative).resolve()
    return path if path.is_relative_to(root.resolve()) else None
