"""Chinese first: `cloudpeds translate` and what check and the page say about a translation in progress."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from cloudpeds.cli import main
from cloudpeds.diagnostics import Severity
from cloudpeds.manual.pages import Layout, Renderer
from cloudpeds.manual.validate import _suggest, check, with_chapter_prefix
from cloudpeds.scaffold import new_chapter
from cloudpeds.translate import MARKER, translate_chapter

TODAY = dt.date(2026, 12, 6)


def run(project: Path, *, strict: bool = False):
    return check(project / "manual", root=project, today=TODAY, strict=strict)


def chapters(project: Path) -> Path:
    return project / "manual" / "chapters"


def write_chinese(project: Path) -> None:
    """What an editor does first: the Chinese file of a new chapter, filled in."""
    new_chapter(project / "manual", "headache", groups=["general"], today=TODAY)
    zh = chapters(project) / "headache.zh.md"
    text = zh.read_text(encoding="utf-8").replace("【待填写】", "").replace("status: draft", "status: trial")
    text = text.replace("    # threshold:", "    threshold: {measure: duration, op: \">=\", value: 48, unit: h}\n    #")
    text = text.replace("text: 危险征象", "text: 头痛持续 ≥ 48 小时")
    zh.write_text(text, encoding="utf-8")


def test_chinese_first_never_blocks_the_check(project):
    write_chinese(project)
    manual, diagnostics = run(project)
    assert not [d for d in diagnostics if d.severity is Severity.ERROR], [d.format() for d in diagnostics]

    result = translate_chapter(chapters(project), "headache")
    assert result.marked >= 5
    en = (chapters(project) / "headache.en.md").read_text(encoding="utf-8")
    assert "threshold: {measure: duration, op: \">=\", value: 48, unit: h}" in en  # numbers copied
    assert f'text: "{MARKER} 头痛持续 ≥ 48 小时"' in en

    manual, diagnostics = run(project)
    pending = [d for d in diagnostics if "translation pending" in d.message]
    assert pending and all(d.severity is Severity.WARNING for d in pending)
    assert all(d.path == "manual/chapters/headache.en.md" and d.line > 1 for d in pending)
    strict = run(project, strict=True)[1]
    assert any("translation pending" in d.message and d.severity is Severity.ERROR for d in strict)

    page = Renderer(manual, Layout()).chapter_page(manual.chapter("en", "headache")).markdown
    assert "cp-translation-notice" in page
    assert "cp-translation-notice" not in Renderer(manual, Layout()).chapter_page(
        manual.chapter("zh", "headache")).markdown


def test_translate_keeps_written_english_and_updates_numbers(project):
    zh, en = chapters(project) / "fever.zh.md", chapters(project) / "fever.en.md"
    before = en.read_text(encoding="utf-8")
    assert translate_chapter(chapters(project), "fever").marked == 0
    after = re.sub(r"  # zh:[0-9a-f]{8}", "", en.read_text(encoding="utf-8"))
    assert after.replace('"', "") == before.replace('"', "")  # the same, plus what each text was translated from

    zh.write_text(zh.read_text(encoding="utf-8").replace("value: 38,", "value: 38.5,")
                  .replace("体温 ≥ 38 °C", "体温 ≥ 38.5 °C"), encoding="utf-8")
    stale = [d for d in run(project)[1] if "translation out of date: differs" in d.message]
    assert stale and all(d.severity is Severity.WARNING for d in stale)
    assert "≥ 38 °C here, ≥ 38.5 °C there" in stale[0].message  # as a doctor writes it, not a dict
    assert "cloudpeds translate fever" in stale[0].hint

    translate_chapter(chapters(project), "fever")
    text = en.read_text(encoding="utf-8")
    assert "value: 38.5," in text
    # The Chinese words changed too, so the English ones are marked, with the old translation to work from.
    assert f"{MARKER} 月龄 < 3 个月且体温 ≥ 38.5 °C (was: " in text
    # Had the English words been left saying 38, the number in the text would not follow the threshold: an error.
    en.write_text(text.replace(text[text.index(f'"{MARKER} 月龄'):text.index("  # zh:", text.index(f'"{MARKER} 月龄'))],
                               "Age < 3 months and temperature ≥ 38 °C"), encoding="utf-8")
    errors = [d for d in run(project)[1] if d.severity is Severity.ERROR]
    assert [d.path for d in errors] == ["manual/chapters/fever.en.md"]
    assert "the threshold says ≥ 38.5 °C" in errors[0].message


def test_translate_command(project, capsys):
    write_chinese(project)
    assert main(["translate", "headache", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "marked [to translate]" in out
    assert main(["translate", "nosuch", "--project", str(project)]) == 1
    assert "write the zh version first" in capsys.readouterr().err


def test_hints_point_the_right_way():
    assert with_chapter_prefix("headaches-ds-thunderclap", "headache") == "headache-ds-thunderclap"
    assert with_chapter_prefix("ds-thunderclap", "headache") == "headache-ds-thunderclap"
    assert _suggest("nice-ng51", ["nice-ng1", "nice-ng143"], "fallback") == "fallback"
    assert _suggest("nice-ng143x", ["nice-ng1", "nice-ng143"], "fallback") == "did you mean 'nice-ng143'?"


def test_an_id_that_repeats_the_chapter_id_is_flagged(project):
    for lang in ("zh", "en"):
        path = chapters(project) / f"fever.{lang}.md"
        text = path.read_text(encoding="utf-8").replace("fever-ds-green", "fever-fevers-ds-green")
        path.write_text(text, encoding="utf-8")
    found = [d for d in run(project)[1] if "repeats the chapter id" in d.message]
    assert found and found[0].hint == "rename it to fever-ds-green"


def test_a_chinese_text_changed_after_translation_is_out_of_date(project):
    zh, en = chapters(project) / "fever.zh.md", chapters(project) / "fever.en.md"
    translate_chapter(chapters(project), "fever")  # fingerprints every translated text
    assert [d for d in run(project)[1] if "translation" in d.message] == []
    zh.write_text(zh.read_text(encoding="utf-8").replace("text: 反应好", "text: 反应好，能笑"),
                  encoding="utf-8")
    stale = [d for d in run(project)[1] if "changed after this text was translated" in d.message]
    assert len(stale) == 1 and stale[0].path == "manual/chapters/fever.en.md" and stale[0].severity is Severity.WARNING
    translate_chapter(chapters(project), "fever")
    text = en.read_text(encoding="utf-8")
    assert f"{MARKER} 反应好，能笑 (was: " in text
