"""The post-build delivery step without MkDocs: the external-load check, hashed asset names, the manifest,
the service worker's file selection, and the pipeline's error messages."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from cloudpeds.delivery.externals import (
    DORMANT,
    _all_html_loads,
    dormant_problems,
    file_loads,
    find_external_loads,
    html_loads,
)
from cloudpeds.delivery.fingerprint import _FolderReferenceFinder, _ReferenceFinder, fingerprint, hashed_name, is_hashed
from cloudpeds.delivery.postbuild import DeliveryError, DeliveryOptions, check_external_loads, finish_site
from cloudpeds.delivery.service_worker import cache_id, manifest_entries, precached_files, safe_edition
from cloudpeds.delivery.webapp import ICONS, WebApp, manifest_json, write_manifest

from ..conftest import ROOT, write_files


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    return write_files(root, files)


# --- external loads ---------------------------------------------------------------------------------

BAD_PAGE = """<!doctype html>
<html><head>
<link rel="preconnect" href="https://fonts.gstatic.com">
<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
<link rel="icon" href="//cdn.example.com/favicon.ico">
<script src="https://unpkg.com/mermaid@10/dist/mermaid.min.js"></script>
<style>@import url("https://cdn.jsdelivr.net/npm/x.css"); .a { background: url(data:image/png;base64,AAAA) }</style>
</head><body>
<p>Read <a href="https://www.who.int/publications/i/item/9789241506823">WHO IMCI</a>.</p>
<img src="assets/logo.svg" srcset="a.png 1x, https://img.example.com/a@2x.png 2x" alt="">
<iframe src="https://player.example.com/embed/1"></iframe>
<video poster="https://v.example.com/p.jpg"><source src="https://v.example.com/a.mp4"><track src="https://v.example.com/a.vtt"></video>
<object data="https://x.example.com/a.swf"></object>
<div style="background-image: url('https://img.example.com/b.png')"></div>
<svg xmlns="http://www.w3.org/2000/svg"><image href="https://img.example.com/c.png"/></svg>
<!-- <script src="https://commented.example.com/x.js"></script> -->
<script>fetch("https://api.example.com/data"); var licence = "https://opensource.org/licenses/MIT";</script>
<script type="application/json">{"homepage": "https://example.org/app.js"}</script>
</body></html>
"""


def test_every_kind_of_load_is_found_with_its_line_and_links_are_not():
    found = {(load.line, load.url) for load in file_loads("manual/x/index.html", BAD_PAGE)}
    assert found == {
        (3, "https://fonts.gstatic.com"), (4, "https://fonts.googleapis.com/css?family=Roboto"),
        (5, "//cdn.example.com/favicon.ico"), (6, "https://unpkg.com/mermaid@10/dist/mermaid.min.js"),
        (7, "https://cdn.jsdelivr.net/npm/x.css"), (10, "https://img.example.com/a@2x.png"),
        (11, "https://player.example.com/embed/1"), (12, "https://v.example.com/p.jpg"),
        (12, "https://v.example.com/a.mp4"), (12, "https://v.example.com/a.vtt"), (13, "https://x.example.com/a.swf"),
        (14, "https://img.example.com/b.png"), (15, "https://img.example.com/c.png"),
        (17, "https://api.example.com/data"),
    }


def test_css_and_js_loads():
    css = ('@import "https://x.example/a.css";\n/* url(https://comment.example/x.png) */\n'
           ".a{background:url(//i.example/b.png)}")
    assert [(load.line, load.url) for load in file_loads("a.css", css)] == [
        (1, "https://x.example/a.css"), (3, "//i.example/b.png")]
    js = "\n".join([
        'import("https://esm.example/m.js");',
        'importScripts("https://w.example/sw-lib.js");',
        'new Worker("https://w.example/worker");',
        'img.src = "https://i.example/pixel";',
        'var help = "https://docs.example.com/errors#42";',  # a URL mentioned, not loaded
        'var font = "https://f.example/font.woff2";',
        'load("https://cdn.jsdelivr.net/npm/lib");',  # unknown loader, but a public CDN
        "// see https://example.com/docs",
    ])
    assert [(load.line, load.url) for load in file_loads("a.js", js)] == [
        (1, "https://esm.example/m.js"), (2, "https://w.example/sw-lib.js"), (3, "https://w.example/worker"),
        (4, "https://i.example/pixel"), (6, "https://f.example/font.woff2"), (7, "https://cdn.jsdelivr.net/npm/lib")]


def test_allowed_hosts_and_dormant_urls():
    page = '<video src="https://video.example.cn/a.mp4"></video><script src="https://other.example/x.js"></script>'
    assert [load.url for load in file_loads("a.html", page, ["video.example.cn"])] == ["https://other.example/x.js"]
    material = "".join(f'x=_t("{url}");' for url in DORMANT)
    assert file_loads("bundle.min.js", material) == []


def test_a_mermaid_element_wakes_materials_unpkg_loader(tmp_path):
    write(tmp_path, {"index.html": '<p>ok</p>\n<div class="mermaid">graph TD</div>'})
    assert dormant_problems(tmp_path) == [
        "index.html:2: a .mermaid element makes Material load Mermaid from unpkg.com; write the chart as a "
        "```flowchart fence instead"]


def test_the_check_names_file_line_and_url_of_every_problem(tmp_path):
    write(tmp_path, {"index.html": BAD_PAGE, "assets/x.css": "@import '//fonts.googleapis.com/css';",
                     "assets/ok.js": 'var a = "https://www.who.int/";'})
    with pytest.raises(DeliveryError) as caught:
        check_external_loads(tmp_path)
    message = str(caught.value)
    assert "15 request(s) to other hosts" in message
    assert "index.html:4: loads https://fonts.googleapis.com/css?family=Roboto (<link rel=stylesheet>)" in message
    assert "assets/x.css:1: loads //fonts.googleapis.com/css (CSS @import)" in message
    assert "who.int" not in message
    assert len(find_external_loads(tmp_path)) == 15


# --- hashed names -----------------------------------------------------------------------------------

SITE = {
    "index.html": ('<link rel="stylesheet" href="assets/site.css"><link rel="icon" href="assets/favicon.svg">'
                   '<img src="assets/images/logo.png" srcset="assets/images/logo.png 1x, assets/images/logo@2x.png 2x">'
                   '<script src="assets/app.js" defer></script><script src="assets/lazy.js"></script>'
                   '<a href="assets/site.css.txt">not an asset</a>'),
    "manual/fever/index.html": ('<link rel="stylesheet" href="../../assets/site.css?v=1">'
                                '<script src="../../assets/app.js"></script>'
                                '<link rel="stylesheet" href="../../assets/stylesheets/main.57a0d79d.min.css">'),
    "404.html": '<link rel="stylesheet" href="/assets/site.css"><script src="/assets/app.js"></script>',
    "assets/site.css": ('@import "base.css";\n.logo { background: url("images/logo.png") }'
                        " .x{background:url(images/logo@2x.png)}"),
    "assets/base.css": "body { background: url('images/bg.png') }",
    "assets/app.js": 'var lazy = root + "/assets/lazy.js"; // loads lazy.js by a built URL',
    "assets/lazy.js": "console.log(1)",
    "assets/favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "assets/images/logo.png": b"\x89PNG logo",
    "assets/images/logo@2x.png": b"\x89PNG logo 2x",
    "assets/images/bg.png": b"\x89PNG bg",
    "assets/images/unused.png": b"\x89PNG unused",
    "assets/stylesheets/main.57a0d79d.min.css": "body{color:#222}",
    "manifest.webmanifest": '{"icons": [{"src": "assets/images/logo.png"}]}',
}


def test_two_processes_find_the_same_loads_as_one(tmp_path):
    site = write(tmp_path, {f"p{n}/index.html": BAD_PAGE if n % 3 == 0 else "<p>fine</p>" for n in range(9)})
    one = find_external_loads(site)
    assert find_external_loads(site, jobs=2) == one and len({load.file for load in one}) == 3


#: Loads from another host written without a plain "//", or in a place a browser loads from; (tag, URL found).
HIDDEN_LOADS = [
    ('<img src="https&#58;//evil.example/a.png">', "https://evil.example/a.png"),
    ('<img src="&#104;ttps://evil.example/a.png">', "https://evil.example/a.png"),
    ('<img src="https:/\\evil.example/a.png">', "https:/\\evil.example/a.png"),
    ('<img src="\\\\evil.example\\a.png">', "\\\\evil.example\\a.png"),
    ('<img src="&#47;&#47;evil.example/a.png">', "//evil.example/a.png"),
    ('<img src="/&Tab;/evil.example/a.png">', "/\t/evil.example/a.png"),
    ('<img src=" &#x01;HTTPS://evil.example/a.png">', " HTTPS://evil.example/a.png"),
    ('<p style="background:url(https:&#x2F;&#x2F;evil.example/a.png)">x</p>', "https://evil.example/a.png"),
    ('<p style="background:url(https:\\2f\\2f evil.example/a.png)">x</p>', "https://evil.example/a.png"),
    ('<a ping="https://evil.example/p" href="#x">x</a>', "https://evil.example/p"),
    ('<base href="https://evil.example/">', "https://evil.example/"),
    ('<img src="a.png" srcset="a.png 1x, &#x2F;/evil.example/b.png 2x">', "//evil.example/b.png"),
    ('<table background="//evil.example/bg.png"></table>', "//evil.example/bg.png"),
]


@pytest.mark.parametrize("page", [
    BAD_PAGE,
    '<p>see https://x.org</p><img src="//cdn.x/a.png">',
    '<a title="a>b" href="//x"><img alt="<" src="https://y/z.png">',  # a "<" inside a value: the full parse
    'text < 3 //x <script src="https://unpkg.com/a.js"></script>',
    '<!-- <img src="//x/a.png"> --><link rel=stylesheet href=//f/a.css>',
    '<div style="background:url(//x/a.png)">//</div><style>@import "//x/b.css";</style>',
    "//at the start <img src=//x/y.png><script>//a comment\nfetch('https://api.x/y')</script>",
    "<p>no absolute URL at all</p>",
    *(f"<p>a &amp; b \\ c, x &lt; y</p>\n{payload}\n<p>after</p>" for payload, _ in HIDDEN_LOADS),
    "<p>a &lt; b &#8212; text \\ only</p><img src=a.png>",
    '<a title="a>b &#47;&#47;x" href="#"><img alt="<" src="https&#58;//y/z.png">',  # a ">" and "<" inside values
])
def test_the_quick_page_scan_finds_what_parsing_every_tag_finds(page):
    assert sorted(html_loads(page)) == sorted(_all_html_loads(page))


@pytest.mark.parametrize(("payload", "url"), HIDDEN_LOADS)
def test_loads_are_judged_entity_decoded_and_resolved_as_a_browser_does(payload, url):
    loads = file_loads("a.html", f"<p>x</p>\n{payload}")
    assert [(load.line, load.url) for load in loads] == [(2, url)]


def test_references_into_asset_folders_are_found_by_folder_as_by_name():
    names = {"app.js", "site.css", "logo.png", "logo@2x.png"}
    page = ('<link href="../../assets/site.css?v=1"><script src="/assets/app.js"></script>'
            '<img srcset="assets/images/logo.png 1x, assets/images/logo@2x.png 2x" src=assets/images/logo.png>'
            '<a href="https://x.org/assets/app.js">x</a><p>assets/ in text, assets/site.css.txt</p>')
    by_name = [(r.start, r.end, r.url) for r in _ReferenceFinder(names).finditer(page)]
    by_folder = [(r.start, r.end, r.url) for r in _FolderReferenceFinder(names, ("assets",)).finditer(page)]
    assert by_folder == by_name and len(by_name) == 6


def test_hashed_name():
    assert hashed_name("assets/cloudpeds.css", b"x") == "assets/cloudpeds.2d711642b7.css"
    assert hashed_name("assets/vendor/hls.light.min.js", b"x") == "assets/vendor/hls.light.min.2d711642b7.js"
    assert hashed_name("assets/main.57a0d79d.min.css", b"x") == "assets/main.2d711642b7.min.css"
    assert is_hashed("main.57a0d79d.min.css") and not is_hashed("cloudpeds.css") and not is_hashed("a.png")


def test_fingerprint_renames_and_rewrites_every_reference(tmp_path):
    site = write(tmp_path / "site", SITE)
    renamed = fingerprint(site)
    assert set(renamed) == {"assets/site.css", "assets/base.css", "assets/app.js", "assets/favicon.svg",
                            "assets/images/logo.png", "assets/images/logo@2x.png", "assets/images/bg.png"}
    for old, new in renamed.items():
        assert not (site / old).exists() and (site / new).is_file() and is_hashed(new)
    # lazy.js is named in a script (loaded by a built URL), unused.png by nothing, main.css is hashed already.
    for kept in ("assets/lazy.js", "assets/images/unused.png", "assets/stylesheets/main.57a0d79d.min.css"):
        assert (site / kept).is_file()
    home = (site / "index.html").read_text()
    name = {old: new.rsplit("/", 1)[1] for old, new in renamed.items()}
    assert f'href="assets/{name["assets/site.css"]}"' in home
    one, two = name["assets/images/logo.png"], name["assets/images/logo@2x.png"]
    assert f'srcset="assets/images/{one} 1x, assets/images/{two} 2x"' in home
    assert 'src="assets/lazy.js"' in home and 'href="assets/site.css.txt"' in home
    chapter = (site / "manual/fever/index.html").read_text()
    assert f'href="../../assets/{name["assets/site.css"]}?v=1"' in chapter
    assert f'/assets/{name["assets/app.js"]}"' in (site / "404.html").read_text()
    css = (site / renamed["assets/site.css"]).read_text()
    assert f'@import "{name["assets/base.css"]}"' in css and f'url("images/{name["assets/images/logo.png"]}")' in css
    # A style sheet's hash covers the names it refers to: the bytes on disk give the name.
    base = renamed["assets/base.css"]
    assert hashed_name("assets/base.css", (site / base).read_bytes()) == base
    manifest = json.loads((site / "manifest.webmanifest").read_text())
    assert manifest["icons"][0]["src"] == renamed["assets/images/logo.png"]


def test_fingerprint_is_deterministic_and_follows_content(tmp_path):
    first = fingerprint(write(tmp_path / "a", SITE))
    assert fingerprint(write(tmp_path / "b", SITE)) == first
    changed = fingerprint(write(tmp_path / "c", {**SITE, "assets/images/bg.png": b"\x89PNG new bg"}))
    # bg.png changed, so base.css (which names it) and site.css (which imports base.css) change too.
    assert {old for old in first if first[old] != changed[old]} == {
        "assets/images/bg.png", "assets/base.css", "assets/site.css"}


# --- manifest, service worker selection, pipeline -----------------------------------------------------

def test_manifest_is_relative_and_needs_its_icons(tmp_path):
    data = json.loads(manifest_json(WebApp("云儿科 Cloudpeds", "云儿科")))
    assert data["start_url"] == data["scope"] == "./" and data["short_name"] == "云儿科"
    assert {icon["purpose"] for icon in data["icons"]} == {"any", "maskable"}
    with pytest.raises(ValueError, match=r"icon-192\.png"):
        write_manifest(tmp_path, WebApp("a", "b"))
    write(tmp_path, {src: b"png" for src, _, _ in ICONS})
    assert write_manifest(tmp_path, WebApp("a", "b")).name == "manifest.webmanifest"


def test_precache_selection_and_cache_name(tmp_path):
    site = write(tmp_path, {
        "index.html": "a", "manual/fever/index.html": "b", "assets/x.1234abcd.css": "c", "search/index.zh.js": "d",
        "media/k/poster.jpg": b"e", "media/k/master.m3u8": "f", "media/k/360p/seg_000.ts": b"g",
        "media/k/offline.mp4": b"h", "index.html.gz": b"i", "assets/javascripts/lunr/min/lunr.de.min.js": "j",
        "sw.js": "k", "_headers": "l", "manifest.webmanifest": "m", "assets/vendor/hls.light.min.1234abcd.js": "n",
        "guide/editors/index.html": "o", "en/guide/editors/index.html": "p",
    })
    # Not the posters (cached when shown) nor the editors' guide.
    assert precached_files(site) == ["assets/x.1234abcd.css", "index.html", "manifest.webmanifest",
                                     "manual/fever/index.html", "search/index.zh.js"]
    files = precached_files(site)
    name = cache_id("2026 edition/1", site, files)
    assert name.startswith("cloudpeds-2026-edition-1-") and len(name) == len("cloudpeds-2026-edition-1-") + 12
    (site / "index.html").write_text("changed")
    assert cache_id("2026 edition/1", site, files) != name
    assert safe_edition("") == "draft"


def test_the_precache_manifest_revisions_plain_names_and_trusts_hashed_ones():
    known = {"index.html": "ab" * 32, "assets/x.1234abcd.css": "cd" * 32}
    assert manifest_entries(["assets/x.1234abcd.css", "index.html"], known) == [
        {"url": "assets/x.1234abcd.css", "revision": None}, {"url": "index.html", "revision": "ab" * 16}]


def test_offline_profile_only_checks(tmp_path):
    site = write(tmp_path, {"index.html": '<script src="assets/app.js"></script>', "assets/app.js": "1"})
    report = finish_site(site, DeliveryOptions(profile="offline"))
    assert report.renamed == {} and report.csp is None
    assert sorted(p.name for p in site.iterdir()) == ["assets", "index.html"]


def test_inline_event_handlers_fail_the_cdn_profile(tmp_path):
    site = write(tmp_path, {"index.html": '<button onclick="go()">Go</button>'})
    options = DeliveryOptions(profile="cdn", service_worker=False)
    with pytest.raises(DeliveryError, match=r"index.html: line 1: inline event handler onclick= on <button>"):
        finish_site(site, options)


def test_cdn_profile_without_service_worker_writes_headers_and_copies(tmp_path):
    site = write(tmp_path, {"index.html": "<script>var a = 1;</script>" + "<p>发热</p>" * 400,
                            "assets/app.js": "x", "about/index.html": '<script src="../assets/app.js"></script>'})
    report = finish_site(site, DeliveryOptions(profile="cdn", service_worker=False))
    assert list(report.renamed) == ["assets/app.js"]
    assert "'sha256-" in report.csp and report.csp in (site / "_headers").read_text()
    assert (site / "index.html.gz").is_file() and (site / "index.html.br").is_file()


def test_missing_workbox_is_an_actionable_error(tmp_path):
    site = write(tmp_path / "site", {"index.html": "<p>x</p>", **{src: b"png" for src, _, _ in ICONS}})
    options = DeliveryOptions(profile="cdn", node_modules=tmp_path / "node_modules")
    with pytest.raises(DeliveryError, match=r"workbox-build not found in .*node_modules: run `npm ci`"):
        finish_site(site, options)


def test_precompress_cache_gives_the_same_bytes_and_survives_damage(tmp_path):
    from cloudpeds.delivery import precompress

    text = "发热的患儿先看危险征象。 a febrile child: check the danger signs first.\n" * 200
    plain = write(tmp_path / "plain", {"index.html": text, "assets/app.js": "var a = 1;\n" * 300})
    cached = write(tmp_path / "cached", {"index.html": text, "assets/app.js": "var a = 1;\n" * 300})
    cache = tmp_path / "cache"
    assert precompress(plain) == precompress(cached, cache_dir=cache)
    entries = sorted(p for p in cache.rglob("*") if p.is_file())
    assert len(entries) == 4 and not [p for p in entries if p.name.endswith(".tmp")]
    for entry in entries:
        entry.write_bytes(b"damaged")
    again = write(tmp_path / "again", {"index.html": text, "assets/app.js": "var a = 1;\n" * 300})
    precompress(again, cache_dir=cache)
    for rel in ("index.html.gz", "index.html.br", "assets/app.js.gz", "assets/app.js.br"):
        assert (again / rel).read_bytes() == (plain / rel).read_bytes() == (cached / rel).read_bytes()


def test_without_a_service_worker_a_retiring_one_replaces_an_earlier_deploys(tmp_path):
    site = write(tmp_path, {"index.html": "<p>x</p>"})
    finish_site(site, DeliveryOptions(profile="cdn", service_worker=False, precompress=False))
    sw = (site / "sw.js").read_text()
    assert "skipWaiting" in sw and "unregister" in sw and "caches.delete" in sw
    offline = write(tmp_path / "offline", {"index.html": "<p>x</p>"})
    finish_site(offline, DeliveryOptions(profile="offline"))
    assert not (offline / "sw.js").exists()
    finish_site(offline, DeliveryOptions(profile="offline", retire_service_worker=True))
    assert (offline / "sw.js").is_file()


def test_delivery_imports_only_the_stdlib_brotli_parallel_output_and_itself():
    import ast
    import sys

    import cloudpeds.delivery

    allowed = set(sys.stdlib_module_names) | {"brotli", "__future__"}
    offenders = []
    for path in Path(cloudpeds.delivery.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                # cloudpeds.parallel, cloudpeds.urls and cloudpeds.output: stdlib only
                if node.level > 1 and (node.level, node.module) not in ((2, "parallel"), (2, "urls"), (2, "output")):
                    offenders.append(f"{path.name}: from {'.' * node.level}{node.module or ''}")
                names = [node.module] if node.level == 0 and node.module else []
            else:
                continue
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] not in allowed]
    assert offenders == []


def test_workbox_runs_once_and_later_builds_fill_in_its_worker(tmp_path, monkeypatch):
    from cloudpeds.delivery import service_worker

    node_modules, cache = ROOT / "node_modules", tmp_path / "cache"
    site = write(tmp_path / "site", {"index.html": "a", "manual/fever/index.html": "b", "assets/x.1234abcd.css": "c"})
    first = service_worker.generate(site, node_modules, "2018", cache_dir=cache)
    worker = (site / "sw.js").read_text()
    assert first.files == 3 and first.cache_id in worker and service_worker.PLACEHOLDER_CACHE not in worker
    assert '{url:"manual/fever/index.html",revision:"' in worker
    assert '{url:"assets/x.1234abcd.css",revision:null}' in worker
    assert service_worker.PLACEHOLDER_URL not in worker and len(list(cache.iterdir())) == 1

    def no_node(*args, **kwargs):
        raise AssertionError("Workbox ran again")

    monkeypatch.setattr(service_worker.subprocess, "run", no_node)
    (site / "manual/fever/index.html").write_text("changed")
    second = service_worker.generate(site, node_modules, "2018", cache_dir=cache)
    assert second.cache_id != first.cache_id
    revision = hashlib.sha256(b"changed").hexdigest()[:32]
    assert f'{{url:"manual/fever/index.html",revision:"{revision}"}}' in (site / "sw.js").read_text()
    monkeypatch.undo()
    uncached = write(tmp_path / "again", {"index.html": "a", "manual/fever/index.html": "changed",
                                          "assets/x.1234abcd.css": "c"})
    service_worker.generate(uncached, node_modules, "2018")
    assert (uncached / "sw.js").read_text() == (site / "sw.js").read_text()
