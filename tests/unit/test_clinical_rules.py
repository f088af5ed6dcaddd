"""The clinical safety rules (CP2xx–CP4xx) on small charts and on the sample as it was before issue 12."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from cloudpeds.cli import main
from cloudpeds.manual.validate import check

ROOT = Path(__file__).resolve().parents[2]
BEFORE = ROOT / "tests" / "fixtures" / "clinical-before"
TODAY = dt.date(2026, 11, 25)


def findings(project: Path, code: str | None = None):
    found = check(project / "manual", root=project, today=TODAY)[1]
    return [d for d in found if d.code and (code is None or d.code == code)]


@pytest.fixture(scope="module")
def before(tmp_path_factory) -> Path:
    """A project with the three chapters as they were before issue 12 and today's vocabulary."""
    project = tmp_path_factory.mktemp("before")
    manual = project / "manual"
    shutil.copytree(ROOT / "manual" / "references", manual / "references")
    (manual / "chapters").mkdir()
    for name in ("groups.yml", "synonyms.yml", "findings.yml", "medicines.yml"):
        shutil.copy(ROOT / "manual" / name, manual / name)
    for path in BEFORE.glob("*.md"):
        if path.name != "README.md":
            shutil.copy(path, manual / "chapters" / path.name)
    return project


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_critical_rectal_diazepam_without_maximum_is_flagged(before):
    zh = BEFORE / "convulsions.zh.md"
    found = [d for d in findings(before, "CP305") if d.path == "manual/chapters/convulsions.zh.md"]
    assert any(d.line == line_of(zh, "地西泮 0.5 mg/kg") and "0.5 mg/kg" in d.message for d in found), found


def test_critical_fever_path_sends_a_3_week_old_with_37_8_home_is_flagged(before, capsys):
    en = BEFORE / "fever.en.md"
    found = [d for d in findings(before, "CP402") if d.path == "manual/chapters/fever.en.md"]
    home = [d for d in found if d.message.startswith("node H") and "0d-28d" in d.message]
    assert home and home[0].line == line_of(en, "D -->|No| H(")
    # …and the evaluator shows the very child the review describes
    assert main(["assess", "fever", "--project", str(before), "--age", "21d", "--weight", "3.5",
                 "--temperature", "37.8", "--format", "json"]) == 0
    assert '"urgency": "home"' in capsys.readouterr().out


def test_urgency_contradictions_are_flagged(before):
    # the red pale-stools sign is routed to a within-24-hours referral without a triage_reason (J5)
    cp401 = [d for d in findings(before, "CP401") if "neonatal-jaundice-ds-pale-stools" in d.message]
    assert cp401 and "ends in urgent" in cp401[0].message
    # the fever chart's home node links a routine referral (F8 / X4)
    assert any(d.path.startswith("manual/chapters/fever") for d in findings(before, "CP403"))


CHART = """
```flowchart
flowchart TD
  A[Assess] --> B{{Red sign?}}
  B -->|Yes| E[Refer as an emergency]:::emergency
  B -->|No| C{{Well child?}}
  C -->|Yes| H(Home care):::home
  C -->|No| U[Same-day review]:::urgent
  click B "#fever-ds-young-infant"
  click C "#fever-ds-green"
  click E "#fever-ref-emergency"
{extra}```
"""


def write_chart(project: Path, chart: str) -> None:
    for lang in ("zh", "en"):
        path = project / "manual" / "chapters" / f"fever.{lang}.md"
        text = path.read_text(encoding="utf-8")
        head, _, _ = text.partition("```flowchart")
        path.write_text(head + chart.strip() + "\n", encoding="utf-8")


@pytest.fixture
def chart_project(project: Path) -> Path:
    shutil.copy(ROOT / "manual" / "findings.yml", project / "manual" / "findings.yml")
    return project


def test_a_chart_that_asks_the_green_sign_first_passes(chart_project):
    write_chart(chart_project, CHART.format(extra=""))
    assert findings(chart_project, "CP401") == [] and findings(chart_project, "CP402") == []


