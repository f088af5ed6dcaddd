"""Source → HTML: what the chapter page and the derived pages contain."""

from __future__ import annotations

import datetime as dt
import re

import markdown

from cloudpeds.manual.pages import Layout, Renderer, a_z_entries
from cloudpeds.manual.validate import check

EXTENSIONS = ["toc", "attr_list", "md_in_html", "tables"]


def render(project, *, directory_urls=True, sample_disclaimer=True):
    manual, diagnostics = check(project / "manual", root=project, today=dt.date(2026, 11, 25))
    assert diagnostics == []
    return Renderer(manual, Layout(directory_urls=directory_urls), sample_disclaimer=sample_disclaimer)


def html_of(page) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(page.markdown)


def test_chapter_page_order_and_anchors(project):
    page = next(p for p in render(project).pages() if p.doc == "manual/fever.md")
    html = html_of(page)
    order = [html.index(marker) for marker in (
        'id="danger-signs"', 'id="fever-ds-young-infant"', 'id="referral"', 'id="fever-ref-emergency"',
        'id="recommendations"', 'id="fever-rec-measure"', "基础", 'id="references"', 'id="ref-nice-ng143"',
        'id="review"')]
    assert order == sorted(order)
    assert "红色 · 紧急" in html and "■" in html  # colour is never the only cue
    assert 'href="#fever-ref-emergency"' in html  # each sign links to its referral
    assert "<h1" in html and "发热</h1>" in html


def test_levels_are_drawn_from_the_one_urgency_scale(project):
    """A red sign wears the emergency level's shape and colour with the triage and level words; a referral
    card and the sign's link to it wear the referral's level; nothing spells a level out by hand."""
    from cloudpeds.clinical.urgency import BY_ID

    renderer = render(project)
    for lang, triage_words in (("zh", "红色 · 紧急"), ("en", "Red · Emergency")):
        html = html_of(next(p for p in renderer.pages() if p.doc == renderer.layout.chapter(lang, "fever")))
        emergency = BY_ID["emergency"]
        tag = re.search(r'<li id="fever-ds-young-infant"[^>]*>(<span class="cp-tag[^"]*">.*?</span>[^<]*</span>)', html)
        assert tag and "cp-level--emergency" in tag[1] and emergency.shape in tag[1] and triage_words in tag[1]
        card = re.search(r'<article id="fever-ref-emergency" class="([^"]*)">.*?<h3[^>]*>(.*?)</h3>', html, re.S)
        assert "cp-level--emergency" in card[1]
        assert emergency.shape in card[2] and emergency.word[lang] in card[2] and "cp-level--emergency" in card[2]


def test_triage_reason_is_shown_beside_the_sign(project):
    renderer = render(project)
    chapter = renderer.manual.chapters["en"]["fever"]
    sign = chapter.meta.danger_signs[0].model_copy(update={"triage_reason": "Seen the same day by the on-call team"})
    chapter.meta = chapter.meta.model_copy(update={"danger_signs": [sign, *chapter.meta.danger_signs[1:]]})
    html = html_of(renderer.chapter_page(chapter))
    item = re.search(r'<li id="fever-ds-young-infant".*?</li>', html, re.S)[0]
    assert "cp-sign__reason" in item and "Why this level" in item and "Seen the same day by the on-call team" in item


def test_english_page_lives_under_en(project):
    docs = {p.doc for p in render(project).pages()}
    assert {"manual/fever.md", "en/manual/fever.md", "quick/a-z.md", "en/quick/referrals.md"} <= docs


def test_text_is_escaped_not_injected(project):
    renderer = render(project)
    chapter = renderer.manual.chapters["zh"]["fever"]
    # Validation rejects markup in text; the renderer escapes anyway (defence in depth).
    sign = chapter.meta.danger_signs[0].model_copy(update={"text": "<img src=x onerror=alert(1)>"})
    meta = chapter.meta.model_copy(update={"danger_signs": [sign, *chapter.meta.danger_signs[1:]]})
    chapter.meta = meta
    html = html_of(renderer.chapter_page(chapter))
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_raw_html_blocks_have_no_blank_lines(project):
    page = next(p for p in render(project).pages() if p.doc == "manual/fever.md")
    for block in re.findall(r"^<(?:div|section|ol|dl)[^\n]*\n.*?(?=\n\n|\Z)", page.markdown, re.S | re.M):
        assert "\n\n" not in block


def test_links_follow_the_url_style(project):
    directory = render(project).quick_referrals("zh").markdown
    files = render(project, directory_urls=False).quick_referrals("zh").markdown
    assert 'href="../../manual/fever/#fever-ref-emergency"' in directory
    assert 'href="../manual/fever.html#fever-ref-emergency"' in files


def test_symptom_grid_directive(project):
    renderer = render(project)
    html = renderer.expand_directives("# Home\n\n<!-- cloudpeds:symptom-grid -->\n", "en/index.md")
    assert 'href="manual/fever/"' in html and "Fever" in html and "cloudpeds:symptom-grid" not in html


def test_quick_links_directive(project):
    html = render(project).expand_directives("# Home\n\n<!-- cloudpeds:quick-links -->\n", "index.md")
    assert html.index('href="quick/danger-signs/"') < html.index('href="quick/referrals/"') < html.index(
        'href="quick/a-z/"')
    assert "■</span> 危险征象速查" in html and "cloudpeds:quick-links" not in html


def test_quick_danger_signs_red_and_amber_only(project):
    markdown = render(project).quick_danger_signs("zh").markdown
    assert 'id="fever-ds-young-infant"' in markdown and 'href="#ch-fever"' in markdown
    assert "fever-ds-green" not in markdown


def test_disclaimer_setting(project):
    assert "不得用于临床" in render(project).disclaimer("zh")
    assert render(project, sample_disclaimer=False).disclaimer("zh") is None


def test_a_z_groups_chinese_by_pinyin_initial(project):
    manual = render(project).manual
    letters = dict(a_z_entries(manual.in_language("zh"), "zh"))
    assert [e.term for e in letters["F"]] == ["发热", "发烧"]  # fare < fashao
    assert letters["F"][1].is_synonym and letters["F"][1].chapter_id == "fever"


def test_navigation_is_per_language(project):
    renderer = render(project)
    nav = renderer.navigation("en", ["en/index.md", "en/about.md", "about.md", "index.md"])
    assert nav[0].doc == "en/index.md"
    docs = [child.doc for entry in nav for child in entry.children]
    assert "en/manual/fever.md" in docs and "en/about.md" in docs and "about.md" not in docs
