"""cloudpeds publish: immutable edition folders, versions.json for Material's selector, the changelog."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ..conftest import ROOT, mkdocs_build
from ..editions_support import publish, publish_two_editions
from .test_build import digest

pytestmark = pytest.mark.build


def tree_digest(folder: Path) -> str:
    """Files, and where the symlinks point (the ``latest`` alias)."""
    links = sorted(f"{p.relative_to(folder)}->{p.readlink()}" for p in folder.rglob("*") if p.is_symlink())
    return digest(folder) + "|".join(links)


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory) -> tuple[Path, Path]:
    """A project whose editions 2018 and 2019 are published into releases/ (module-wide: two builds)."""
    return publish_two_editions(tmp_path_factory.mktemp("editions"))


def test_versions_json_lists_both_editions_newest_first_with_latest(two_editions):
    _, releases = two_editions
    assert json.loads((releases / "versions.json").read_text(encoding="utf-8")) == [
        {"version": "2019", "title": "2019 版 · 2019 edition", "aliases": ["latest"]},
        {"version": "2018", "title": "2018 试行版 · 2018 trial edition", "aliases": []},
    ]
    assert (releases / "latest").is_symlink() and (releases / "latest").readlink() == Path("2019")
    assert 'url=2019/' in (releases / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in releases.iterdir()) == ["2018", "2019", "index.html", "latest", "versions.json"]


def test_each_release_has_its_snapshot_changelog_and_the_version_selector(two_editions):
    _, releases = two_editions
    for version in ("2018", "2019"):
        snapshot = json.loads((releases / version / "editions" / "snapshot.json").read_text(encoding="utf-8"))
        assert snapshot["edition"]["version"] == version
        page = (releases / version / "manual" / "fever" / "index.html").read_text(encoding="utf-8")
        assert '"provider": "mike"' in page or '"provider":"mike"' in page
    first = json.loads((releases / "2018" / "editions" / "changelog.json").read_text(encoding="utf-8"))
    assert first["previous"] is None
    log = json.loads((releases / "2019" / "editions" / "changelog.json").read_text(encoding="utf-8"))
    assert log["previous"]["version"] == "2018" and log["edition"]["version"] == "2019"
    zh = log["languages"]["zh"]
    assert [c["chapter"] for c in zh["chapters"]] == ["cough"]
    assert sorted((i["id"], i["change"]) for i in zh["items"]) == [
        ("fever-ds-reduced-activity", "added"), ("fever-ds-young-infant", "changed"), ("fever-ref-5-days", "changed")]
    assert len(zh["charts"]) == 1


def test_the_new_edition_shows_badges_and_whats_new(two_editions):
    _, releases = two_editions
    fever = (releases / "2019" / "manual" / "fever" / "index.html").read_text(encoding="utf-8")
    assert fever.count('class="cp-changed cp-changed--changed"') == 2  # threshold, urgency
    assert fever.count('class="cp-changed cp-changed--added"') == 1  # the new danger sign
    assert "流程图本版修改" in fever  # the chart changed: a badge on the chapter
    new = (releases / "2019" / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert "共 5 处变化" in new and "38.5" in new and "常规" in new and "当天" in new  # the urgency scale's words
    english = (releases / "2019" / "en" / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert "5 changes" in english and "Reduced activity, not responding normally" in english
    old = (releases / "2018" / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert "第一个发布的版本" in old and "cp-changed" not in (releases / "2018" / "manual" / "fever" /
                                                               "index.html").read_text(encoding="utf-8")


def test_publishing_a_published_edition_is_refused_and_changes_nothing(two_editions):
    project, releases = two_editions
    before = tree_digest(releases)
    result = publish(project, "2019", releases)
    assert result.returncode == 1
    assert "edition 2019 (2019 版) is already published" in result.stderr
    assert "nothing was changed" in result.stderr and "Traceback" not in result.stderr
    result = publish(project, "2018", releases)
    assert result.returncode == 1 and "already published" in result.stderr
    assert tree_digest(releases) == before


def test_only_the_working_edition_can_be_published(two_editions, tmp_path):
    project, _ = two_editions
    releases = tmp_path / "releases"
    result = publish(project, "2018", releases)
    assert result.returncode == 1
    assert "the working copy is edition 2019" in result.stderr
    result = publish(project, "2020", releases)
    assert result.returncode == 1 and "there is no edition '2020'" in result.stderr
    assert not (releases / "2018").exists() and not (releases / "2020").exists()


def test_a_failing_build_publishes_nothing(two_editions, tmp_path):
    project, releases = two_editions
    copy = tmp_path / "project"
    shutil.copytree(project, copy, symlinks=True, ignore=shutil.ignore_patterns("releases"))
    editions = copy / "manual" / "editions.yml"
    editions.write_text(editions.read_text(encoding="utf-8") + """\
  - version: "2020"
    number: 3
    label: {zh: 2020 版}
    date: 2020-09-01
    status: current
