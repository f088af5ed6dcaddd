"""cloudpeds new chapter|course: every required field, commented; what is left to fill in is decided."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from cloudpeds.editions import snapshot
from cloudpeds.manual.loader import load_manual
from cloudpeds.manual.validate import check
from cloudpeds.scaffold import ScaffoldError, new_chapter, new_course, unfinished

TODAY = dt.date(2026, 11, 25)


def test_a_new_chapter_passes_the_check_as_a_draft_with_placeholders(project):
    written = new_chapter(project / "manual", "sore-throat", groups=["general"], today=TODAY)
    assert [p.name for p in written.paths] == ["sore-throat.zh.md", "sore-throat.en.md"]
    manual, diagnostics = check(project / "manual", root=project, today=TODAY)
    # Issue 18 §5: the placeholders are warnings (one per text), and errors under --strict.
    assert diagnostics and all(d.severity.value == "warning" and "placeholder" in d.message for d in diagnostics)
    assert {d.path for d in diagnostics} == {f"manual/chapters/{p.name}" for p in written.paths}
    strict = check(project / "manual", root=project, today=TODAY, strict=True)[1]
    assert len(strict) == len(diagnostics) and all(d.severity.value == "error" for d in strict)
    chapter = manual.chapter("zh", "sore-throat")
    assert chapter.meta.status == "draft" and chapter.meta.title.startswith("【待填写】")
    assert manual.chapter("en", "sore-throat").meta.title.startswith("[TO FILL IN]")
    text = written.paths[0].read_text(encoding="utf-8")
    # Every required field is there with a comment.
    for field in ("id", "title", "group", "status", "age_range", "age_bands", "danger_signs", "referrals",
                  "authors", "last_reviewed", "next_review_due"):
        line = next(line for line in text.splitlines() if line.startswith(f"{field}:"))
        assert "#" in line, line


def test_publishing_is_refused_while_a_chapter_is_unfinished(project):
    new_chapter(project / "manual", "sore-throat", groups=["general"], today=TODAY)
    taken = snapshot.take(load_manual(project / "manual", root=project).manual, None)
    assert unfinished(taken) == ["zh/sore-throat: status is draft", "en/sore-throat: status is draft"]
    for lang in ("zh", "en"):
        path = project / "manual" / "chapters" / f"sore-throat.{lang}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: trial"), encoding="utf-8")
    taken = snapshot.take(load_manual(project / "manual", root=project).manual, None)
    assert unfinished(taken) == ["zh/sore-throat: a placeholder (【待填写】 / [TO FILL IN]) is left",
                                 "en/sore-throat: a placeholder (【待填写】 / [TO FILL IN]) is left"]


def test_existing_files_and_bad_ids_are_refused(project):
    new_chapter(project / "manual", "sore-throat", today=TODAY)
    before = (project / "manual" / "chapters" / "sore-throat.zh.md").read_text(encoding="utf-8")
    with pytest.raises(ScaffoldError, match="already exists; nothing was written"):
        new_chapter(project / "manual", "sore-throat", today=TODAY)
    assert (project / "manual" / "chapters" / "sore-throat.zh.md").read_text(encoding="utf-8") == before
    with pytest.raises(ScaffoldError, match="not a valid id"):
        new_course(project / "courses", "Sore Throat")


def test_a_new_course_fails_the_check_only_on_its_video(project):
    result = subprocess.run([sys.executable, "-m", "cloudpeds.cli", "new", "course", "throat", "--project",
                             str(project)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "Wrote courses/throat.yml" in result.stdout
    result = subprocess.run([sys.executable, "-m", "cloudpeds.cli", "check", "--project", str(project),
                             "--today", TODAY.isoformat(), "--format", "json"], capture_output=True, text=True,
                            check=False)
    import json

    problems = json.loads(result.stdout)
    assert result.returncode == 1
    errors = [p for p in problems if p["severity"] == "error"]
    assert [(p["path"], p["field"]) for p in errors] == [("courses/throat.yml", "lessons[0].source")]
    assert "courses/media/throat-1.mp4" in errors[0]["message"]
    # Issue 18 §5: each placeholder is a warning (an error with --strict).
    warnings = [p for p in problems if p["severity"] == "warning"]
    assert warnings and all("placeholder" in p["message"] and p["path"] == "courses/throat.yml" for p in warnings)


def test_publish_names_the_line_of_everything_not_ready(project):
    from cloudpeds.editions.readiness import not_ready
    from cloudpeds.translate import translate_chapter

    assert not_ready(project / "manual", project) == []
    new_chapter(project / "manual", "sore-throat", groups=["general"])
    problems = not_ready(project / "manual", project)
    assert "manual/chapters/sore-throat.zh.md:8: status is draft (set trial or current when it is finished)" in problems
    assert any(p.startswith("manual/chapters/sore-throat.en.md:5: a placeholder [TO FILL IN]") for p in problems)

    zh = project / "manual" / "chapters" / "sore-throat.zh.md"
    zh.write_text(zh.read_text(encoding="utf-8").replace("【待填写】", "").replace("status: draft", "status: trial"),
                  encoding="utf-8")
    translate_chapter(project / "manual" / "chapters", "sore-throat")
    problems = not_ready(project / "manual", project)
    assert problems and all("sore-throat.en.md" in p and "translation pending" in p for p in problems), problems
