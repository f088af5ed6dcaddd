"""Quizzes of a course and its lessons: the model (``quiz:`` in courses/<id>.yml), the checks with file:line,
the "may be outdated" flags of questions whose manual item changed in this edition, and the answer key the
browser grades with (``theme/assets/quiz.js``). A quiz is self-assessment: the key is in the page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, error, warning
from ..yamlpos import FieldPath, format_path
from .model import DEFAULT_PASS_MARK, IMAGE_SUFFIXES, Question

if TYPE_CHECKING:
    from .loader import LoadedCourse

@dataclass(frozen=True)
class PlacedQuestion:
    """A question with where it is written (for messages) and whose quiz it belongs to."""

    question: Question
    path: FieldPath  # inside the course file
    lesson: str | None  # the lesson id, or None for the course's own questions


def questions_of(loaded: LoadedCourse) -> Iterator[PlacedQuestion]:
    """Every question of a course in the order a learner meets them: lesson by lesson, then the course's."""
    course = loaded.course
    for index, lesson in enumerate(course.lessons):
        if lesson.quiz:
            for number, question in enumerate(lesson.quiz.questions):
                yield PlacedQuestion(question, ("lessons", index, "quiz", "questions", number), lesson.id)
    if course.quiz:
        for number, question in enumerate(course.quiz.questions):
            yield PlacedQuestion(question, ("quiz", "questions", number), None)


def pass_mark(loaded: LoadedCourse) -> int:
    return loaded.course.quiz.pass_mark if loaded.course.quiz else DEFAULT_PASS_MARK


def check_quizzes(courses: list[LoadedCourse], items: dict[str, str], charts: set[str], root: Path,
                  unloaded: set[str] = frozenset()) -> list[Diagnostic]:
    """Every problem of every quiz: ids unique across the courses, the right number of correct choices, a
    case's vignette, pictures inside the project, charts that exist, and tested items in the manual.
    ``items``: manual item id → chapter id; ``charts``: chapters with a flowchart; ``unloaded``: chapters
    that did not load (reported in their own file)."""
    found: list[Diagnostic] = []
    seen: dict[str, tuple[str, int]] = {}
    for loaded in courses:
        placed = list(questions_of(loaded))
        if loaded.course.quiz and not placed:
            line, col = loaded.where(("quiz",))
            found.append(error(loaded.path, line, col, "quiz", "the course quiz has no questions",
                               "add questions under `quiz: questions:` or to a lesson's `quiz:`"))
        for entry in placed:
            found += _check_question(loaded, entry, items, charts, root, unloaded, seen)
    return found


#: Page names the courses' pages use: courses/saved/ (lessons saved for offline), courses/<id>/quiz/.
RESERVED_COURSE_IDS = ("saved",)
RESERVED_LESSON_IDS = ("quiz",)


def check_reserved_ids(courses: list[LoadedCourse]) -> list[Diagnostic]:
    """A course called ``saved`` or a lesson called ``quiz`` would share its address with a generated page."""
    found: list[Diagnostic] = []
    for loaded in courses:
        if loaded.course.id in RESERVED_COURSE_IDS:
            found.append(error(loaded.path, *loaded.where(("id",)), "id",
                               f"the course id {loaded.course.id!r} is the address of the saved-lessons page",
                               "choose another course id (and file name)"))
        for index, lesson in enumerate(loaded.course.lessons):
            if lesson.id in RESERVED_LESSON_IDS:
                path = ("lessons", index, "id")
                found.append(error(loaded.path, *loaded.where(path), format_path(path),
                                   f"the lesson id {lesson.id!r} is the address of the course's quiz page",
                                   "choose another lesson id"))
    return found


