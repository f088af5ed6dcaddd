"""The evaluator (cloudpeds.clinical.evaluate), the case runner (CP5xx) and `cloudpeds assess`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from cloudpeds.cli import main
from cloudpeds.clinical.doses import Dose, dose_for
from cloudpeds.clinical.evaluate import Child, evaluate
from cloudpeds.clinical.findings import load_vocabulary
from cloudpeds.flowchart.parse import parse
from cloudpeds.manual.model import ChapterMeta
from cloudpeds.manual.validate import check

ROOT = Path(__file__).resolve().parents[2]
VOCABULARY = load_vocabulary(ROOT / "manual" / "findings.yml", ROOT, [])
DAY, MONTH, YEAR = 1.0, 30.4375, 365.25

META = {
    "id": "t", "title": "T", "group": "general", "status": "trial", "age_range": "0d-5y",
    "age_bands": ["0d-28d", "28d-3mo", "3mo-5y"], "authors": ["a"],
    "last_reviewed": "2026-01-01", "next_review_due": "2027-01-01",
    "danger_signs": [
        {"id": "t-ds-infant", "text": "< 3 mo and ≥ 38 °C", "triage": "red", "age_bands": ["0d-28d", "28d-3mo"],
         "threshold": {"measure": "temperature", "op": ">=", "value": 38, "unit": "°C"}},
        {"id": "t-ds-neonatal-temp", "text": "≥ 37.5 or < 35.5 °C", "triage": "red", "age_bands": ["0d-28d"],
         "thresholds": [{"table": "temperature-young-infant-fever"}, {"table": "temperature-young-infant-low"}]},
        {"id": "t-ds-rash", "text": "rash", "triage": "red", "age_bands": ["0d-28d", "28d-3mo", "3mo-5y"],
         "findings": ["non-blanching-rash"]},
        {"id": "t-ds-bili", "text": "bilirubin > 20 mg/dL", "triage": "red", "age_bands": ["0d-28d"],
         "threshold": {"measure": "bilirubin", "op": ">", "value": 20, "unit": "mg/dL"}},
        {"id": "t-ds-dka", "text": "thirst and glucose > 11", "triage": "red", "age_bands": ["3mo-5y"],
         "findings": ["polyuria-thirst"], "match": "all",
         "threshold": {"measure": "glucose", "op": ">", "value": 11, "unit": "mmol/L"}},
        {"id": "t-ds-fast", "text": "fast breathing", "triage": "amber", "age_bands": ["0d-28d", "28d-3mo", "3mo-5y"],
         "thresholds": [{"table": "rr-fast-breathing"}]},
        {"id": "t-ds-vague", "text": "looks unwell", "triage": "amber", "age_bands": ["3mo-5y"]},
        {"id": "t-ds-green", "text": "well", "triage": "green", "age_bands": ["3mo-5y"]},
    ],
    "referrals": [
        {"id": "t-ref-emergency", "urgency": "emergency", "target": "ED", "time_frame": "now",
         "signs": ["t-ds-infant", "t-ds-neonatal-temp", "t-ds-rash", "t-ds-bili", "t-ds-dka"]},
        {"id": "t-ref-urgent", "urgency": "urgent", "target": "clinic", "time_frame": "today",
         "signs": ["t-ds-fast", "t-ds-rash"]},
    ],
    "doses": [
        {"id": "t-dose-diazepam", "drug": "diazepam", "indication": "x", "route": "rectal", "per_kg": 0.5,
         "max_single": 10, "interval": "10min", "max_doses_24h": 2, "min_age": "1mo", "sources": ["s"]},
        {"id": "t-dose-bpen", "drug": "benzylpenicillin", "indication": "x", "route": "im", "interval": "once",
         "by_age": [{"age": "0d-1y", "dose": 300}, {"age": "1y-10y", "dose": 600}], "sources": ["s"]},
    ],
}
CHART = """flowchart TD
  A[Assess] --> B{Red sign?}
  B -->|是| E[Emergency]:::emergency
  B -->|否| C{Amber sign?}
  C -->|Yes| F{Follow-up possible?}
  F -->|Yes| O[Observe]:::observe
  F -->|No| U[Same day]:::urgent
  C -->|No| H(Home):::home
  click B "#t-ds-infant"
  click B "#t-ds-neonatal-temp"
  click B "#t-ds-rash"
  click B "#t-ds-bili"
  click B "#t-ds-dka"
  click C "#t-ds-fast"
