"""Act now (``act_now:``): the model, its validation (file:line), its place on the page and the note's data."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import markdown
import pytest

from cloudpeds.clinical.doses import measurable
from cloudpeds.clinical.medicines import Formulation
from cloudpeds.clinical.note import note_files
from cloudpeds.diagnostics import Severity
from cloudpeds.manual.pages import Layout, Renderer
from cloudpeds.manual.validate import check

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 25)
WITH_ACT_NOW = ("convulsions", "diarrhoea", "fever", "wheeze", "rash")


@pytest.fixture(scope="module")
def sample():
    manual, diagnostics = check(ROOT / "manual", root=ROOT, today=TODAY)
    assert [d.format() for d in diagnostics if d.severity is Severity.ERROR] == []
    return manual


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "manual", tmp_path / "manual")
    return tmp_path


def edit(project: Path, chapter: str, old: str, new: str, *, lang: str = "zh") -> int:
    """Replace ``old`` once; return the (1-based) line where it was."""
    path = project / "manual" / "chapters" / f"{chapter}.{lang}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def problems(project: Path, severity=Severity.ERROR):
    return [d for d in check(project / "manual", root=project, today=TODAY)[1] if d.severity is severity]


def test_sample_chapters_act_now_first_in_both_languages(sample):
    for chapter_id in WITH_ACT_NOW:
        for lang in ("zh", "en"):
            meta = sample.chapter(lang, chapter_id).meta
            assert meta.act_now is not None and meta.act_now.when and meta.act_now.steps, (chapter_id, lang)
            dose_ids = {dose.id for dose in meta.doses}
            for step in meta.act_now.steps:
                assert step.id.startswith(f"{chapter_id}-act-")
                assert set(step.doses) <= dose_ids
            assert any(step.doses for step in meta.act_now.steps), chapter_id
            source = (ROOT / "manual" / "chapters" / f"{chapter_id}.{lang}.md").read_text(encoding="utf-8")
            assert re.search(r"\nact_now:\n(?:  .*\n)+danger_signs:\n", source), "act_now right before danger_signs"


def test_unknown_dose_id_is_an_error_at_its_line_with_the_fix(copy):
    line = edit(copy, "convulsions", "doses: [convulsions-dose-phenobarbital-neonate]",
                "doses: [convulsions-dose-phenobarbitone-neonate]")
    found = [d for d in problems(copy) if "act_now" in d.field]
    assert len(found) == 1, [d.format() for d in found]
    d = found[0]
    assert d.path == "manual/chapters/convulsions.zh.md" and d.line == line and d.code == "CP301"
    assert d.field == "act_now.steps[3].doses[0]"
    assert "there is no dose 'convulsions-dose-phenobarbitone-neonate'" in d.message
    assert "did you mean 'convulsions-dose-phenobarbital-neonate'?" in d.hint


def test_step_ids_are_prefixed_and_unique(copy):
    edit(copy, "wheeze", "- id: wheeze-act-oxygen", "- id: act-oxygen")
    edit(copy, "rash", "- id: rash-act-position", "- id: rash-act-adrenaline")
    messages = [d.message for d in problems(copy)]
    assert "item id 'act-oxygen' must start with 'wheeze-'" in messages
    assert any(m.startswith("id 'rash-act-adrenaline' is already used at") for m in messages)


def test_a_step_that_states_a_per_kg_dose_needs_a_dose_item(copy):
    edit(copy, "diarrhoea", "      text: 严重急性营养不良（明显消瘦或双足水肿）：不做方案 C 的快速补液",
         "      text: 严重急性营养不良：ReSoMal 5 mL/kg 口服，不做方案 C 的快速补液")
    assert any(d.code == "CP305" and "diarrhoea-act-sam" in d.message for d in problems(copy))


def test_language_versions_agree(copy):
    edit(copy, "wheeze", "      doses: [wheeze-dose-prednisolone]\n", "", lang="en")
    warnings = [d for d in problems(copy, Severity.WARNING) if d.field.startswith("act_now")]
    assert any(d.path.endswith("wheeze.en.md") and "translation out of date" in d.message for d in warnings)


def test_missing_act_now_in_one_language_is_a_translation_gap(copy):
    path = copy / "manual" / "chapters" / "fever.en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\nact_now:\n(?:  .*\n)+", "\n", text, count=1), encoding="utf-8")
    warnings = [d.message for d in problems(copy, Severity.WARNING)]
    assert "translation gap: 'act_now' is missing from manual/chapters/fever.en.md" in warnings


def page_html(sample, lang: str, chapter_id: str) -> tuple[str, str]:
    renderer = Renderer(sample, Layout())
    page = renderer.chapter_page(sample.chapter(lang, chapter_id))
    return page.markdown, markdown.Markdown(extensions=["toc", "attr_list", "md_in_html"]).convert(page.markdown)


def test_act_now_renders_right_under_the_title_above_everything(sample):
    source, html = page_html(sample, "zh", "convulsions")
    first = html.index('id="act-now"')
    assert html.index("</h1>") < first < html.index('class="cp-chapter-head"') < html.index('id="danger-signs"')
    block = html[max(0, first - 200): html.index("</details>", first)]
    assert "cp-level--emergency" in block and "■" in block and "立即处理" in block
    assert 'data-cp-dose="convulsions-dose-diazepam-rectal"' in block
    assert 'href="#convulsions-dose-diazepam-rectal"' in block  # the dose line links to its table
    assert "<!--cp-trusted:" in source.split("## ")[0]  # the generated block passes the sanitizer whole


def test_pages_without_act_now_have_no_block_and_every_chapter_has_the_note_button(sample):
    _, html = page_html(sample, "en", "cough")
    assert 'id="act-now"' not in html
    assert 'class="cp-note-entry"' in html and "Referral note" in html
    assert 'data-cp-note-data="../../../clinical/cough.note.js"' in html


def test_note_data_carries_words_doses_and_formulations(sample):
    files = note_files(sample)
    text = files["clinical/convulsions.note.js"]
    assert text.startswith('(self.cpNoteData=self.cpNoteData||{})["convulsions"]=')
    data = json.loads(text[text.index("=", text.index("]")) + 1: -2])
    assert data["act_now"][1]["doses"] == ["convulsions-dose-midazolam-buccal", "convulsions-dose-diazepam-rectal"]
    diazepam = data["formulations"]["convulsions-dose-diazepam-rectal"][0]
    assert diazepam["per_unit"] == 5 and diazepam["step"] == 0.1 and diazepam["kind"] == "mL"
    assert data["lang"]["zh"]["units"]["°C"] == "℃" and data["lang"]["zh"]["units"]["/min"] == "次/分"
    assert data["lang"]["zh"]["words"]["title"] == "转诊单" and data["lang"]["en"]["words"]["title"] == "Referral note"
    assert {"convulsions-ref-emergency"} <= {r["id"] for r in data["lang"]["en"]["referrals"]}
    assert data["clinical"]["doses"][0]["id"] == "convulsions-dose-midazolam-buccal"


def test_browser_measurable_volume_is_the_python_rule():
    """note.js's `measurable` (volumes in the act-now block) against `cloudpeds.clinical.doses.measurable`."""
    formulations = [
        Formulation(id="a", form="injection", label={"zh": "a", "en": "a"}, routes=["im"], strength={"mg": 10, "ml": 2},
                    step_ml=0.1),
        Formulation(id="b", form="suspension", label={"zh": "b", "en": "b"}, routes=["oral"],
                    strength={"mg": 120, "ml": 5}, step_ml=0.5),
        Formulation(id="c", form="tablet", label={"zh": "c", "en": "c"}, routes=["oral"], strength={"mg": 500},
                    split=0.5),
    ]
    amounts = [0.37, 1, 2.5, 3.75, 9, 10, 12.5, 17.9, 75, 120, 180, 250, 375, 1000]
    cases = [{"amount": a, "max": m, "f": {"per_unit": f.strength.mg_per_ml or f.strength.mg,
                                           "step": f.step_ml or f.split}, "fid": f.id}
             for a in amounts for m in (None, 10, 1000) for f in formulations]
    note_js = json.dumps(str(ROOT / "theme/assets/note.js"))
    script = (f"globalThis.window = globalThis; require({note_js});" +
              "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));" +
              "console.log(JSON.stringify(cases.map(c => window.CloudpedsNote.measurable(c.amount, c.f, c.max))));")
    out = subprocess.run(["node", "-e", script], input=json.dumps(cases), capture_output=True, text=True, check=True)
    by_id = {f.id: f for f in formulations}
    expected = [measurable(c["amount"], "mg", by_id[c["fid"]], c["max"]) for c in cases]
    assert json.loads(out.stdout) == expected
