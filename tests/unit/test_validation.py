"""Each class of bad input gives a file:line diagnostic with a hint; the valid sample gives none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cloudpeds.diagnostics import Severity
from cloudpeds.manual.validate import check

TODAY = dt.date(2026, 11, 25)
ZH = "manual/chapters/fever.zh.md"


def run(project: Path, *, strict: bool = False):
    return check(project / "manual", root=project, today=TODAY, strict=strict)[1]


def edit(project: Path, old: str, new: str, *, lang: str = "zh") -> None:
    path = project / "manual" / "chapters" / f"fever.{lang}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(project: Path, needle: str, *, lang: str = "zh") -> int:
    lines = (project / "manual" / "chapters" / f"fever.{lang}.md").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def only(diagnostics, severity=Severity.ERROR):
    found = [d for d in diagnostics if d.severity is severity]
    assert len(found) == 1, [d.format() for d in diagnostics]
    return found[0]


def test_valid_manual_has_no_problems(project):
    assert run(project) == []


def test_the_real_sample_manual_has_no_errors():
    root = Path(__file__).resolve().parents[2]
    diagnostics = check(root / "manual", root=root, today=TODAY)[1]
    assert [d.format() for d in diagnostics if d.severity is Severity.ERROR] == []


def test_malformed_yaml_points_at_the_line(project):
    edit(project, "synonyms: [发烧]", "synonyms: [发烧")
    d = only(run(project))
    assert d.path == ZH and "malformed YAML" in d.message
    assert d.line in (line_of(project, "synonyms"), line_of(project, "synonyms") + 1)
    assert d.hint


def test_missing_required_field(project):
    edit(project, "    time_frame: 立即\n", "")
    d = only(run(project))
    assert d.field == "referrals[0]" and "`time_frame` is missing" in d.message
    assert d.line == line_of(project, "fever-ref-emergency")


def test_wrong_type(project):
    edit(project, "last_reviewed: 2026-09-01", "last_reviewed: [2026]")
    d = only(run(project))
    assert d.field == "last_reviewed" and d.line == line_of(project, "last_reviewed")


def test_unknown_triage_colour(project):
    edit(project, "triage: red", "triage: purple")
    d = only(run(project))
    assert d.field == "danger_signs[0].triage" and "'purple'" in d.message
    assert "red" in d.hint and d.line == line_of(project, "triage: purple") and d.col == 13


def test_unknown_field_suggests_the_right_name(project):
    edit(project, "status: trial", "status: trial\nsynonym: [x]")
    d = only(run(project))
    assert "unknown field `synonym`" in d.message and "synonyms" in d.hint
    assert d.line == line_of(project, "synonym: [x]")


def test_html_in_title_is_an_error(project):
    edit(project, "title: 发热", 'title: "<script>alert(1)</script>发热"')
    d = only(run(project))
    assert d.field == "title" and "HTML" in d.message


def test_duplicate_id_across_chapters(project):
    chapters = project / "manual" / "chapters"
    for lang in ("zh", "en"):
        text = (chapters / f"fever.{lang}.md").read_text(encoding="utf-8")
        text = text.replace("id: fever\n", "id: fever2\n").replace("fever-ds-green", "fever2-ds-green")
        text = text.replace("fever-ref-emergency", "fever2-ref-emergency").replace("fever-rec-", "fever2-rec-")
        text = text.replace("[fever-ds-young-infant]", "[fever-ds-young-infant]")
        (chapters / f"fever2.{lang}.md").write_text(text, encoding="utf-8")
    errors = [d for d in run(project) if d.severity is Severity.ERROR]
    messages = " ".join(d.message for d in errors)
    assert "'fever-ds-young-infant' is already used at manual/chapters/fever" in messages
    assert any("must start with 'fever2-'" in d.message for d in errors)


def test_dangling_references(project):
    edit(project, "signs: [fever-ds-young-infant]", "signs: [fever-ds-young-infnt]")
    edit(project, "sources: [nice-ng143]", "sources: [nice-ng999]")
    edit(project, "next_review_due: 2027-09-01", "next_review_due: 2027-09-01\nrelated: [cough]")
    errors = run(project)
    by_field = {d.field: d for d in errors if d.severity is Severity.ERROR}
    assert "did you mean 'fever-ds-young-infant'" in by_field["referrals[0].signs[0]"].hint
    assert "unknown reference 'nice-ng999'" in by_field["recommendations[0].sources[0]"].message
    assert "no chapter 'cough'" in by_field["related[0]"].message


def test_item_id_must_carry_the_chapter_prefix(project):
    for lang in ("zh", "en"):
        edit(project, "id: fever-ds-green", "id: ds-green", lang=lang)
    errors = run(project)
    assert {d.path for d in errors} == {ZH, ZH.replace(".zh.", ".en.")}
    assert all("must start with 'fever-'" in d.message and d.hint == "rename it to fever-ds-green"
               for d in errors)


def test_threshold_unit_must_fit_the_measure(project):
    for lang in ("zh", "en"):
        edit(project, 'unit: "°C"', 'unit: "°F"', lang=lang)
    errors = [d for d in run(project) if d.severity is Severity.ERROR]
    assert errors and all("does not fit temperature" in d.message for d in errors)


def test_dose_without_source(project):
    edit(project, "用电子体温计测腋温。", "对乙酰氨基酚 15 mg/kg。")
    edit(project, "strength: strong", "strength: practice-statement")
    edit(project, "sources: [nice-ng143]", "sources: []")
    errors = [d for d in run(project) if d.severity is Severity.ERROR]
    assert any("states a dose but cites no source" in d.message for d in errors)


def test_translation_gap_and_disagreement(project):
    edit(project, "triage: red", "triage: amber", lang="en")
    edit(project, "  - id: fever-ds-green\n    text: Responds normally\n    triage: green\n"
                  "    age_bands: [3mo-5y]\n", "", lang="en")
    diagnostics = run(project)
    disagreement = [d for d in diagnostics if "differs from manual/chapters/fever.zh.md" in d.message]
    assert disagreement and disagreement[0].path == "manual/chapters/fever.en.md"
    assert any("translation gap" in d.message and d.severity is Severity.WARNING for d in diagnostics)


def test_missing_language_version_is_a_translation_gap(project):
    (project / "manual" / "chapters" / "fever.en.md").unlink()
    d = only(run(project), Severity.WARNING)
    assert "no en version" in d.message


def test_review_overdue_is_a_warning_and_an_error_when_strict(project):
    for lang in ("zh", "en"):
        edit(project, "last_reviewed: 2026-09-01", "last_reviewed: 2024-09-01", lang=lang)
        edit(project, "next_review_due: 2027-09-01", "next_review_due: 2025-09-01", lang=lang)
    assert {d.severity for d in run(project)} == {Severity.WARNING}
    assert {d.severity for d in run(project, strict=True)} == {Severity.ERROR}


@pytest.mark.parametrize(("old", "new", "message"), [
    ("age_bands: [0d-28d, 28d-3mo]", "age_bands: [0d-28d, 5y-14y]", "outside the chapter's age_range"),
    ("age_range: 0d-5y", "age_range: 5y-0d", "ends before it starts"),
    ("---\nid: fever", "id: fever", "no YAML front matter"),
    ("status: trial", "status: trial\nstatus: draft", "given twice"),
    ("## 基础", "<script>alert(1)</script>\n\n## 基础", "scripts"),
])
def test_other_errors(project, old, new, message):
    edit(project, old, new)
    assert any(message in d.message for d in run(project)), [d.format() for d in run(project)]


def test_all_problems_are_reported_at_once(project):
    edit(project, "triage: red", "triage: purple")
    edit(project, "urgency: emergency", "urgency: soon")
    edit(project, "title: 发热", "title: <b>发热</b>")
    assert len([d for d in run(project) if d.severity is Severity.ERROR]) == 3


def test_a_text_that_says_another_number_than_its_threshold_is_an_error(project):
    """Issue 20: the page would show the text's number while the logic uses the threshold's."""
    edit(project, "temperature ≥ 38 °C", "temperature ≥ 39 °C", lang="en")
    found = [d for d in run(project) if "but the text does not say" in d.message]
    assert [(d.path, d.severity.value, d.message) for d in found] == [
        (ZH.replace(".zh.", ".en."), "error", "the threshold says ≥ 38 °C but the text does not say 38")]
