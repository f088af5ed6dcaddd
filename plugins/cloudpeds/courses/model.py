"""A course's metadata (courses/<id>.yml), validated with pydantic like the chapters."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from ..manual.model import ID_PATTERN, Id, PlainText, Strict

Level = Literal["introductory", "intermediate", "advanced"]
_TIMESTAMP = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d)(?:\.(\d{1,3}))?$")


def _seconds(value: object) -> object:
    """``"1:05"``, ``"0:01:05.5"`` or a number of seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    match = _TIMESTAMP.match(str(value).strip())
    if not match:
        raise ValueError(f"{value!r} is not a time; write M:SS or H:MM:SS (e.g. 2:30)")
    hours, minutes, seconds, fraction = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + float(f"0.{fraction or 0}")


Seconds = Annotated[float, BeforeValidator(_seconds), Field(ge=0)]


class Text(Strict):
    """Words in both languages: ``{zh: …, en: …}``."""

    zh: PlainText
    en: PlainText | None = None

    def get(self, lang: str) -> str:
        return getattr(self, lang, None) or self.zh


class Lecturer(Strict):
    name: Text
    affiliation: Text | None = None


class Credit(Strict):
    """Continuing medical education credit."""

    hours: float = Field(gt=0, le=100)
    category: Text


class Marker(Strict):
    """A chapter marker in a lesson video: tap to seek there."""

    at: Seconds
    title: Text
    item: Annotated[str, Field(pattern=ID_PATTERN)] | None = None


class Teaches(Strict):
    """The manual chapters and items (danger signs, referrals, recommendations) a lesson teaches."""

    chapters: list[Id] = Field(default_factory=list)
    items: list[Id] = Field(default_factory=list)


# -- quizzes (checked in cloudpeds.courses.quiz) ------------------------------------------------
QuestionKind = Literal["single", "multiple", "case"]
#: Pictures a case may show (raster only: an SVG can carry scripts).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
DEFAULT_PASS_MARK = 80


class Choice(Strict):
    """One answer to pick; ``correct: true`` on the right one(s)."""

    id: Id
    text: Text
    correct: bool = False


class CaseImage(Strict):
    """A picture of the case (a rash, a chart of the child's temperature), with its description."""

    src: str = Field(min_length=1)
    alt: Text


class Question(Strict):
    """single: one correct choice; multiple: one or more; case: a vignette (``case:``) with a picture
    (``image:``) or a walk through a chapter's flowchart (``chart:``), then one or more correct choices."""

    id: Id
    kind: QuestionKind = "single"
    case: Text | None = None
    image: CaseImage | None = None
    chart: Id | None = None
    prompt: Text
    choices: list[Choice] = Field(min_length=2)
    explanation: Text
    #: The manual items (danger signs, referrals, recommendations) the question tests.
    tests: list[Id] = Field(min_length=1)

    @property
    def answer(self) -> list[str]:
        return [choice.id for choice in self.choices if choice.correct]

    @property
    def input_type(self) -> str:
        return "radio" if self.kind == "single" or (self.kind == "case" and len(self.answer) == 1) else "checkbox"


class LessonQuiz(Strict):
    """Questions after a lesson (practice: answers are checked, nothing is scored)."""

    questions: list[Question] = Field(min_length=1)


class CourseQuiz(Strict):
    """The course's quiz: its own questions plus every lesson's; passed at ``pass_mark`` per cent."""

    pass_mark: int = Field(default=DEFAULT_PASS_MARK, ge=1, le=100)
    questions: list[Question] = Field(default_factory=list)


class Lesson(Strict):
    id: Id
    title: Text
    source: str = Field(min_length=1)
    captions: dict[Literal["zh", "en"], str] = Field(default_factory=dict)
    markers: list[Marker] = Field(default_factory=list)
    teaches: Teaches = Teaches()
    quiz: LessonQuiz | None = None

    @model_validator(mode="after")
    def _markers_in_order(self) -> Lesson:
        times = [marker.at for marker in self.markers]
        if times != sorted(times):
            raise ValueError("markers must be in time order")
        return self


class Course(Strict):
    id: Id
    title: Text
    description: Text
    lecturers: list[Lecturer] = Field(min_length=1)
    audience: Text
    level: Level
    cme: Credit | None = None
    order: int = 100
    lessons: list[Lesson] = Field(min_length=1)
    quiz: CourseQuiz | None = None
