"""Doses as data: the weight-band table (never above the maximum, capped rows marked), rendering by id in
both languages with the same numbers."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from cloudpeds.clinical.doses import Dose, bands_for_ages, measurable, table_rows
from cloudpeds.clinical.medicines import load_formulary
from cloudpeds.manual.pages import Layout, Renderer
from cloudpeds.manual.validate import check

ROOT = Path(__file__).resolve().parents[2]
FORMULARY = load_formulary(ROOT / "manual" / "medicines.yml", ROOT, [])


def formulation(drug: str, formulation_id: str):
    return next(f for f in FORMULARY.medicines[drug].formulations if f.id == formulation_id)


def test_table_rows_never_exceed_the_maximum_and_say_when_capped():
    dose = Dose.model_validate({"id": "c-dose-dz", "drug": "diazepam", "indication": "x", "route": "rectal",
                                "per_kg": 0.5, "max_single": 10, "interval": "10min", "max_doses_24h": 2,
                                "sources": ["s"]})
    injection = formulation("diazepam", "diazepam-injection-10-2")
    rows = table_rows(dose, [injection], bands_for_ages(30, 14 * 365.25))
    assert [(r.from_kg, r.to_kg) for r in rows][:5] == [(3, 6), (6, 10), (10, 15), (15, 20), (20, 30)]
    assert all(r.amount <= 10 for r in rows)
    assert [r.capped for r in rows] == [False, False, False, False, False, True, True]
    assert all(volume * 5 <= 10 + 1e-9 for r in rows for _, volume in r.volumes)  # 5 mg/mL


@pytest.mark.parametrize("amount, maximum, expected", [
    (225, 1000, 9.5),   # 9.375 mL → 9.5 mL (228 mg): within 10 %, under the maximum
    (240, 240, 10.0),   # exactly the maximum
    (239, 239, 9.5),    # 9.96 mL rounds to 10 mL = 240 mg > maximum → down to 9.5 mL
])
def test_measurable_volume_rounds_to_the_step_without_exceeding_the_maximum(amount, maximum, expected):
    assert measurable(amount, "mg", formulation("paracetamol", "paracetamol-suspension-120-5"), maximum) == expected


def test_half_a_tablet_is_not_offered_for_a_much_smaller_dose():
    assert measurable(150, "mg", formulation("paracetamol", "paracetamol-tablet-500"), 1000) is None
    assert measurable(250, "mg", formulation("paracetamol", "paracetamol-tablet-500"), 1000) == 0.5


DOSE = """doses:
  - id: fever-dose-paracetamol
    drug: paracetamol
    indication: {indication}
    route: oral
    per_kg: 15
    max_single: 1000
    interval: 6h
    max_doses_24h: 4
    min_age: 2mo
    formulations: [paracetamol-suspension-120-5, paracetamol-drops-100]
    sources: [nice-ng143]
    waivers: [{{rule: CP303, reason: "{reason}"}}]
"""


@pytest.fixture
def dose_project(project: Path) -> Path:
    for name in ("findings.yml", "medicines.yml"):
        shutil.copy(ROOT / "manual" / name, project / "manual" / name)
    for lang, words, reason in (("zh", "发热不适", "示例理由"), ("en", "Distress from fever", "sample reason")):
        path = project / "manual" / "chapters" / f"fever.{lang}.md"
        text = path.read_text(encoding="utf-8")
        text = text.replace("references: [nice-ng143]", DOSE.format(indication=words, reason=reason)
                            + "references: [nice-ng143]", 1)
        text = text.replace("## 基础" if lang == "zh" else "## Basics",
                            ("## 基础" if lang == "zh" else "## Basics") + "\n\n[[dose:fever-dose-paracetamol]]", 1)
        path.write_text(text, encoding="utf-8")
    return project


def test_a_dose_named_in_the_text_renders_the_same_numbers_in_both_languages(dose_project):
    manual, diagnostics = check(dose_project / "manual", root=dose_project, today=dt.date(2026, 11, 25))
    assert [d.format() for d in diagnostics if d.code.startswith("CP3")] == []
    renderer = Renderer(manual, Layout(("zh", "en")))
    pages = {lang: renderer.chapter_page(manual.chapters[lang]["fever"]).markdown for lang in ("zh", "en")}
    blocks = {}
    for lang, markdown in pages.items():
        assert "[[dose:" not in markdown
        block = re.search(r'<section id="fever-dose-paracetamol".*?</section>', markdown, re.S).group(0)
        blocks[lang] = re.findall(r"\d+(?:\.\d+)?", re.sub(r"<[^>]+>", " ", block))
        assert block.count("<tr") == 1 + 4  # header + 3–<6 … 15–<20 kg for 2 months–5 years
    assert blocks["zh"] == blocks["en"]
    assert "示例理由" in pages["zh"] and "sample reason" in pages["en"]  # the waiver's reason is shown
