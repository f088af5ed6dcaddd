"""Quizzes: the model, every problem with its file and line, the outdated flags and warnings, and the
pages (lesson practice, course quiz page with the completion record). No ffmpeg, no browser here."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from cloudpeds.courses.loader import load_courses
from cloudpeds.courses.pages import CourseRenderer, QuizContext
from cloudpeds.courses.quiz import answer_key, outdated_questions, outdated_warnings, questions_of
from cloudpeds.manual.pages import Layout
from cloudpeds.manual.validate import check

COURSE = """\
id: basics
title: {zh: 发热基础, en: Fever basics}
description: {zh: 说明, en: About}
lecturers:
  - name: {zh: 讲者, en: Lecturer}
audience: {zh: 社区医生, en: Community doctors}
level: introductory
lessons:
  - id: basics-1
    title: {zh: 第一课, en: Lesson one}
    source: media/one.mp4
    teaches: {chapters: [fever], items: [fever-rec-measure]}
    quiz:
      questions:
        - id: bq-young
          prompt: {zh: 2 月龄发热 38 °C 怎么办？, en: A 2-month-old with 38 °C?}
          choices:
            - {id: a, text: {zh: 居家, en: Home}}
            - {id: b, text: {zh: 紧急转诊, en: Emergency referral}, correct: true}
          explanation: {zh: 红色征象。, en: A red sign.}
          tests: [fever-ds-young-infant, fever-ref-emergency]
quiz:
  pass_mark: 75
  questions:
    - id: bq-case
      kind: case
      case: {zh: 1 岁，发热 1 天。, en: "One year old, fever for a day."}
      chart: fever
      image: {src: media/rash.png, alt: {zh: 皮疹, en: A rash}}
      prompt: {zh: 按流程图判断, en: Walk the chart}
      choices:
        - {id: a, text: {zh: 测体温, en: Measure}, correct: true}
        - {id: b, text: {zh: 不测, en: Do not}}
        - {id: c, text: {zh: 腋温, en: Axilla}, correct: true}
      explanation: {zh: 见推荐。, en: See the recommendation.}
      tests: [fever-rec-measure]
