"""Act now (``act_now:``): the model, its validation (file:line), its place on the page and the note's data."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import markdown
import pytest

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


def test_note_data_carries_the_words_of_both_languages(sample):
    text = note_files(sample)["clinical/convulsions.note.js"]
    assert text.startswith('(self.cpNoteData=self.cpNoteData||{})["convulsions"]=')
    data = json.loads(text[text.index("=", text.index("]")) + 1: -2])
    assert data["act_now"][1]["doses"] == ["convulsions-dose-midazolam-buccal", "convulsions-dose-diazepam-rectal"]
    zh, en = data["lang"]["zh"], data["lang"]["en"]
    assert zh["units"]["°C"] == "℃" and zh["units"]["/min"] == "次/分" and en["units"]["/min"] == "/min"
    assert zh["words"]["title"] == "转诊单" and en["words"]["title"] == "Referral note"
    assert zh["words"]["punct.colon"] == "：" and zh["words"]["sep"] == "，" and en["words"]["sep"] == ", "
    diazepam = zh["doses"]["convulsions-dose-diazepam-rectal"]
    assert diazepam["drug"] == "地西泮" and diazepam["route"] == "直肠给药" and "抽搐" in diazepam["indication"]
    assert {"convulsions-ref-emergency"} <= {r["id"] for r in en["referrals"]}
    assert zh["levels"]["emergency"] == {"shape": "■", "word": "紧急", "rank": 0}
