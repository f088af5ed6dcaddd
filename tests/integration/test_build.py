"""Whole-site builds with MkDocs: strict build, bad input, atomic output, no other hosts."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.build

# Anything a page would *load* from a URL (links to read elsewhere are fine).
LOADED_URL = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|track|embed|object)\b[^>]*?\s(?:src|href|srcset|data)="
    r"[\"']?(?:https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*[\"']?(?:https?:)?//|@import\s+[\"']?(?:https?:)?//", re.IGNORECASE)


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def test_sample_site_has_every_page(sample_site):
    for page in ("index.html", "en/index.html", "manual/fever/index.html", "en/manual/fever/index.html",
                 "quick/danger-signs/index.html", "quick/referrals/index.html", "quick/a-z/index.html",
                 "en/quick/a-z/index.html", "about/index.html", "en/about/index.html"):
        assert (sample_site / page).is_file(), page
    chapters = {p.name.split(".")[0] for p in (ROOT / "manual" / "chapters").glob("*.zh.md")}
    assert len(chapters) >= 10
    for chapter in chapters:
        html = (sample_site / "manual" / chapter / "index.html").read_text(encoding="utf-8")
        assert 'id="danger-signs"' in html and 'id="referral"' in html and 'lang="zh"' in html
        en = (sample_site / "en" / "manual" / chapter / "index.html").read_text(encoding="utf-8")
        assert 'lang="en"' in en and 'hreflang="zh"' in en


def test_no_page_loads_anything_from_another_host(sample_site):
    offenders = []
    for path in sample_site.rglob("*"):
        if path.suffix in (".html", ".css", ".js") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            pattern = LOADED_URL if path.suffix == ".html" else CSS_URL
            offenders += [f"{path.relative_to(sample_site)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in home and "unpkg" not in home


def test_sample_disclaimer_shows_and_a_setting_turns_it_off(site_project, tmp_path):
    config = site_project / "mkdocs.yml"
    site = tmp_path / "on"
    assert mkdocs_build(site_project, site).returncode == 0
    assert "不得用于临床" in (site / "index.html").read_text(encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace("sample_disclaimer: true",
                                                                  "sample_disclaimer: false"))
    site = tmp_path / "off"
    assert mkdocs_build(site_project, site).returncode == 0
    assert "不得用于临床" not in (site / "index.html").read_text(encoding="utf-8")


def test_a_chapters_summary_is_its_meta_description(site_project, tmp_path):
    chapter = site_project / "manual" / "chapters" / "fever.en.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("group: general\n", 'group: general\nsummary: \'Fever: "red" first & refer\'\n'),
                       encoding="utf-8")
    site = tmp_path / "site"
    assert mkdocs_build(site_project, site).returncode == 0
    en = (site / "en" / "manual" / "fever" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="Fever: &quot;red&quot; first &amp; refer">' in en
    zh = (site / "manual" / "fever" / "index.html").read_text(encoding="utf-8")  # no summary: the site's
    assert '<meta name="description" content="儿科临床决策支持手册（按症状编排）">' in zh
    # Pages without a description of their own get the site's in their language (site_descriptions).
    home_en = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<meta name="description" content="A symptom-oriented[^"]*">', home_en)


def test_bad_input_fails_with_file_lines_and_keeps_the_previous_site(site_project, tmp_path):
    site = tmp_path / "site"
    assert mkdocs_build(site_project, site).returncode == 0
    before = digest(site)
    chapter = site_project / "manual" / "chapters" / "fever.zh.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("triage: red", "triage: purple").replace("title: 发热", "title: <i>x</i>"),
                       encoding="utf-8")
    result = mkdocs_build(site_project, site)
    assert result.returncode != 0
    assert "manual/chapters/fever.zh.md:12:13: error: danger_signs[0].triage: 'purple'" in result.stderr
    assert "manual/chapters/fever.zh.md:3:8: error: title: contains HTML markup" in result.stderr
    assert "Traceback" not in result.stderr and "translation gap" not in result.stderr
    assert digest(site) == before
    assert not list(tmp_path.glob(".site.*"))  # no staging folder left behind


def test_strict_warnings_also_keep_the_previous_site(site_project, tmp_path):
    site = tmp_path / "site"
    assert mkdocs_build(site_project, site).returncode == 0
    for lang in ("zh", "en"):
        chapter = site_project / "manual" / "chapters" / f"fever.{lang}.md"
        text = chapter.read_text(encoding="utf-8")
        chapter.write_text(text.replace("last_reviewed: 2026-09-01", "last_reviewed: 2020-01-01")
                           .replace("next_review_due: 2027-09-01", "next_review_due: 2021-01-01"), encoding="utf-8")
    assert mkdocs_build(site_project, site).returncode == 0  # a warning alone does not fail
    after_lenient = digest(site)
    result = mkdocs_build(site_project, site, "--strict")
    assert result.returncode != 0 and "the review was due on 2021-01-01" in result.stderr
    assert digest(site) == after_lenient


def test_check_command_text_and_json(project):
    cli = [sys.executable, "-m", "cloudpeds.cli", "check", "--project", str(project), "--today", "2026-11-25"]
    ok = subprocess.run(cli, capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and "no problems" in ok.stdout
    chapter = project / "manual" / "chapters" / "fever.en.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("urgency: emergency", "urgency: asap"),
                       encoding="utf-8")
    bad = subprocess.run(cli, capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    expected = r"^manual/chapters/fever\.en\.md:\d+:\d+: error: referrals\[0\]\.urgency: 'asap'"
    assert re.search(expected, bad.stderr, re.M)
    as_json = subprocess.run([*cli, "--format", "json"], capture_output=True, text=True, check=False)
    (problem,) = [d for d in json.loads(as_json.stdout) if d["severity"] == "error"]
    assert problem["field"] == "referrals[0].urgency" and problem["path"] == "manual/chapters/fever.en.md"


def test_navigation_is_pruned_when_set_and_by_default_only_for_large_manuals(site_project, tmp_path):
    config = site_project / "mkdocs.yml"
    default = tmp_path / "default"
    assert mkdocs_build(site_project, default).returncode == 0  # one chapter: auto keeps the whole list
    assert "md-nav__item--pruned" not in (default / "index.html").read_text(encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      languages: [zh, en]\n", "      languages: [zh, en]\n      navigation_prune: always\n"))
    pruned = tmp_path / "pruned"
    assert mkdocs_build(site_project, pruned).returncode == 0
    assert "md-nav__item--pruned" in (pruned / "index.html").read_text(encoding="utf-8")
