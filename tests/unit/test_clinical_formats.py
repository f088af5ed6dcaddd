"""The clinical data formats: findings vocabulary, medicines, chapter doses and case files load with
file:line errors (all at once) and stable rule codes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from cloudpeds.clinical.findings import BadValue, load_vocabulary
from cloudpeds.clinical.medicines import load_formulary
from cloudpeds.manual.validate import check

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 25)


def run(project: Path):
    return check(project / "manual", root=project, today=TODAY)[1]


@pytest.fixture
def clinical_project(project: Path) -> Path:
    for name in ("findings.yml", "medicines.yml"):
        shutil.copy(ROOT / "manual" / name, project / "manual" / name)
    shutil.copy(ROOT / "manual" / "references" / "core.yml", project / "manual" / "references" / "core.yml")
    return project


def edit(project: Path, old: str, new: str, *, langs=("zh", "en")) -> None:
    for lang in langs:
        path = project / "manual" / "chapters" / f"fever.{lang}.md"
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_the_real_vocabulary_and_formulary_load_cleanly():
    problems: list = []
    vocabulary = load_vocabulary(ROOT / "manual" / "findings.yml", ROOT, problems)
    formulary = load_formulary(ROOT / "manual" / "medicines.yml", ROOT, problems)
    assert problems == []
    assert {"convulsing-now", "non-blanching-rash", "chest-indrawing", "jaundice-palms-soles",
            "bilious-vomiting", "skin-pinch-very-slow"} <= set(vocabulary.findings)
    assert {"paracetamol", "diazepam", "benzylpenicillin", "ors", "zinc"} <= set(formulary.medicines)


def test_units_convert_to_the_default_unit_and_impossible_values_are_refused():
    vocabulary = load_vocabulary(ROOT / "manual" / "findings.yml", ROOT, [])
    assert vocabulary.parse_value("bilirubin", "15mg/dL") == pytest.approx(256.5)
    assert vocabulary.parse_value("bilirubin", "250 µmol/L") == 250
    assert vocabulary.parse_value("age", "40h") == pytest.approx(40 / 24)
    assert vocabulary.parse_value("age", "3mo") == pytest.approx(91.3125)
    assert vocabulary.parse_value("temperature", 38.2) == 38.2
    for measure, value in (("temperature", 80), ("weight", 0), ("weight", 500), ("bilirubin", "15 furlongs")):
        with pytest.raises(BadValue):
            vocabulary.parse_value(measure, value)


def test_nice_cg98_table_interpolates_by_hour_of_age():
    vocabulary = load_vocabulary(ROOT / "manual" / "findings.yml", ROOT, [])
    table = vocabulary.tables["bilirubin-phototherapy-38w"]
    assert table.cutoff(36 / 24) == 225
    assert table.cutoff(39 / 24) == pytest.approx(231)
    assert table.cutoff(10) == 350
    rr = vocabulary.tables["rr-fast-breathing"]
    assert (rr.cutoff(20), rr.cutoff(100), rr.cutoff(800)) == (60, 50, 40)


def test_unknown_finding_and_table_are_reported_at_their_lines(clinical_project):
    edit(clinical_project, '    threshold: {measure: temperature, op: ">=", value: 38, unit: "°C"}',
         '    findings: [convulsing-now, fitting]\n    thresholds: [{table: rr-fast}]')
    found = {(d.code, d.path, d.line) for d in run(clinical_project) if d.code}
    zh = clinical_project / "manual/chapters/fever.zh.md"
    assert ("CP201", "manual/chapters/fever.zh.md", line_of(zh, "fitting")) in found
    assert ("CP201", "manual/chapters/fever.zh.md", line_of(zh, "rr-fast")) in found


def test_a_bad_vocabulary_reports_every_problem_with_its_line(clinical_project):
    path = clinical_project / "manual" / "findings.yml"
    text = path.read_text(encoding="utf-8")
    rr = "    unit: /min\n    range: [0, 150]"
    text = text.replace(rr, rr + "\n    colour: red", 1)
    text = text.replace("    measure: heart_rate\n", "    measure: heart_beat\n", 1)
    path.write_text(text, encoding="utf-8")
    problems = [d for d in run(clinical_project) if d.path == "manual/findings.yml"]
    lines = {d.line for d in problems}
    assert line_of(path, "colour: red") in lines
    assert len(problems) >= 1 and all(d.line > 1 for d in problems)


DOSE = """doses:
  - id: fever-dose-paracetamol
    drug: paracetamol
    indication: {indication}
    route: oral
    per_kg: 15
    interval: 6h
    sources: [nice-ng143]
"""


def test_a_per_kg_dose_without_maximum_is_an_error_at_the_dose(clinical_project):
    for lang, words in (("zh", "发热不适"), ("en", "Distress from fever")):
        path = clinical_project / "manual" / "chapters" / f"fever.{lang}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("references: [nice-ng143]", DOSE.format(indication=words)
                                     + "references: [nice-ng143]", 1), encoding="utf-8")
    problems = [d for d in run(clinical_project) if d.code == "CP301"]
    zh = clinical_project / "manual/chapters/fever.zh.md"
    messages = " ".join(d.message for d in problems if d.path.endswith("zh.md"))
    assert "max_single" in messages and "max_24h" in messages
    assert {d.line for d in problems if d.path.endswith("zh.md")} == {line_of(zh, "fever-dose-paracetamol")}


def test_a_case_file_must_be_named_after_its_chapter(clinical_project):
    cases = clinical_project / "manual" / "cases"
    cases.mkdir()
    (cases / "fevers.yml").write_text(
        "chapter: fever\ncases:\n  - id: fever-case-a\n    title: x\n    sources: [nice-ng143]\n"
        "    age: 21d\n    expect: {triage: red}\n", encoding="utf-8")
    problems = [d for d in run(clinical_project) if d.code == "CP502"]
    assert problems and problems[0].path == "manual/cases/fevers.yml" and problems[0].line == 1


def test_every_rule_code_is_listed_for_editors_and_developers():
    from cloudpeds.clinical.rules import RULES

    for doc in ("content/guide/editors.md", "content/en/guide/editors.md", "docs/clinical-format.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        assert [code for code in RULES if f"| {code} |" not in text] == [], doc
