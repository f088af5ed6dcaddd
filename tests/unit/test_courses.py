"""Courses: WebVTT captions, course metadata validation, pages (no ffmpeg needed here)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cloudpeds.courses.loader import load_courses
from cloudpeds.courses.pages import CourseRenderer, LessonMedia, clock
from cloudpeds.courses.vtt import parse_vtt, transcript
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
    captions: {zh: captions/one.zh.vtt}
    markers:
      - {at: "0:00", title: {zh: 开始, en: Start}}
      - {at: "0:05", title: {zh: 危险征象, en: Danger signs}, item: fever-ds-young-infant}
    teaches: {chapters: [fever], items: [fever-rec-measure]}
"""
VTT = "WEBVTT\n\n1\n00:00.000 --> 00:05.000\n先查危险征象。\n\n2\n00:05.000 --> 00:09.500\n再<b>测体温</b>。\n"


def test_vtt_cues_and_transcript():
    cues, problems = parse_vtt(VTT)
    assert problems == []
    assert [(c.start, c.end, c.text, c.line) for c in cues] == [(0.0, 5.0, "先查危险征象。", 4),
                                                                (5.0, 9.5, "再测体温。", 8)]
    assert transcript(cues) == [(0.0, "先查危险征象。"), (5.0, "再测体温。")]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("1\n00:00.000 --> 00:05.000\nx\n", 1, "starts with the line WEBVTT"),
    ("WEBVTT\n\n00:00.000 --> 0:5\nx\n", 3, "cannot read the cue timing"),
    ("WEBVTT\n\n00:05.000 --> 00:01.000\nx\n", 3, "ends before it starts"),
    ("WEBVTT\n\n00:05.000 --> 00:06.000\nx\n\n00:01.000 --> 00:02.000\ny\n", 6, "in time order"),
    ("WEBVTT\n", 1, "no cues"),
    ("WEBVTT\n\n00:00.000 --> 00:01.000\nx\n\n00:01.000 -> 00:02.000\ny\n", 6, "has no -->"),
    ("WEBVTT\n\n00:00:01,000 —> 00:00:02,000\ny\n", 3, "has no -->"),
])
def test_malformed_vtt(text, line, message):
    _, problems = parse_vtt(text)
    assert problems and problems[0].line == line and message in problems[0].message


@pytest.fixture
def course_project(project: Path) -> Path:
    (project / "courses").mkdir()
    (project / "captions").mkdir()
    (project / "media").mkdir()
    (project / "courses" / "basics.yml").write_text(COURSE, encoding="utf-8")
    (project / "captions" / "one.zh.vtt").write_text(VTT, encoding="utf-8")
    (project / "media" / "one.mp4").write_bytes(b"not checked without a probe")
    return project


def load(project: Path):
    manual, _ = check(project / "manual", root=project, today=dt.date(2026, 11, 25))
    return manual, *load_courses(project / "courses", manual, root=project)


def test_valid_course(course_project):
    _, courses, diagnostics = load(course_project)
    assert diagnostics == []
    assert courses[0].course.lessons[0].markers[1].at == 5.0
    assert [c.text for c in courses[0].captions[("basics-1", "zh")]] == ["先查危险征象。", "再测体温。"]


@pytest.mark.parametrize(("old", "new", "field", "message"), [
    ("level: introductory", "level: expert", "level", "'expert' is not allowed"),
    ("    source: media/one.mp4\n", "", "lessons[0]", "`source` is missing"),
    ("source: media/one.mp4", "source: ../../etc/passwd", "lessons[0].source", "outside the project"),
    ("source: media/one.mp4", "source: media/two.mp4", "lessons[0].source", "does not exist"),
    ("items: [fever-rec-measure]", "items: [fever-rec-nope]", "lessons[0].teaches.items[0]", "no manual item"),
    ("chapters: [fever]", "chapters: [cough]", "lessons[0].teaches.chapters[0]", "no chapter 'cough'"),
    ('{at: "0:05"', '{at: "5 seconds"', "lessons[0].markers[1].at", "is not a time"),
    ("item: fever-ds-young-infant", "item: fever-ds-old", "lessons[0].markers[1].item", "no manual item"),
])
def test_bad_course_input_names_file_and_line(course_project, old, new, field, message):
    path = course_project / "courses" / "basics.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _, _, diagnostics = load(course_project)
    found = [d for d in diagnostics if d.field == field and message in d.message]
    assert found, [d.format() for d in diagnostics]
    assert found[0].path == "courses/basics.yml" and found[0].line > 1


def test_zero_byte_source(course_project):
    (course_project / "media" / "one.mp4").write_bytes(b"")
    _, _, diagnostics = load(course_project)
    assert any("is empty (0 bytes)" in d.message for d in diagnostics)


def test_malformed_captions_point_into_the_vtt(course_project):
    (course_project / "captions" / "one.zh.vtt").write_text("WEBVTT\n\n00:09.000 --> 00:01.000\nx\n", encoding="utf-8")
    _, _, diagnostics = load(course_project)
    assert [(d.path, d.line) for d in diagnostics] == [("captions/one.zh.vtt", 3)]


def test_lesson_page(course_project):
    _, courses, _ = load(course_project)
    media = {"basics-1": LessonMedia("media/k/master.m3u8", "media/k/low.mp4", "media/k/poster.jpg", 9.5,
                                     {"zh": "media/captions/basics-1.zh.vtt"})}
    renderer = CourseRenderer(courses, Layout(), media, {"zh": {"fever": "发热"}, "en": {"fever": "Fever"}},
                              {"fever-rec-measure": "fever", "fever-ds-young-infant": "fever"})
    page = next(p for p in renderer.pages() if p.doc == "courses/basics/basics-1.md")
    html = page.markdown
    assert 'data-hls="../../../media/k/master.m3u8"' in html and "playsinline" in html and "autoplay" not in html
    assert '<track kind="captions" srclang="zh"' in html
    assert 'data-at="5.0"' in html and "0:05" in html
    assert 'href="../../../manual/fever/#fever-rec-measure"' in html
    assert "先查危险征象。" in html  # the transcript
    assert renderer.chapter_block("zh", "fever", "manual/fever.md").count("basics-1") >= 1
    assert clock(3725) == "1:02:05"