def test_home_reachable_for_young_infants_is_cp402(chart_project):
    bad = CHART.replace('  click C "#fever-ds-green"\n', "").format(extra="")
    write_chart(chart_project, bad)
    found = findings(chart_project, "CP402")
    assert found and all("0d-28d" in d.message or "28d-3mo" in d.message for d in found)
    assert found[0].message.startswith("node H")


def test_a_red_sign_checked_after_a_home_exit_is_cp401(chart_project):
    late = """
```flowchart
flowchart TD
  A[Assess] --> C{Well child?}
  C -->|Yes| H(Home care):::home
  C -->|No| B{Red sign?}
  B -->|Yes| E[Refer as an emergency]:::emergency
  B -->|No| U[Same-day review]:::urgent
  click B "#fever-ds-young-infant"
  click E "#fever-ref-emergency"
```
"""
    write_chart(chart_project, late)
    found = findings(chart_project, "CP401")
    assert found and "fever-ds-young-infant" in found[0].message and "A → C → H" in found[0].message


def test_a_waiver_with_a_reason_silences_the_rule_for_that_item(chart_project):
    bad = CHART.replace('  click C "#fever-ds-green"\n', "").format(extra="")
    write_chart(chart_project, bad)
    for lang in ("zh", "en"):
        path = chart_project / "manual" / "chapters" / f"fever.{lang}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("    signs: [fever-ds-young-infant]\n",
                                     "    signs: [fever-ds-young-infant]\n    waivers: [{rule: CP402, reason: r}]\n"),
                        encoding="utf-8")
    write_chart(chart_project, bad.replace('  click E "#fever-ref-emergency"\n',
                                           '  click E "#fever-ref-emergency"\n  click H "#fever-ref-emergency"\n'))
    assert findings(chart_project, "CP402") == []


def test_node_text_naming_another_level_than_its_referral_is_cp403(chart_project):
    write_chart(chart_project, CHART.format(extra="").replace("Refer as an emergency", "Same-day review"))
    found = findings(chart_project, "CP403")
    assert found and "node E" in found[0].message and "emergency" in found[0].message


DOSES = """doses:
  - id: fever-dose-diazepam
    drug: diazepam
    indication: {word}
    route: rectal
    per_kg: 0.5
    max_single: 10
    interval: 10min
    max_doses_24h: 2
    ages: 1mo-5y
    source_ages: 1mo-3y
    sources: [nice-ng143]
  - id: fever-dose-bpen
    drug: benzylpenicillin
    indication: {word}
    route: im
    interval: once
    by_age:
      - {{age: 0d-1y, dose: 300}}
      - {{age: 2y-5y, dose: 12000}}
    max_single: 1200
    sources: [nice-ng143]
"""


def test_dose_rules_cp302_cp303_cp304(chart_project):
    shutil.copy(ROOT / "manual" / "medicines.yml", chart_project / "manual" / "medicines.yml")
    for lang in ("zh", "en"):
        path = chart_project / "manual" / "chapters" / f"fever.{lang}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("references: [nice-ng143]", DOSES.format(word=lang) + "references: [nice-ng143]",
                                     1), encoding="utf-8")
    codes = {(d.code, d.message.split(":")[0]) for d in findings(chart_project) if d.path.endswith("zh.md")}
    assert ("CP302", "dose 'fever-dose-bpen'") in codes       # 12000 mg > max_single
    found = findings(chart_project)
    assert any(d.code == "CP303" and "fever-dose-bpen" in d.message and "1y–2y" in d.message for d in found)
    assert any(d.code == "CP304" and "fever-dose-diazepam" in d.message for d in found)


