"""The cdn build of the sample site as delivered: hashed names with every reference intact, headers through real
nginx per file type (hashed assets, sw.js, manifest), the service worker's precache list, `_headers`, two
clean builds byte-identical, and a page that loads from another host failing the build."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from cloudpeds.delivery import csp_for_site, diff_trees, render_headers, rule_for
from cloudpeds.delivery.fingerprint import is_hashed
from cloudpeds.delivery.local_nginx import serve
from cloudpeds.delivery.policy import IMMUTABLE, REVALIDATE, sends_csp

from ..conftest import ROOT, mkdocs_build
from .test_delivery_nginx import NGINX, brotli, fetch

pytestmark = pytest.mark.build

LOCAL_REF = re.compile(r"""<(?:script|link|img|source|video)\b[^>]*?\s(?:src|href|poster)=["']([^"'#?]+)""")


def local_references(site: Path):
    """(page, reference, resolved file) for every script, style sheet, icon and image a page loads from the site."""
    for page in sorted(site.rglob("*.html")):
        for match in LOCAL_REF.finditer(page.read_text(encoding="utf-8")):
            ref = unquote(match.group(1))
            navigation = re.search(r"rel=[\"']?(?:prev|next|alternate|canonical)", match.group(0))
            if re.match(r"[a-z]+:|//", ref) or (match.group(0).startswith("<link") and navigation):
                continue
            target = (site / ref.lstrip("/")) if ref.startswith("/") else (page.parent / ref)
            if ref.endswith("/") or target.is_dir():
                target = target / "index.html"
            yield page.relative_to(site).as_posix(), ref, target


def test_assets_have_hashed_names_and_every_reference_resolves(sample_site):
    assets = [p.relative_to(sample_site).as_posix() for p in (sample_site / "assets").rglob("*")
              if p.is_file() and p.suffix in (".css", ".js", ".svg", ".png")]
    for name in ("cloudpeds", "flowchart", "search", "search-core", "player", "progress", "sw-register", "logo",
                 "favicon", "icons/icon-192", "icons/maskable-512", "vendor/hls.light.min", "vendor/lunr.min"):
        assert [rel for rel in assets if re.fullmatch(rf"assets/{re.escape(name)}\.[0-9a-f]{{10}}\.\w+", rel)], name
    # search.js takes lunr's URL from the page (data-cp-lunr), so it is hashed too.
    assert not (sample_site / "assets/vendor/lunr.min.js").exists()
    missing = [(page, ref) for page, ref, target in local_references(sample_site) if not target.is_file()]
    assert missing == []
    loaded = {target.resolve() for _, _, target in local_references(sample_site)}
    assert any(is_hashed(path.name) and path.suffix == ".css" for path in loaded)


def test_service_worker_precaches_the_manual_but_not_the_video(sample_site):
    sw = (sample_site / "sw.js").read_text(encoding="utf-8")
    urls = re.findall(r'\{url:"([^"]+)",revision:(?:"[0-9a-f]+"|null)\}', sw)
    assert urls and all((sample_site / url).is_file() for url in urls)
    for expected in ("index.html", "manual/fever/index.html", "en/manual/wheeze/index.html", "search/index.zh.js",
                     "search/index.en.js", "manifest.webmanifest"):
        assert expected in urls, expected
    # Only what a reader needs offline: not the posters (cached when shown), not the editors' guide.
    assert not [url for url in urls if url.startswith("media/") or "guide/editors/" in url]
    assert (sample_site / "guide/editors/index.html").is_file() and list(sample_site.glob("media/*/poster.jpg"))
    assert not [url for url in urls if url.endswith((".ts", ".m3u8", ".mp4", ".vtt", ".gz", ".br", ".map"))]
    assert re.search(r'prefix:"cloudpeds-2018-[0-9a-f]{12}"', sw)  # named by manual/editions.yml
    assert "importScripts" not in sw and "https://storage.googleapis.com" not in sw  # runtime bundled, no CDN
    manifest = json.loads((sample_site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert all((sample_site / icon["src"]).is_file() and is_hashed(icon["src"]) for icon in manifest["icons"])
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert 'rel="manifest" href="manifest.webmanifest"' in home and 'data-sw="sw.js"' in home


def sample_media_origins() -> list[str]:
    """The sample's allowed hosts (its live sessions' streaming service), as the CSP names them."""
    from cloudpeds.cli import _allowed_hosts
    from cloudpeds.delivery.postbuild import media_origins

    return media_origins(_allowed_hosts(ROOT / "mkdocs.yml"))


def test_headers_file_carries_the_sites_csp(sample_site):
    csp = csp_for_site(sample_site, sample_media_origins())
    assert (sample_site / "_headers").read_text(encoding="utf-8") == render_headers(sample_site, csp)
    assert (sample_site / "index.html.br").is_file() and (sample_site / "index.html.gz").is_file()


@pytest.mark.skipif(NGINX is None, reason="needs nginx (Debian package nginx)")
def test_nginx_headers_per_file_type_on_the_real_site(sample_site, tmp_path):
    def first(pattern: str) -> str:
        return next(p.relative_to(sample_site).as_posix() for p in sorted(sample_site.glob(pattern)))

    files = {
        first("assets/cloudpeds.*.css"): IMMUTABLE, first("assets/search.*.js"): IMMUTABLE,
        first("assets/icons/icon-192.*.png"): IMMUTABLE, first("assets/logo.*.svg"): IMMUTABLE,
        first("assets/stylesheets/main.*.min.css"): IMMUTABLE, first("media/*/240p/*.ts"): IMMUTABLE,
        "sw.js": REVALIDATE, "manifest.webmanifest": REVALIDATE, "search/index.zh.js": REVALIDATE,
        first("assets/vendor/lunr.min.*.js"): IMMUTABLE, "manual/fever/": REVALIDATE,
        first("media/*/master.m3u8"): REVALIDATE,
    }
    csp = csp_for_site(sample_site)
    with serve(sample_site, tmp_path / "nginx", csp=csp) as server:
        for rel, cache_control in files.items():
            status, headers, _ = fetch(server.url(rel), Accept_Encoding="br, gzip")
            rule = rule_for(rel)
            assert status == 200, rel
            assert headers["Cache-Control"] == rule.cache_control == cache_control, rel
            assert headers["Content-Type"] == rule.content_type, rel
            assert headers.get("Access-Control-Allow-Origin") == ("*" if rule.cors else None), rel
            assert headers.get("Content-Security-Policy") == (csp if sends_csp(rule) else None), rel
            served = sample_site / (rel + "index.html" if rel.endswith("/") else rel)
            if rule.compress and served.stat().st_size > 2048:
                assert headers["Content-Encoding"] == ("br" if brotli else "gzip"), rel


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cloudpeds.cli", *args], capture_output=True, text=True, cwd=cwd,
                          check=False, timeout=900)


def test_two_clean_builds_are_byte_identical(tmp_path):
    for name in ("a", "b"):
        result = cli("build", "--strict", "-d", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "a" / "sw.js").is_file()
    assert diff_trees(tmp_path / "a", tmp_path / "b") == []


def test_offline_profile_has_no_service_worker(tmp_path):
    result = cli("build", "--profile", "offline", "-d", str(tmp_path / "offline"))
    assert result.returncode == 0, result.stderr
    site = tmp_path / "offline"
    assert not (site / "sw.js").exists() and not (site / "manifest.webmanifest").exists()
    assert not (site / "_headers").exists() and not list(site.rglob("*.br"))
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'rel="manifest"' not in home and "sw-register" not in home and 'href="assets/cloudpeds.css"' in home


def test_a_page_that_loads_from_another_host_fails_the_build(site_project, tmp_path):
    page = site_project / "content" / "about.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    lines.insert(2, '<script src="https://cdn.jsdelivr.net/npm/lodash/lodash.min.js"></script>')
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "previous.html").write_text("the previous site")
    result = mkdocs_build(site_project, site)
    assert result.returncode != 0
    # Content may not carry scripts at all: the check refuses it at its source line, before anything is written.
    assert re.search(r"content/about\.md:3:1: error: body: <script> is not allowed", result.stderr), result.stderr
    assert sorted(p.name for p in site.iterdir()) == ["previous.html"]


def test_nginx_config_carries_the_csp_of_a_built_site(sample_site, tmp_path):
    result = cli("nginx-config", "--site", str(sample_site), "--base-path", "/manual/")
    assert result.returncode == 0, result.stderr
    csp = csp_for_site(sample_site, sample_media_origins())
    assert "https://live.hospital.example" in csp
    assert f'add_header Content-Security-Policy "{csp}" always;' in result.stdout
    result = cli("nginx-config", "--site", str(tmp_path))
    assert result.returncode == 1 and "build the site first" in result.stderr
