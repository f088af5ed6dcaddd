"""Hosting without ``site_url``: the build says what is missing and how to fix it."""

from __future__ import annotations

from cloudpeds.adapters.manual_plugin import SITEMAP_NOTE

from ..conftest import mkdocs_build


def test_build_without_site_url_says_the_sitemap_is_empty(site_project, tmp_path):
    result = mkdocs_build(site_project, tmp_path / "site", "--strict")
    assert result.returncode == 0, result.stderr
    assert SITEMAP_NOTE in result.stderr
    assert "<loc>" not in (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")

    config = site_project / "mkdocs.yml"
    config.write_text("site_url: https://peds.example.org/manual/\n" + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    result = mkdocs_build(site_project, tmp_path / "site2", "--strict")
    assert result.returncode == 0, result.stderr
    assert SITEMAP_NOTE not in result.stderr
    assert "<loc>https://peds.example.org/manual/</loc>" in (tmp_path / "site2" / "sitemap.xml").read_text(
        encoding="utf-8")