def test_one_finding_with_two_triages_across_chapters_needs_a_reason(chart_project):
    chapters = chart_project / "manual" / "chapters"
    for lang in ("zh", "en"):
        text = (chapters / f"fever.{lang}.md").read_text(encoding="utf-8")
        text = text.replace('    threshold: {measure: temperature, op: ">=", value: 38, unit: "°C"}',
                            '    threshold: {measure: temperature, op: ">=", value: 38, unit: "°C"}\n'
                            "    findings: [non-blanching-rash]", 1)
        (chapters / f"fever.{lang}.md").write_text(text, encoding="utf-8")
        other = (text.replace("id: fever", "id: rash").replace("fever-", "rash-")
                 .replace("triage: red", "triage: amber")
                 .replace("title: 发热", "title: 皮疹").replace("title: Fever", "title: Rash"))
        (chapters / f"rash.{lang}.md").write_text(other, encoding="utf-8")
    found = findings(chart_project, "CP203")
    assert found and "non-blanching-rash" in found[0].message and "0d-28d" in found[0].message
    for lang in ("zh", "en"):
        path = chapters / f"rash.{lang}.md"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "    findings: [non-blanching-rash]", "    findings: [non-blanching-rash]\n    triage_reason: why", 1),
            encoding="utf-8")
    assert findings(chart_project, "CP203") == []


def test_the_export_carries_what_the_evaluator_reads(before):
    import json

    from cloudpeds.clinical.export import export_files

    manual, _ = check(before / "manual", root=before, today=TODAY)
    files = export_files(manual)
    chapters = ("convulsions", "fever", "neonatal-jaundice")
    # the JSON, and the same data as a script for the bedside page (file:// cannot fetch JSON)
    assert set(files) == {f"clinical/{c}.{suffix}" for c in chapters for suffix in ("json", "js")}
    assert files["clinical/fever.js"].startswith('(self.cpClinical=self.cpClinical||{})["fever"]={data:{')
    data = json.loads(files["clinical/fever.json"])
    assert {"signs", "referrals", "chart", "doses", "vocabulary", "urgency"} <= set(data)
    young = next(s for s in data["signs"] if s["id"] == "fever-ds-young-infant")
    assert young["thresholds"] == [{"measure": "temperature", "op": ">=", "value": 38.0}]
    assert young["text"]["en"].startswith("Age < 3 months") and data["chart"]["start"] == "A"


def test_bilirubin_beyond_the_cg98_phototherapy_threshold_must_meet_a_red_sign(before):
    # J1/J2: the old chapter's red sign is > 342 μmol/L and its amber sign > 250, while NICE CG98 starts
    # phototherapy at > 200 at 24 h and > 225 at 36 h
    found = [d for d in findings(before, "CP204") if d.path == "manual/chapters/neonatal-jaundice.en.md"]
    assert any("bilirubin-phototherapy-38w" in d.message and "24 hours of age" in d.message for d in found)


def test_a_cited_table_is_covered_by_a_sign_or_waived_with_a_reason(chart_project):
    found = findings(chart_project, "CP204")
    assert {m for d in found for m in ("hr-nice-amber", "rr-nice-amber") if m in d.message} == {
        "hr-nice-amber", "rr-nice-amber"}
    for lang in ("zh", "en"):
        path = chart_project / "manual" / "chapters" / f"fever.{lang}.md"
        text = path.read_text(encoding="utf-8")
        text = text.replace("  - id: fever-ds-green\n",
                            "  - id: fever-ds-fast\n    text: 心率 > 160 / 150 / 140，呼吸 > 50 / 40\n"
                            "    triage: amber\n    age_bands: [0d-28d, 28d-3mo, 3mo-5y]\n"
                            "    thresholds: [{table: hr-nice-amber}, {table: rr-nice-amber}]\n"
                            "  - id: fever-ds-green\n", 1)
        text = text.replace("    signs: [fever-ds-young-infant]\n",
                            "    signs: [fever-ds-young-infant, fever-ds-fast]\n")
        path.write_text(text, encoding="utf-8")
    assert findings(chart_project, "CP204") == []
