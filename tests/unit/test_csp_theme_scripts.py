"""Only the theme's own inline scripts are hashed into the CSP; any other script fails the build, in both profiles."""

from __future__ import annotations

import pytest

from cloudpeds.delivery.policy import foreign_scripts, scan_pages, script_hash, theme_scripts
from cloudpeds.delivery.postbuild import DeliveryError, DeliveryOptions, finish_site

from ..conftest import write_files

THEME_SCRIPT = '<script>__scope=new URL("{{ base_url }}",location)</script>'
TEMPLATES = {
    "main.html": "{# a comment <script>ignored()</script> #}\n" + THEME_SCRIPT + "\n"
                 '<script type="application/json">{{ data | tojson }}</script>',
    "partials/x.html": "<script>{% if a %}run(){% endif %}</script>",  # cannot be matched safely: left out
}


def test_the_theme_scripts_come_from_the_templates(tmp_path):
    patterns = theme_scripts([write_files(tmp_path / "theme", TEMPLATES)])
    assert len(patterns) == 1
    page = ('<script>__scope=new URL("../..",location)</script>\n'
            '<script>__scope=new URL(""+alert(1)+"",location)</script>\n'
            "<script>alert(1)</script>\n"
            '<script type="application/json">{"a": "</"}</script><script src="assets/x.js"></script>')
    assert [p.split(":")[0] for p in foreign_scripts(page, patterns)] == ["line 2", "line 3"]


def _site(tmp_path, page: str):
    site = write_files(tmp_path / "site", {"index.html": "<!doctype html>\n" + page})
    theme = write_files(tmp_path / "theme", TEMPLATES)
    return site, DeliveryOptions(fingerprint=False, service_worker=False, headers_file=False, precompress=False,
                                 theme_dirs=(theme,))


@pytest.mark.parametrize("profile", ["cdn", "offline"])
def test_a_script_that_is_not_the_themes_fails_the_build_with_its_line(tmp_path, profile):
    site, options = _site(tmp_path, '<script>__scope=new URL(".",location)</script>\n<p>x</p>\n'
                                    "<script>document.title='pwned'</script>")
    options = DeliveryOptions(**{**options.__dict__, "profile": profile})
    with pytest.raises(DeliveryError) as caught:
        finish_site(site, options)
    assert "index.html: line 4: inline <script> that is not one of the theme's" in str(caught.value)


def test_the_csp_hashes_only_the_themes_scripts(tmp_path):
    site, options = _site(tmp_path, '<script>__scope=new URL(".",location)</script>')
    report = finish_site(site, options)
    assert report.csp.count("sha256-") == 1
    assert script_hash('__scope=new URL(".",location)') in report.csp


@pytest.mark.parametrize("link", ["&#106;avascript:alert(1)", "java&#x09;script:alert(1)", "java&Tab;script:x",
                                  "&#x01;javascript:x", " JAVASCRIPT:x", "vbscript:x"])
def test_obfuscated_script_urls_are_blocked_markup(tmp_path, link):
    write_files(tmp_path, {"index.html": f'<p>x</p>\n<a href="{link}">x</a>'})
    blocked, _ = scan_pages(tmp_path)
    assert len(blocked) == 1 and blocked[0].startswith("index.html: line 2: ") and "script: URL in href=" in blocked[0]
