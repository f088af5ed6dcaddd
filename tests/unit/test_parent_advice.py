"""parent_advice: its checks (danger-sign ids, every red sign among the reasons to come back at once, the same
shape in every language, plain words: sentence length and the jargon list) with file:line, the sample's advice,
and the page for parents (/parents/<chapter>/) linked from the chapter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cloudpeds.diagnostics import Severity
from cloudpeds.manual.pages import Layout, Renderer
from cloudpeds.manual.validate import check

TODAY = dt.date(2026, 11, 25)
ROOT = Path(__file__).resolve().parents[2]

ADVICE_ZH = """\
parent_advice:
  home:
    - 多给孩子喝水。
  avoid:
    - 不要捂汗。
  come_back_now:
    - text: 3 个月以下的宝宝发热。
      signs: [fever-ds-young-infant]
  come_back_anyway:
    - text: 发热持续 5 天及以上。
      sources: [nice-ng143]
"""
ADVICE_EN = """\
parent_advice:
  home:
    - Give plenty of drinks.
  avoid:
    - Do not over-wrap your child.
  come_back_now:
    - text: A baby under 3 months has a fever.
      signs: [fever-ds-young-infant]
  come_back_anyway:
    - text: The fever has lasted 5 days or more.
      sources: [nice-ng143]
"""


def write_advice(project: Path, zh: str = ADVICE_ZH, en: str = ADVICE_EN) -> None:
    for lang, advice in (("zh", zh), ("en", en)):
        path = project / "manual" / "chapters" / f"fever.{lang}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("references: [nice-ng143]", advice + "references: [nice-ng143]", 1),
                        encoding="utf-8")


def run(project: Path):
    return check(project / "manual", root=project, today=TODAY)[1]


def line_of(project: Path, needle: str, lang: str = "zh") -> int:
    lines = (project / "manual" / "chapters" / f"fever.{lang}.md").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_valid_advice_gives_no_problem(project):
    write_advice(project)
    assert run(project) == []


def test_an_unknown_sign_is_an_error_at_its_line(project):
    write_advice(project, zh=ADVICE_ZH.replace("signs: [fever-ds-young-infant]", "signs: [fever-ds-nope]"))
    found = [d for d in run(project) if d.severity is Severity.ERROR]
    assert len(found) == 1, found
    assert found[0].path == "manual/chapters/fever.zh.md" and "'fever-ds-nope' is not a danger sign" in found[0].message
    assert found[0].line == line_of(project, "fever-ds-nope") and found[0].hint


def test_a_red_sign_left_out_is_a_warning(project):
    write_advice(project, zh=ADVICE_ZH.replace("signs: [fever-ds-young-infant]", "signs: [fever-ds-green]"),
                 en=ADVICE_EN.replace("signs: [fever-ds-young-infant]", "signs: [fever-ds-green]"))
    found = [d for d in run(project) if "not among the parents' reasons" in d.message]
    assert [d.path for d in found] == ["manual/chapters/fever.en.md", "manual/chapters/fever.zh.md"]
    assert all(d.severity is Severity.WARNING and "fever-ds-young-infant" in d.message for d in found)


def test_not_for_parents_covers_a_sign_only_a_health_worker_finds(project):
    zh = ADVICE_ZH.replace("signs: [fever-ds-young-infant]", "signs: [fever-ds-green]") + \
        "  not_for_parents: [fever-ds-young-infant]\n"
    en = ADVICE_EN.replace("signs: [fever-ds-young-infant]", "signs: [fever-ds-green]") + \
        "  not_for_parents: [fever-ds-young-infant]\n"
    write_advice(project, zh=zh, en=en)
    assert run(project) == []


def test_long_sentences_warn_in_characters_and_in_words(project):
    long_zh = "孩子" * 21 + "。"  # 42 characters
    long_en = " ".join(["word"] * 26) + "."
    write_advice(project, zh=ADVICE_ZH.replace("多给孩子喝水。", long_zh),
                 en=ADVICE_EN.replace("Give plenty of drinks.", long_en))
    found = {d.path: d for d in run(project) if "a sentence for parents" in d.message}
    assert "42 characters (plain words: at most 40)" in found["manual/chapters/fever.zh.md"].message
    assert "26 words (plain words: at most 25)" in found["manual/chapters/fever.en.md"].message
    assert found["manual/chapters/fever.zh.md"].line == line_of(project, "孩子孩子")
    assert found["manual/chapters/fever.en.md"].line == line_of(project, "word word", "en")


def test_jargon_from_the_list_warns_with_the_plain_words(project):
    (project / "manual" / "plain-words.yml").write_text(
        "jargon:\n  zh:\n    - {term: 毛细血管再充盈, plain: 按压皮肤后颜色恢复得慢}\n"
        "  en:\n    - {term: tachypnoea, plain: fast breathing}\n", encoding="utf-8")
    write_advice(project, zh=ADVICE_ZH.replace("多给孩子喝水。", "看毛细血管再充盈。"),
                 en=ADVICE_EN.replace("Give plenty of drinks.", "Watch for Tachypnoea."))
    found = {d.path: d for d in run(project) if "clinical term" in d.message}
    assert found["manual/chapters/fever.zh.md"].line == line_of(project, "毛细血管再充盈")
    assert "按压皮肤后颜色恢复得慢" in found["manual/chapters/fever.zh.md"].hint
    assert "'tachypnoea'" in found["manual/chapters/fever.en.md"].message
    assert "fast breathing" in found["manual/chapters/fever.en.md"].hint


def test_a_language_version_with_other_items_warns(project):
    write_advice(project, en=ADVICE_EN.replace("    - Give plenty of drinks.\n",
                                               "    - Give plenty of drinks.\n    - Rest.\n"))
    found = [d for d in run(project) if "parent advice differs" in d.message]
    assert len(found) == 1 and found[0].path == "manual/chapters/fever.en.md" and found[0].hint


def test_every_sample_chapter_has_plain_cited_advice_in_both_languages():
    manual, diagnostics = check(ROOT / "manual", root=ROOT, today=TODAY)
    assert [d.format() for d in diagnostics if "parent" in d.message or "clinical term" in d.message] == []
    for lang in manual.languages:
        chapters = manual.in_language(lang)
        assert len(chapters) == 10
        for chapter in chapters:
            advice = chapter.meta.parent_advice
            assert advice is not None and advice.home and advice.come_back_now, chapter.path
    fever = manual.chapter("en", "fever").meta.parent_advice
    assert any("5 days" in item.text and "nice-ng143" in item.sources for item in fever.come_back_anyway)


def test_the_page_for_parents_is_generated_and_linked_from_the_chapter(project):
    write_advice(project)
    manual, _ = check(project / "manual", root=project, today=TODAY)
    renderer = Renderer(manual, Layout())
    pages = {page.doc: page for page in renderer.pages()}
    zh, en = pages["parents/fever.md"], pages["en/parents/fever.md"]
    assert zh.title == "发热：给家长的建议" and "3 个月以下的宝宝发热。" in zh.markdown
    assert "A baby under 3 months has a fever." in en.markdown and "In an emergency call 120." in en.markdown
    assert 'href="../../manual/fever/"' in zh.markdown
    assert 'href="../../parents/fever/"' in pages["manual/fever.md"].markdown