def _check_question(loaded: LoadedCourse, entry: PlacedQuestion, items: dict[str, str], charts: set[str],
                    root: Path, unloaded: set[str], seen: dict[str, tuple[str, int]]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    question = entry.question

    def at(path: FieldPath, message: str, hint: str) -> None:
        full = entry.path + path
        found.append(error(loaded.path, *loaded.where(full), format_path(full), message, hint))

    line = loaded.where((*entry.path, "id"))[0]
    if question.id in seen:
        other, other_line = seen[question.id]
        at(("id",), f"question id {question.id!r} is already used at {other}:{other_line}",
           "question ids must be unique across all courses (learners' answers are kept by id)")
    else:
        seen[question.id] = (loaded.path, line)
    choice_ids: set[str] = set()
    for number, choice in enumerate(question.choices):
        if choice.id in choice_ids:
            at(("choices", number, "id"), f"choice id {choice.id!r} is used twice in this question",
               "give each choice its own id (a, b, c …)")
        choice_ids.add(choice.id)
    correct = len(question.answer)
    if question.kind == "single" and correct != 1:
        at(("choices",), f"a single-choice question needs exactly one correct choice, this one has {correct}",
           "mark one choice `correct: true`, or make it `kind: multiple`")
    elif correct == 0:
        at(("choices",), "no choice is marked correct", "mark the right choice(s) `correct: true`")
    if question.kind == "case" and question.case is None:
        at(("kind",), "a case question needs its vignette in `case:`",
           "describe the child (age, history, findings) in `case: {zh: …, en: …}`")
    if question.kind != "case":
        for field in ("case", "image", "chart"):
            if getattr(question, field) is not None:
                at((field,), f"`{field}:` belongs to a case question", "write `kind: case`, or remove it")
    if question.chart is not None and question.chart not in charts and question.chart not in unloaded:
        at(("chart",), f"the chapter {question.chart!r} has no flowchart to walk",
           "name a chapter id whose page has a ```flowchart")
    if question.image is not None:
        image = (root / question.image.src).resolve()
        if not image.is_relative_to(root.resolve()) or not image.is_file():
            at(("image", "src"), f"the picture {question.image.src!r} does not exist inside the project",
               "give the path of a PNG, JPEG or WebP file relative to the project folder")
        elif image.suffix.lower() not in IMAGE_SUFFIXES:
            at(("image", "src"), f"the picture {question.image.src!r} is not a PNG, JPEG or WebP file",
               "save the picture as PNG, JPEG or WebP")
    for number, item_id in enumerate(question.tests):
        if item_id not in items and not any(item_id.startswith(f"{chapter}-") for chapter in unloaded):
            at(("tests", number), f"there is no manual item {item_id!r}",
               "list danger-sign, referral or recommendation ids")
    return found


def outdated_questions(courses: list[LoadedCourse], changed: dict[str, str]) -> dict[str, list[str]]:
    """Question id → the items it tests that changed in this edition (``changed``: item id → added | changed,
    as for the lessons' "may be outdated" note)."""
    out: dict[str, list[str]] = {}
    for loaded in courses:
        for entry in questions_of(loaded):
            found = [item for item in entry.question.tests if changed.get(item) == "changed"]
            if found:
                out[entry.question.id] = found
    return out


def outdated_warnings(courses: list[LoadedCourse], changed: dict[str, str]) -> list[Diagnostic]:
    """For `cloudpeds check`: a warning at each question whose tested item changed in this edition."""
    found: list[Diagnostic] = []
    for loaded in courses:
        for entry in questions_of(loaded):
            for number, item_id in enumerate(entry.question.tests):
                if changed.get(item_id) == "changed":
                    path = (*entry.path, "tests", number)
                    found.append(warning(loaded.path, *loaded.where(path), format_path(path),
                                         f"the manual item {item_id!r} changed in this edition; "
                                         f"question {entry.question.id!r} may be out of date",
                                         "read the item again and correct the question, its answer or explanation"))
    return found


def answer_key(questions: list[Question]) -> dict[str, list[str]]:
    """Question id → the correct choice ids, for the browser."""
    return {question.id: question.answer for question in questions}