""", encoding="utf-8")
    chapter = copy / "manual" / "chapters" / "fever.zh.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("triage: red", "triage: purple", 1),
                       encoding="utf-8")
    shutil.copytree(releases, copy / "releases", symlinks=True)
    before = tree_digest(copy / "releases")
    result = publish(copy, "2020", copy / "releases")
    assert result.returncode == 1 and "nothing was published" in result.stderr
    assert "fever.zh.md" in result.stderr
    assert tree_digest(copy / "releases") == before


def test_a_working_copy_build_compares_with_the_latest_published_edition(two_editions, tmp_path):
    project, _ = two_editions
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    # The working copy (2019) equals the published 2019, and it compares with 2018 (older than it).
    assert "共 5 处变化" in (site / "whats-new" / "index.html").read_text(encoding="utf-8")
    # No version selector outside the releases folder (no request for a missing versions.json).
    assert "mike" not in (site / "index.html").read_text(encoding="utf-8")


def test_lessons_that_teach_a_changed_recommendation_may_be_outdated(site_project, tmp_path):
    """The real manual and courses compared with a baseline in which one recommendation differed."""
    from cloudpeds.editions import snapshot
    from cloudpeds.manual.loader import load_manual

    shutil.rmtree(site_project / "manual")
    shutil.copytree(ROOT / "manual", site_project / "manual")
    shutil.copytree(ROOT / "courses", site_project / "courses")
    baseline = snapshot.take(load_manual(site_project / "manual", root=site_project).manual, None)
    for lang in ("zh", "en"):
        recs = baseline["chapters"][lang]["fever"]["recommendations"]
        rec = next(r for r in recs if r["id"] == "fever-rec-antipyretic")
        rec["certainty"] = "low"
    (tmp_path / "baseline.json").write_text(snapshot.dumps(baseline), encoding="utf-8")
    config = site_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8")
                      .replace("      releases_dir: releases\n",
                               f"      releases_dir: releases\n      baseline: {tmp_path / 'baseline.json'}\n")
                      .replace("  - cloudpeds/courses\n",
                               f"  - cloudpeds/courses:\n      cache_dir: {ROOT / '.cache' / 'media'}\n"),
                      encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(site_project, site)
    assert result.returncode == 0, result.stderr
    lesson = (site / "courses" / "fever-in-the-community" / "fever-antipyretics" / "index.html").read_text(
        encoding="utf-8")
    assert 'class="cp-outdated"' in lesson and "#fever-rec-antipyretic" in lesson
    other = (site / "courses" / "fever-in-the-community" / "fever-danger-signs" / "index.html").read_text(
        encoding="utf-8")
    assert "cp-outdated" not in other
    fever = (site / "en" / "manual" / "fever" / "index.html").read_text(encoding="utf-8")
    assert fever.count("cp-changed--changed") == 1 and "Changed in this edition" in fever
    log = json.loads((site / "editions" / "changelog.json").read_text(encoding="utf-8"))
    current = next(r for r in snapshot.take(load_manual(site_project / "manual", root=site_project).manual, None)
                   ["chapters"]["zh"]["fever"]["recommendations"] if r["id"] == "fever-rec-antipyretic")["certainty"]
    assert current != "low"
    assert [(i["id"], i["fields"]) for i in log["languages"]["zh"]["items"]] == [
        ("fever-rec-antipyretic", [{"field": "certainty", "before": "low", "after": current}])]


def test_with_a_site_url_each_edition_has_its_own_address(two_editions, tmp_path):
    project, _ = two_editions
    copy = tmp_path / "project"
    shutil.copytree(project, copy, symlinks=True, ignore=shutil.ignore_patterns("releases"))
    config = copy / "mkdocs.yml"
    config.write_text("site_url: https://peds.example.org/manual/\n" + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    result = publish(copy, "2019", copy / "releases", "--allow-warnings")
    assert result.returncode == 0, result.stderr
    sitemap = (copy / "releases" / "2019" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://peds.example.org/manual/2019/manual/fever/</loc>" in sitemap
    page = (copy / "releases" / "2019" / "manual" / "fever" / "index.html").read_text(encoding="utf-8")
    assert 'rel="canonical" href="https://peds.example.org/manual/2019/manual/fever/"' in page


def test_a_publish_killed_after_its_rename_is_completed_by_the_next_run(two_editions, tmp_path):
    """The edition folder is there but versions.json, latest and index.html still name the previous
    edition, and a killed run left its staging folder: the next run repairs and tidies, then refuses."""
    project, releases = two_editions
    copy = tmp_path / "releases"
    shutil.copytree(releases, copy, symlinks=True)
    (copy / "versions.json").write_text(json.dumps(
        [{"version": "2018", "title": "2018 试行版 · 2018 trial edition", "aliases": ["latest"]}]), encoding="utf-8")
    (copy / "latest").unlink()
    (copy / "latest").symlink_to("2018")
    dead = copy / ".2019.publish-999999999"
    (dead / "assets").mkdir(parents=True)
    result = publish(project, "2019", copy)
    assert result.returncode == 1 and "already published" in result.stderr
    assert [v["version"] for v in json.loads((copy / "versions.json").read_text(encoding="utf-8"))] == ["2019", "2018"]
    assert (copy / "latest").readlink() == Path("2019")
    assert not dead.exists()