"""
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")


@pytest.fixture
def quiz_project(project: Path) -> Path:
    (project / "courses").mkdir()
    (project / "media").mkdir()
    (project / "courses" / "basics.yml").write_text(COURSE, encoding="utf-8")
    (project / "media" / "one.mp4").write_bytes(b"not checked without a probe")
    (project / "media" / "rash.png").write_bytes(PNG)
    return project


def load(project: Path):
    manual, _ = check(project / "manual", root=project, today=dt.date(2026, 11, 25))
    return manual, *load_courses(project / "courses", manual, root=project)


def test_a_valid_quiz(quiz_project):
    _, courses, diagnostics = load(quiz_project)
    assert diagnostics == []
    placed = list(questions_of(courses[0]))
    assert [(p.question.id, p.lesson) for p in placed] == [("bq-young", "basics-1"), ("bq-case", None)]
    assert answer_key([p.question for p in placed]) == {"bq-young": ["b"], "bq-case": ["a", "c"]}
    assert placed[1].question.input_type == "checkbox" and placed[0].question.input_type == "radio"
    assert courses[0].course.quiz.pass_mark == 75


def edit(project: Path, *changes: tuple[str, str]) -> None:
    path = project / "courses" / "basics.yml"
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def test_every_problem_at_once_with_its_line(quiz_project):
    edit(quiz_project,
         ("{id: a, text: {zh: 居家, en: Home}}", "{id: a, text: {zh: 居家, en: Home}, correct: true}"),
         ("tests: [fever-ds-young-infant, fever-ref-emergency]", "tests: [fever-ds-young-infant, fever-ds-nope]"),
         ("    - id: bq-case", "    - id: bq-young"),
         ("chart: fever", "chart: cough"),
         ("src: media/rash.png", "src: media/missing.png"),
         ("        - {id: b, text: {zh: 不测, en: Do not}}", "        - {id: a, text: {zh: 不测, en: Do not}}"))
    _, _, diagnostics = load(quiz_project)
    text = (quiz_project / "courses" / "basics.yml").read_text(encoding="utf-8").splitlines()
    found = {(d.field, d.message.split(",")[0].split(" at ")[0]) for d in diagnostics}
    assert found == {
        ("lessons[0].quiz.questions[0].choices", "a single-choice question needs exactly one correct choice"),
        ("lessons[0].quiz.questions[0].tests[1]", "there is no manual item 'fever-ds-nope'"),
        ("quiz.questions[0].id", "question id 'bq-young' is already used"),
        ("quiz.questions[0].chart", "the chapter 'cough' has no flowchart to walk"),
        ("quiz.questions[0].image.src", "the picture 'media/missing.png' does not exist inside the project"),
        ("quiz.questions[0].choices[1].id", "choice id 'a' is used twice in this question"),
    }, [d.format() for d in diagnostics]
    for d in diagnostics:
        assert d.path == "courses/basics.yml" and d.severity.value == "error"
        key = d.field.rsplit(".", 1)[-1].split("[")[0]
        assert key in text[d.line - 1] or key == "choices", (d.format(), text[d.line - 1])


@pytest.mark.parametrize(("changes", "field", "message"), [
    ((("kind: case\n", "kind: multiple\n"),), "quiz.questions[0].case", "belongs to a case question"),
    ((('      case: {zh: 1 岁，发热 1 天。, en: "One year old, fever for a day."}\n', ""),),
     "quiz.questions[0].kind", "needs its vignette"),
    ((("src: media/rash.png", "src: media/one.mp4"),), "quiz.questions[0].image.src", "not a PNG, JPEG or WebP"),
    ((("src: media/rash.png", "src: ../../etc/passwd"),), "quiz.questions[0].image.src", "inside the project"),
    ((("        - {id: a, text: {zh: 测体温, en: Measure}, correct: true}",
       "        - {id: a, text: {zh: 测体温, en: Measure}}"),
      ("{id: c, text: {zh: 腋温, en: Axilla}, correct: true}", "{id: c, text: {zh: 腋温, en: Axilla}}")),
     "quiz.questions[0].choices", "no choice is marked correct"),
    ((("kind: case\n", "kind: essay\n"),), "quiz.questions[0].kind", "'essay' is not allowed"),
    ((("      tests: [fever-rec-measure]\n", ""),), "quiz.questions[0]", "`tests` is missing"),
    ((("  pass_mark: 75", "  pass_mark: 120"),), "quiz.pass_mark", "100"),
])
def test_bad_question(quiz_project, changes, field, message):
    edit(quiz_project, *changes)
    _, _, diagnostics = load(quiz_project)
    found = [d for d in diagnostics if d.field == field and message in d.message]
    assert found, [d.format() for d in diagnostics]
    assert found[0].path == "courses/basics.yml" and found[0].line > 1


def test_questions_whose_item_changed_may_be_outdated(quiz_project):
    _, courses, _ = load(quiz_project)
    changed = {"fever-ref-emergency": "changed", "fever-rec-measure": "added"}
    assert outdated_questions(courses, changed) == {"bq-young": ["fever-ref-emergency"]}
    [warning] = outdated_warnings(courses, changed)
    assert warning.severity.value == "warning" and warning.field == "lessons[0].quiz.questions[0].tests[1]"
    assert "'fever-ref-emergency' changed in this edition; question 'bq-young' may be out of date" in warning.message
    line = (quiz_project / "courses" / "basics.yml").read_text(encoding="utf-8").splitlines()[warning.line - 1]
    assert "fever-ref-emergency" in line


def renderer_for(courses, outdated=None) -> CourseRenderer:
    renderer = CourseRenderer(courses, Layout(), {}, {"zh": {"fever": "发热"}, "en": {"fever": "Fever"}},
                              {"fever-rec-measure": "fever", "fever-ds-young-infant": "fever",
                               "fever-ref-emergency": "fever"})
    renderer.quiz = QuizContext(outdated=outdated or {}, images={"bq-case": "media/quiz/abc.png"},
                                charts={"zh": {"fever": "fc-12345678"}, "en": {"fever": "fc-87654321"}})
    return renderer


def test_lesson_and_quiz_pages(quiz_project):
    _, courses, _ = load(quiz_project)
    pages = {p.doc: p for p in renderer_for(courses, {"bq-young": ["fever-ref-emergency"]}).pages()}
    lesson = pages["en/courses/basics/basics-1.md"].markdown
    assert 'id="quiz"' in lesson and 'data-mode="practice"' in lesson and 'name="bq-young"' in lesson
    assert 'data-cp-quiz-js="../../../../assets/quiz.js"' in lesson
    assert "<script src" not in lesson.split('id="quiz"')[1].split("</form>")[0]  # quiz.js loads on first use
    assert "May be outdated" in lesson and lesson.count("<!--cp-trusted:") == 1  # one block, markers not nested
    data = json.loads(re.search(r'class="cp-quiz-data">(.*?)</script>', lesson).group(1))
    assert data["key"] == {"bq-young": ["b"]} and data["mode"] == "practice" and data["outdated"] == ["bq-young"]
    quiz = pages["courses/basics/quiz.md"].markdown
    assert quiz.startswith("# 课程测验：发热基础")
    assert 'data-mode="attempt"' in quiz and "bq-young" in quiz and "bq-case" in quiz
    assert 'type="checkbox" name="bq-case"' in quiz and 'src="../../../media/quiz/abc.png" alt="皮疹"' in quiz
    assert 'href="../../../manual/fever/#fc-12345678"' in quiz  # walk the chart
    assert "自行填报" in quiz and "没有任何服务器签发或核验" in quiz
    record = json.loads(re.search(r'class="cp-record-data">(.*?)</script>', quiz).group(1))
    assert record["activity"] == "../" and record["home"] == "../../../" and record["lessons"] == ["basics-1"]
    assert "75%" in quiz and 'src="../../../assets/quiz.js"' in quiz
    course = pages["en/courses/basics/index.md"].markdown
    assert 'href="quiz/"' in course and "2 questions; pass mark 75%." in course


def test_ids_that_are_the_address_of_a_generated_page(quiz_project):
    edit(quiz_project, ("  - id: basics-1", "  - id: quiz"))
    (quiz_project / "courses" / "basics.yml").rename(quiz_project / "courses" / "saved.yml")
    path = quiz_project / "courses" / "saved.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: basics\n", "id: saved\n", 1), encoding="utf-8")
    _, _, diagnostics = load(quiz_project)
    assert {(d.field, d.line) for d in diagnostics} == {("id", 1), ("lessons[0].id", 9)}, [
        d.format() for d in diagnostics]
    assert all("is the address of the" in d.message for d in diagnostics)
