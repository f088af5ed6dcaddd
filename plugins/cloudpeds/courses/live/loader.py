"""Load and check the live sessions: times, stream hosts, links into the manual, and the recording (checked
by the courses' own lesson checks: a replay is a lesson)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from ...diagnostics import Diagnostic, display_path, error
from ...manual.loader import Manual, load_yaml_model
from ...yamlpos import FieldPath, Positions, format_path
from ..loader import LoadedCourse, Probe, _check_lesson, _manual_items, _placeholders
from ..model import Course, Lecturer, Lesson, Text
from .model import Session

#: The pseudo-course of the replays: its "course page" is the schedule (courses/live/).
REPLAY_COURSE = "live"


@dataclass
class LoadedSession:
    session: Session
    path: str
    positions: Positions
    #: The recording as a one-lesson course (its lesson id is the session id), when it has one that loaded.
    replay: LoadedCourse | None = None

    def where(self, path: FieldPath) -> tuple[int, int]:
        return self.positions.of(path)


class _ReplayPositions:
    """A session file's positions seen as a course's ``lessons[0]``: the lesson checks report at the
    session's own fields (``source`` is ``recording``, ``teaches`` is ``related``)."""

    def __init__(self, positions: Positions):
        self.positions = positions

    def of(self, path: FieldPath, *, key: bool = False) -> tuple[int, int]:
        return self.positions.of(session_field(path), key=key)


def session_field(path: FieldPath) -> FieldPath:
    """``lessons[0].source`` → ``recording``, ``lessons[0].teaches.items[2]`` → ``related.items[2]``."""
    if path[:2] == ("lessons", 0):
        path = path[2:]
    names = {"source": "recording", "teaches": "related"}
    return (names.get(path[0], path[0]), *path[1:]) if path else path


def replay_lesson(session: Session) -> Lesson:
    return Lesson.model_construct(id=session.id, title=session.title, source=session.recording or "",
                                  captions=dict(session.captions), markers=list(session.markers),
                                  teaches=session.related)


def replay_course(session: Session, lessons: list[Lesson] | None = None) -> Course:
    """The course a replay belongs to: "live sessions", whose page is the schedule."""
    return Course.model_construct(
        id=REPLAY_COURSE, title=Text(zh="直播课", en="Live sessions"),
        description=Text(zh="直播课", en="Live sessions"),
        lecturers=list(session.lecturers) or [Lecturer(name=Text(zh="—"))], audience=Text(zh="—"),
        level="introductory", cme=None, order=0, lessons=lessons or [replay_lesson(session)])


def stream_host_problem(url: str, allowed_hosts: list[str] | tuple[str, ...]) -> tuple[str, str] | None:
    """What is wrong with a stream URL (message, hint), None when it is an HLS playlist on an allowed host."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return (f"{url!r} is not a web address of a stream",
                "write the whole address of the HLS playlist, e.g. https://live.example-hospital.cn/peds/index.m3u8")
    if not parts.path.lower().endswith(".m3u8"):
        return (f"{url!r} is not an HLS playlist (its path does not end in .m3u8)",
                "give the address of the live or event playlist (.m3u8) of the streaming service")
    netloc = parts.netloc.rsplit("@", 1)[-1].lower()
    for entry in allowed_hosts:
        entry = entry.strip().lower().rstrip("/")
        if "://" in entry:
            allowed = urlsplit(entry)
            if (allowed.scheme, allowed.netloc) == (parts.scheme, netloc):
                return None
        elif entry in (netloc, parts.hostname):
            return None
    return (f"the stream's host {netloc!r} is not in allowed_hosts",
            "add it under `allowed_hosts:` of the cloudpeds/delivery plugin in mkdocs.yml (the pages may then "
            "load from it and the Content-Security-Policy allows it)")


def load_sessions(live_dir: Path, manual: Manual, *, root: Path, allowed_hosts: list[str] | tuple[str, ...] = (),
                  probe: Probe | None = None, lesson_ids: set[str] | frozenset[str] = frozenset(),
                  ) -> tuple[list[LoadedSession], list[Diagnostic]]:
    """Every session in ``live_dir`` and every problem, each with its file and line."""
    diagnostics: list[Diagnostic] = []
    loaded: list[LoadedSession] = []
    seen: dict[str, tuple[str, int]] = {}
    items = _manual_items(manual)
    for path in sorted(live_dir.glob("*.yml")) if live_dir.is_dir() else []:
        result = load_yaml_model(path, Session, root, diagnostics)
        if result is None:
            continue
        session, positions = result
        item = LoadedSession(session, display_path(path, root), positions)
        loaded.append(item)

        def at(field: FieldPath, message: str, hint: str = "", *, entry: LoadedSession = item,
               found: list[Diagnostic] = diagnostics) -> None:
            found.append(error(entry.path, *entry.where(field), format_path(field), message, hint))

        if session.id != path.stem:
            at(("id",), f"the id {session.id!r} differs from the file name {path.stem!r}",
               f"rename the file to {session.id}.yml or change the id")
        if session.id in seen:
            other, line = seen[session.id]
            at(("id",), f"session id {session.id!r} is already used at {other}:{line}", "session ids must be unique")
        elif session.id in lesson_ids or session.id == REPLAY_COURSE:
            at(("id",), f"the id {session.id!r} is already a lesson id (or the schedule's own name)",
               "a session's replay is a lesson: give the session an id no lesson uses")
        seen.setdefault(session.id, (item.path, item.where(("id",))[0]))
        if problem := stream_host_problem(session.stream, allowed_hosts):
            at(("stream",), *problem)
        if session.markers and not session.recording:
            at(("markers",), "markers need a recording", "add `recording:` (the replay's video) or remove the markers")
        if session.captions and not session.recording:
            at(("captions",), "captions need a recording", "add `recording:` (the replay's video) or remove them")
        diagnostics += _session_problems(item, manual, items, root, probe)
    return loaded, diagnostics


def _session_problems(item: LoadedSession, manual: Manual, items: dict[str, str], root: Path,
                      probe: Probe | None) -> list[Diagnostic]:
    """The lesson checks (related chapters and items; recording, captions, markers) at the session's fields."""
    session = item.session
    replay = LoadedCourse(replay_course(session), item.path, _ReplayPositions(item.positions))  # type: ignore[arg-type]
    lesson = replay_lesson(session)
    found = _check_lesson(replay, 0, lesson, manual, items, root, probe if session.recording else None) \
        if session.recording else _check_related(replay, lesson, manual, items)
    found += _placeholders(LoadedCourse(session, item.path, item.positions))  # type: ignore[arg-type]
    if session.recording and session.id in replay.sources:
        item.replay = replay
    return [replace(d, field=format_path(session_field(_parse_field(d.field)))) if d.field.startswith("lessons[0]")
            else d for d in found]


def _check_related(replay: LoadedCourse, lesson: Lesson, manual: Manual, items: dict[str, str]) -> list[Diagnostic]:
    """Without a recording only the links into the manual are checked (no source video to look for)."""
    found = _check_lesson(replay, 0, lesson.model_copy(update={"source": "", "captions": {}, "markers": []}),
                          manual, items, Path("/"), None)
    return [d for d in found if "teaches" in d.field]


def _parse_field(text: str) -> FieldPath:
    """``lessons[0].teaches.items[2]`` → ("lessons", 0, "teaches", "items", 2)."""
    parts: list[str | int] = []
    for piece in text.replace("]", "").split("."):
        name, *indexes = piece.split("[")
        if name:
            parts.append(name)
        parts += [int(index) for index in indexes]
    return tuple(parts)