"""


@pytest.fixture(scope="module")
def chapter():
    meta = ChapterMeta.model_validate(META)
    graph, problems = parse(CHART)
    assert not problems
    return meta, graph


def run(chapter, age_days, weight=None, findings=(), **measures):
    meta, graph = chapter
    return evaluate(meta, graph, VOCABULARY, Child(age_days, weight, measures, frozenset(findings)))


def test_a_threshold_sign_is_met_and_answers_its_linked_decision(chapter):
    result = run(chapter, 60 * DAY, 5, temperature=38.2)
    assert result.signs == ["t-ds-infant"]
    assert (result.triage, result.referral, result.urgency) == ("red", "t-ref-emergency", "emergency")
    assert result.path == ["A", "B", "E"]


def test_a_table_threshold_uses_the_row_for_the_age(chapter):
    assert run(chapter, 20 * DAY, temperature=37.6).signs == ["t-ds-neonatal-temp"]
    assert run(chapter, 20 * DAY, temperature=35.0).signs == ["t-ds-neonatal-temp"]
    assert run(chapter, 40 * DAY, temperature=37.6).signs == []  # not a band of the sign
    assert run(chapter, 8 * MONTH, respiratory_rate=50).signs == ["t-ds-fast"]
    assert run(chapter, 2 * YEAR, respiratory_rate=45).signs == ["t-ds-fast"]
    assert "t-ds-fast" not in run(chapter, 2 * YEAR, respiratory_rate=39).signs


def test_threshold_units_are_converted(chapter):
    # 20 mg/dL = 342 μmol/L
    assert run(chapter, 3 * DAY, bilirubin=350).signs == ["t-ds-bili"]
    assert run(chapter, 3 * DAY, bilirubin=340).signs == []


def test_match_all_needs_every_finding_and_threshold(chapter):
    assert run(chapter, 4 * YEAR, glucose=15).signs == ["t-ds-green"]
    assert run(chapter, 4 * YEAR, findings=["polyuria-thirst"], glucose=15).signs == ["t-ds-dka"]
    assert "t-ds-dka" not in run(chapter, 4 * YEAR, findings=["polyuria-thirst"], glucose=8).signs


def test_triage_is_green_only_where_a_green_sign_applies(chapter):
    young = run(chapter, 20 * DAY, temperature=37.0)
    assert (young.triage, young.referral) == ("none", None)
    assert young.path == ["A", "B", "C", "H"]  # the chart's own answer, which the CP402 rule judges
    old = run(chapter, 3 * YEAR, temperature=37.0)
    assert (old.triage, old.signs, old.urgency) == ("green", ["t-ds-green"], "home")
    assert old.unevaluated == ["t-ds-vague"]


def test_a_decision_without_linked_sign_takes_the_more_urgent_exit(chapter):
    result = run(chapter, 3 * YEAR, respiratory_rate=50)
    assert result.path == ["A", "B", "C", "F", "U"] and result.urgency == "urgent"
    assert (result.triage, result.referral) == ("amber", "t-ref-urgent")


def test_the_most_urgent_referral_of_the_signs_met_wins(chapter):
    result = run(chapter, 3 * YEAR, findings=["non-blanching-rash"])
    assert result.referral == "t-ref-emergency" and result.triage == "red"


def test_doses_for_the_child_are_capped_at_the_maximum(chapter):
    doses = {d.id: d for d in run(chapter, 10 * YEAR - 1, 50).doses}
    assert (doses["t-dose-diazepam"].mg, doses["t-dose-diazepam"].capped) == (10, True)
    assert doses["t-dose-bpen"].mg == 600
    doses = {d.id: d for d in run(chapter, 2 * YEAR, 12).doses}
    assert (doses["t-dose-diazepam"].mg, doses["t-dose-diazepam"].capped) == (6, False)
    assert "t-dose-diazepam" not in {d.id for d in run(chapter, 20 * DAY, 3.5).doses}  # under min_age


def test_dose_by_weight_band():
    dose = Dose.model_validate({"id": "c-dose-amox", "drug": "amoxicillin", "indication": "x", "route": "oral",
                                "by_weight": [{"from_kg": 4, "to_kg": 10, "dose": 250},
                                              {"from_kg": 10, "to_kg": 14, "dose": 500}],
                                "interval": "12h", "max_doses_24h": 2, "sources": ["s"]})
    assert dose_for(dose, age_days=200, weight_kg=9.9).mg == 250
    assert dose_for(dose, age_days=400, weight_kg=10).mg == 500
    assert dose_for(dose, age_days=400, weight_kg=15).amount is None


# --- case runner and `cloudpeds assess` on a project -------------------------------------------------

@pytest.fixture
def case_project(project: Path) -> Path:
    shutil.copy(ROOT / "manual" / "findings.yml", project / "manual" / "findings.yml")
    (project / "manual" / "cases").mkdir()
    (project / "manual" / "cases" / "fever.yml").write_text(
        "chapter: fever\n"
        "cases:\n"
        "  - id: fever-case-infant\n"
        "    title: {zh: 2 月龄 38.2 °C, en: 2-month-old 38.2 °C}\n"
        "    sources: [nice-ng143]\n"
        "    age: 2mo\n"
        "    weight: 5\n"
        "    measures: {temperature: 38.2}\n"
        "    expect:\n"
        "      triage: red\n"
        "      referral: fever-ref-emergency\n"
        "      signs: [fever-ds-young-infant]\n"
        "      path: [A, B, R]\n", encoding="utf-8")
    return project


def problems(project: Path, code: str):
    return [d for d in check(project / "manual", root=project, today=dt.date(2026, 11, 25))[1] if d.code == code]


def test_a_passing_case_reports_nothing(case_project):
    assert problems(case_project, "CP501") == [] and problems(case_project, "CP502") == []


def test_a_changed_expectation_fails_at_the_case_line(case_project):
    path = case_project / "manual" / "cases" / "fever.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("triage: red", "triage: amber"), encoding="utf-8")
    found = problems(case_project, "CP501")
    assert len(found) == 1
    d = found[0]
    assert (d.path, d.line) == ("manual/cases/fever.yml", 10)
    assert "expected triage amber, got red" in d.message and "fever-case-infant" in d.message


def test_a_case_that_cannot_run_is_cp502(case_project):
    path = case_project / "manual" / "cases" / "fever.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("age: 2mo", "age: 7y"), encoding="utf-8")
    assert "outside the chapter's age range" in problems(case_project, "CP502")[0].message
    path.write_text(text.replace("measures: {temperature: 38.2}", "findings: [fitting]"), encoding="utf-8")
    assert "unknown finding 'fitting'" in problems(case_project, "CP502")[0].message


def test_assess_prints_json_with_the_documented_keys(case_project, capsys):
    status = main(["assess", "fever", "--project", str(case_project), "--age", "40h", "--weight", "3.2",
                   "--temperature", "38.4", "--format", "json"])
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    assert {"triage", "urgency", "referral", "signs", "path", "doses"} <= set(data)
    assert (data["triage"], data["referral"]) == ("red", "fever-ref-emergency")
    assert data["path"] == ["A", "B", "R"]
    assert data["urgency"] in ("emergency", "urgent")  # the kind of the fixture's node R


@pytest.mark.parametrize("args, message", [
    (["--age", "7y"], "outside the fever chapter's age range"),
    (["--age", "2y", "--weight", "0"], "weight 0 is impossible"),
    (["--age", "2y", "--weight", "500"], "weight 500 is impossible"),
    (["--age", "2y", "--temperature", "80"], "temperature 80 is impossible"),
    (["--age", "2y", "--finding", "fitting"], "unknown finding 'fitting'"),
    (["--age", "2y", "--bilirubin", "15 furlongs"], "does not fit bilirubin"),
    (["--age", "2y", "--colour", "3"], "unknown option --colour"),
])
def test_assess_bad_input_is_one_line_and_exit_2(case_project, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        status = main(["assess", "fever", "--project", str(case_project), *args])
        raise SystemExit(status)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_assess_agrees_with_the_sample_case_files(capsys):
    """The first case of every sample case file, through `cloudpeds assess`, gives what the runner computes."""
    import yaml

    from cloudpeds.clinical.cases import Case, child_of
    from cloudpeds.clinical.evaluate import chapter_graph

    manual, _ = check(ROOT / "manual", root=ROOT, today=dt.date(2026, 11, 25))
    files = sorted((ROOT / "manual" / "cases").glob("*.yml"))
    assert files
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        case = Case.model_validate(data["cases"][0])
        args = ["assess", data["chapter"], "--project", str(ROOT), "--age", case.age, "--format", "json"]
        if case.weight is not None:
            args += ["--weight", str(case.weight)]
        for name, value in case.measures.items():
            args += [f"--{name.replace('_', '-')}", str(value)]
        for code in case.findings:
            args += ["--finding", code]
        assert main(args) == 0
        got = json.loads(capsys.readouterr().out)
        chapter = manual.chapters[manual.default_language][data["chapter"]]
        want = evaluate(chapter.meta, chapter_graph(chapter), manual.clinical.vocabulary,
                        child_of(case, manual.clinical.vocabulary)).as_dict()
        assert got == json.loads(json.dumps(want)), path.name
