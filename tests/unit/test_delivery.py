"""Delivery: the policy table, _headers, nginx config, precompression, offline bundle, tree diff."""

from __future__ import annotations

import gzip
import json
import os
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from cloudpeds.delivery import (
    RULES,
    csp_for_site,
    diff_trees,
    headers_for,
    precompress,
    render_headers,
    render_nginx_conf,
    rule_for,
    verify_bundle,
    write_bundle,
    write_headers_file,
)
from cloudpeds.delivery.bundle import HOW_TO_OPEN, MANIFEST
from cloudpeds.delivery.headers_file import site_urls
from cloudpeds.delivery.policy import (
    DAY,
    IMMUTABLE,
    REVALIDATE,
    SECURITY_HEADERS,
    csp_problems,
    inline_scripts,
    script_hash,
)

IMM, REV = IMMUTABLE, REVALIDATE
JS = "text/javascript; charset=utf-8"


@pytest.mark.parametrize(("path", "cache", "content_type", "cors"), [
    # content-hashed assets
    ("assets/stylesheets/main.57a0d79d.min.css", IMM, "text/css; charset=utf-8", False),
    ("assets/javascripts/bundle.a5f9d56c.min.js", IMM, JS, False),
    ("assets/javascripts/bundle.a5f9d56c.min.js.map", IMM, "application/json; charset=utf-8", False),
    ("assets/icons.0123abcdef.svg", IMM, "image/svg+xml", False),
    ("img/chart.89abcdef.png", IMM, "image/png", False),
    ("img/photo.89abcdef.webp", IMM, "image/webp", False),
    ("fonts/noto.deadbeef.woff2", IMM, "font/woff2", False),
    ("search/index.zh.0123abcd.js", IMM, JS, False),
    # fixed names that must stay fresh
    ("index.html", REV, "text/html; charset=utf-8", False),
    ("manual/fever/", REV, "text/html; charset=utf-8", False),
    ("/", REV, "text/html; charset=utf-8", False),
    ("404.html", REV, "text/html; charset=utf-8", False),
    ("sw.js", REV, JS, False),
    ("manifest.webmanifest", REV, "application/manifest+json; charset=utf-8", False),
    ("search/index.zh.js", REV, JS, False),
    ("search/index.en.js", REV, JS, False),
    ("assets/cloudpeds.css", REV, "text/css; charset=utf-8", False),
    ("assets/flowchart.js", REV, JS, False),
    ("assets/javascripts/lunr/min/lunr.stemmer.support.min.js", REV, JS, False),
    ("data/doses.json", REV, "application/json; charset=utf-8", False),
    ("sitemap.xml", REV, "application/xml; charset=utf-8", False),
    ("robots.txt", REV, "text/plain; charset=utf-8", False),
    ("offline/cloudpeds-2026.zip", REV, "application/zip", False),
    # media: CORS for hls.js and other hosts
    ("video/fever/master.m3u8", REV, "application/vnd.apple.mpegurl", True),
    ("video/fever/360p_000.ts", IMM, "video/mp2t", True),
    ("video/fever.mp4", IMM, "video/mp4", True),
    ("video/fever.zh.vtt", REV, "text/vtt; charset=utf-8", True),
    # unhashed images and fonts: a day
    ("assets/logo.svg", DAY, "image/svg+xml", False),
    ("assets/images/favicon.png", DAY, "image/png", False),
    ("favicon.ico", DAY, "image/x-icon", False),
    ("img/photo.webp", DAY, "image/webp", False),
    ("fonts/noto.woff2", DAY, "font/woff2", False),
    ("IMG/SCAN.PNG", DAY, "image/png", False),
    # not a content hash: too short, or not hex
    ("assets/app.0123abc.css", REV, "text/css; charset=utf-8", False),
    ("assets/app.abcdefgh.js", REV, JS, False),
    ("0123abcd/app.css", REV, "text/css; charset=utf-8", False),
    # unknown
    ("notes.unknown", REV, "application/octet-stream", False),
])
def test_every_file_type_gets_its_headers(path, cache, content_type, cors):
    headers = rule_for(path).headers()
    assert headers["Cache-Control"] == cache
    assert headers["Content-Type"] == content_type
    assert ("Access-Control-Allow-Origin" in headers) is cors
    if cors:
        assert headers["Access-Control-Allow-Origin"] == "*"


def test_the_table_covers_the_required_types_and_only_media_are_cors():
    mimes = {rule.mime for rule in RULES}
    assert {"text/html", "text/css", "text/javascript", "application/json", "image/svg+xml", "image/png",
            "image/webp", "image/x-icon", "font/woff2", "application/manifest+json",
            "application/vnd.apple.mpegurl", "video/mp2t", "video/mp4", "text/vtt", "application/zip"} <= mimes
    assert {rule.mime for rule in RULES if rule.cors} == {"application/vnd.apple.mpegurl", "video/mp2t",
                                                         "video/mp4", "text/vtt"}
    assert not any(rule.compress for rule in RULES if rule.mime.startswith(("image/png", "image/webp", "video/",
                                                                             "font/", "application/zip")))


def test_hashed_rows_come_before_the_plain_rows_of_their_type():
    names = [rule.name for rule in RULES]
    for kind in ("css", "js", "svg", "png", "webp", "woff2"):
        assert names.index(f"{kind}, hashed") < names.index(kind)


def test_headers_for_adds_security_headers_and_csp():
    headers = headers_for("index.html", "default-src 'self'")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Content-Security-Policy"] == "default-src 'self'"
    assert "Content-Security-Policy" not in headers_for("index.html")
    assert "Content-Security-Policy" not in headers_for("assets/x.css", "default-src 'self'")  # documents only
    assert headers_for("sw.js", "default-src 'self'")["Content-Security-Policy"] == "default-src 'self'"


# --- CSP ------------------------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head>
<script>__md_scope=new URL("..",location)</script>
<script id="__config" type="application/json">{"base": ".."}</script>
<script src="assets/app.js"></script>
<!-- <script>not run</script> -->
</head><body><script type="module">import "./x.js";</script>
<script>a &amp;&amp; b < c</script><SCRIPT data-x="a>b" TYPE="text/javascript">q()</SCRIPT ></body></html>
"""


def test_inline_scripts_are_the_runnable_ones_in_raw_text():
    assert inline_scripts(PAGE) == ['__md_scope=new URL("..",location)', 'import "./x.js";', "a &amp;&amp; b < c",
                                    "q()"]


def test_script_hash_matches_the_csp_spec_example_and_normalises_line_breaks():
    assert script_hash("alert('Hello, world.');") == "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    assert script_hash("a;\r\nb;\rc;") == script_hash("a;\nb;\nc;")


def test_csp_for_site_hashes_every_inline_script_once(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text(PAGE.replace('"..",', '".",'), encoding="utf-8")
    (tmp_path / "a" / "copy.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "app.js").write_text("<script>not html</script>", encoding="utf-8")
    csp = csp_for_site(tmp_path)
    directives = dict(part.split(" ", 1) for part in csp.split("; "))
    hashes = re.findall(r"'sha256-[A-Za-z0-9+/=]+'", directives["script-src"])
    assert len(hashes) == len(set(hashes)) == 5  # two scope variants, the module, the last two scripts
    assert script_hash('__md_scope=new URL("..",location)') in hashes
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["default-src"] == "'self'"
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["img-src"] == "'self' data:"
    assert directives["media-src"] == "'self' blob:"
    assert directives["worker-src"] == "'self' blob:"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"
    assert {"connect-src", "font-src", "base-uri"} <= directives.keys()
    assert "https://v.example.cn" in csp_for_site(tmp_path, ["https://v.example.cn"]).split("media-src")[1]


def test_csp_problems_names_markup_that_no_hash_can_allow(tmp_path):
    (tmp_path / "index.html").write_text('<p>\n<button onclick="go()">x</button><a href="javascript:void(0)">y</a>'
                                         '<script>var s = "<b onclick=x>";</script><!-- <i onload=y> -->',
                                         encoding="utf-8")
    assert csp_problems(tmp_path) == ["index.html: line 2: inline event handler onclick= on <button>",
                                      "index.html: line 2: javascript: URL in href= on <a>"]
    (tmp_path / "index.html").write_text('<a href="x"\n\tOnClick = "go()">x</a>\n<a HREF="JavaScript:void(0)">',
                                         encoding="utf-8")
    assert csp_problems(tmp_path) == ["index.html: line 1: inline event handler onclick= on <a>",
                                      "index.html: line 3: javascript: URL in href= on <a>"]
    (tmp_path / "index.html").write_text('<p class="x" data-component="on">based on = the json=1</p>', encoding="utf-8")
    assert csp_problems(tmp_path) == []


# --- a small built site ---------------------------------------------------------------------------------

TEXT = "临床手册 clinical manual text. " * 100  # ~3 KB, compressible


def make_site(root: Path) -> Path:
    files = {
        "index.html": f"<html><script>var a=1</script>{TEXT}</html>",
        "404.html": f"<html>not found {TEXT}</html>",
        "about/index.html": f"<html>about {TEXT}</html>",
        "manual/fever/index.html": f"<html>fever {TEXT}</html>",
        "assets/stylesheets/main.57a0d79d.min.css": "body{color:red}" * 200,
        "assets/javascripts/bundle.a5f9d56c.min.js": "var x=1;" * 400,
        "assets/cloudpeds.css": "p{margin:0}" * 200,
        "assets/flowchart.js": "var y=2;" * 400,
        "assets/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        "sw.js": "self.addEventListener('fetch',()=>{});",
        "manifest.webmanifest": '{"name": "云儿科"}',
        "search/index.zh.js": "var idx=" + "1," * 2000 + "0;",
        "video/fever/master.m3u8": "#EXTM3U\n" + "#EXT-X-STREAM-INF:BANDWIDTH=800000\n360p.m3u8\n" * 40,
        "video/fever/360p.m3u8": "#EXTM3U\n#EXTINF:4.0,\n360p_000.ts\n",
        "video/fever/fever.zh.vtt": "WEBVTT\n\n00:00.000 --> 00:04.000\n发热\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    binary = {"video/fever/360p_000.ts": 5000, "video/fever/fever.mp4": 6000, "assets/images/favicon.png": 3000,
              "fonts/noto.woff2": 3000}
    for rel, size in binary.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes((i * 7919 + size) % 251 for i in range(size)))
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


# --- _headers -------------------------------------------------------------------------------------------

def parse_headers_file(text: str) -> list[tuple[str, dict[str, str]]]:
    rules: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            rules.append((line, {}))
        else:
            name, value = line.strip().split(": ", 1)
            rules[-1][1][name] = value
    return rules


def host_headers(rules: list[tuple[str, dict[str, str]]], url: str) -> dict[str, str]:
    """What Netlify / Cloudflare send: every matching rule, repeated headers joined with ', '."""
    got: dict[str, list[str]] = {}
    for pattern, headers in rules:
        if re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), url):
            for name, value in headers.items():
                got.setdefault(name, []).append(value)
    return {name: ", ".join(values) for name, values in got.items()}


def test_headers_file_gives_every_url_exactly_the_table_headers(site):
    csp = csp_for_site(site)
    text = render_headers(site, csp)
    rules = parse_headers_file(text)
    urls = site_urls(site)
    assert "/about/" in urls and "/" in urls and "/video/fever/360p_000.ts" in urls
    for url, rel in urls.items():
        assert host_headers(rules, url) == headers_for(rel, csp), url
    patterns = dict(rules)
    assert patterns["/*"] == dict(SECURITY_HEADERS)  # the CSP goes with documents only
    assert host_headers(rules, "/about/")["Content-Security-Policy"] == csp
    assert "Content-Security-Policy" not in host_headers(rules, "/video/fever/360p_000.ts")
    assert patterns["/*.ts"] == {"Cache-Control": IMMUTABLE, "Content-Type": "video/mp2t",
                                 "Access-Control-Allow-Origin": "*"}
    assert patterns["/*.m3u8"]["Cache-Control"] == "no-cache"
    assert patterns["/sw.js"]["Cache-Control"] == "no-cache"
    assert patterns["/assets/stylesheets/*"]["Cache-Control"] == IMMUTABLE
    assert render_headers(site, csp) == text


def test_headers_file_ignores_precompressed_copies_and_writes_into_the_site(site):
    precompress(site, brotli=False)
    path = write_headers_file(site, "default-src 'self'")
    assert path == site / "_headers"
    assert ".gz" not in path.read_text(encoding="utf-8")
    assert render_headers(site, "default-src 'self'") == path.read_text(encoding="utf-8")


def test_headers_file_under_a_sub_path_and_its_limits(site):
    text = render_headers(site, "default-src 'self'", base_path="/peds/")
    assert all(pattern.startswith("/peds/") for pattern, _ in parse_headers_file(text))
    with pytest.raises(ValueError, match="limit of 3"):
        render_headers(site, "default-src 'self'", max_rules=3)
    with pytest.raises(ValueError, match="2000 characters"):
        render_headers(site, "script-src " + "x" * 2100)


# --- nginx ----------------------------------------------------------------------------------------------

def test_nginx_conf_has_a_location_per_rule_in_table_order():
    conf = render_nginx_conf("/srv/cloudpeds", csp="default-src 'self'")
    positions = [conf.index(f'location ~* "{rule.pattern}" {{') for rule in RULES]
    assert positions == sorted(positions)
    for rule in RULES:
        block = conf[conf.index(f'location ~* "{rule.pattern}" {{'):]
        block = block[: block.index("\n        }\n")]  # the nested location's closing brace
        assert f'default_type "{rule.content_type}";' in block
        assert f'add_header Cache-Control "{rule.cache_control}";' in block
        assert ('Access-Control-Allow-Origin "*"' in block) is rule.cors
        assert ('Vary "Accept-Encoding"' in block) is rule.compress
        assert "add_header X-Content-Type-Options \"nosniff\" always;" in block
        csp_line = "add_header Content-Security-Policy \"default-src 'self'\" always;"
        assert (csp_line in block) is (rule.name in ("html", "service worker")), rule.name
    assert 'root "/srv/cloudpeds";' in conf
    assert "gzip_static on;" in conf and "error_page 404 /404.html;" in conf


def test_nginx_brotli_modes():
    fallback = render_nginx_conf("/srv/site")
    module = render_nginx_conf("/srv/site", brotli="module")
    off = render_nginx_conf("/srv/site", brotli="off")
    assert "map $http_accept_encoding $cloudpeds_br_suffix" in fallback
    assert fallback.count("try_files $uri$cloudpeds_br_suffix $uri =404;") == sum(r.compress for r in RULES)
    assert "brotli_static" not in fallback
    assert "brotli_static on;" in module and "try_files" not in module and "map " not in module
    assert "brotli" not in off.split("\n", 3)[3] and "try_files" not in off and "gzip_static on;" in off
    with pytest.raises(ValueError):
        render_nginx_conf("/srv/site", brotli="yes")  # type: ignore[arg-type]


def test_private_nginx_conf_loads_the_installed_brotli_modules(tmp_path, monkeypatch):
    from cloudpeds.delivery import local_nginx

    monkeypatch.delenv("CLOUDPEDS_NGINX_BROTLI_MODULE", raising=False)
    assert local_nginx.brotli_modules(tmp_path) == ()
    (tmp_path / "ngx_http_brotli_filter_module.so").write_bytes(b"")
    assert local_nginx.brotli_modules(tmp_path) == ()  # brotli_static needs the static module
    (tmp_path / "ngx_http_brotli_static_module.so").write_bytes(b"")
    modules = local_nginx.brotli_modules(tmp_path)
    assert [Path(m).name for m in modules] == ["ngx_http_brotli_filter_module.so", "ngx_http_brotli_static_module.so"]
    conf = local_nginx._main_conf(tmp_path, modules)
    assert conf.index("load_module") < conf.index("events") and conf.count("load_module ") == 2


def test_nginx_sub_path_and_determinism():
    conf = render_nginx_conf("/srv/site/", base_path="peds", listen="127.0.0.1:8080")
    assert "location = /peds {" in conf and "return 301 /peds/;" in conf
    assert 'location ^~ /peds/ {' in conf and 'alias "/srv/site/";' in conf
    assert "error_page 404 /peds/404.html;" in conf and "listen 127.0.0.1:8080;" in conf
    assert conf == render_nginx_conf("/srv/site/", base_path="peds", listen="127.0.0.1:8080")


def test_nginx_refuses_a_dollar_in_a_header_value():
    with pytest.raises(ValueError):
        render_nginx_conf("/srv/site", csp="script-src $evil")


# --- precompression -------------------------------------------------------------------------------------

def test_precompress_writes_gz_and_br_for_large_text_only(site):
    brotli = pytest.importorskip("brotli")
    written = precompress(site)
    assert "index.html.gz" in written and "index.html.br" in written
    assert "assets/stylesheets/main.57a0d79d.min.css.br" in written
    assert "video/fever/master.m3u8.gz" in written
    for small in ("sw.js", "manifest.webmanifest", "assets/logo.svg", "video/fever/fever.zh.vtt"):
        assert not (site / f"{small}.gz").exists(), small
    for packed in ("video/fever/fever.mp4", "video/fever/360p_000.ts", "assets/images/favicon.png",
                   "fonts/noto.woff2"):
        assert not (site / f"{packed}.gz").exists() and not (site / f"{packed}.br").exists(), packed
    original = (site / "index.html").read_bytes()
    gz = (site / "index.html.gz").read_bytes()
    assert gzip.decompress(gz) == original and gz[4:8] == b"\0\0\0\0" and not gz[3] & 0x08  # mtime 0, no name
    assert brotli.decompress((site / "index.html.br").read_bytes()) == original


def test_precompress_is_deterministic_and_idempotent(tmp_path):
    pytest.importorskip("brotli")
    a, b = make_site(tmp_path / "a"), make_site(tmp_path / "b")
    precompress(a)
    os.utime(b / "index.html", (0, 0))  # timestamps must not matter
    assert precompress(b, jobs=2) == precompress(make_site(tmp_path / "c"))  # two processes: the same copies
    assert diff_trees(a, b) == [] and diff_trees(a, tmp_path / "c") == []
    before = {p: p.read_bytes() for p in a.rglob("*") if p.is_file()}
    precompress(a)
    assert {p: p.read_bytes() for p in a.rglob("*") if p.is_file()} == before


def test_precompress_skips_copies_that_do_not_shrink_and_removes_stale_ones(site):
    (site / "noise.js").write_bytes(os.urandom(4096))
    precompress(site, brotli=False)
    assert not (site / "noise.js.gz").exists()
    assert (site / "assets/flowchart.js.gz").exists()
    (site / "assets/flowchart.js").write_text("var z;", encoding="utf-8")  # now below the threshold
    small_ok = site / "sitemap.xml"
    small_ok.write_text("<urlset/>", encoding="utf-8")
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(b"<urlset/>", mtime=1_700_000_000))  # as MkDocs does
    written = precompress(site, brotli=False)
    assert not (site / "assets/flowchart.js.gz").exists()  # stale: would serve the old script
    assert "sitemap.xml.gz" in written  # same content: kept, with reproducible bytes (no timestamp)
    assert (site / "sitemap.xml.gz").read_bytes() == gzip.compress(b"<urlset/>", compresslevel=9, mtime=0)


# --- offline bundle -------------------------------------------------------------------------------------

def rewrite_zip(src: Path, dst: Path, *, drop: str = "", add: dict[str, bytes] | None = None,
                change: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            if info.filename != drop:
                new.writestr(info, (change or {}).get(info.filename, old.read(info)))
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return dst


def test_bundle_is_reproducible_and_complete(site, tmp_path):
    pytest.importorskip("brotli")
    precompress(site)
    write_headers_file(site, "default-src 'self'")
    first = write_bundle(site, tmp_path / "one.zip", "2026.11", date(2026, 11, 25))
    for path in site.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
        path.chmod(0o600 if path.is_file() else 0o700)
    second = write_bundle(site, tmp_path / "two.zip", "2026.11", "2026-11-25")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert HOW_TO_OPEN in names and MANIFEST in names and "index.html" in names
        assert not [n for n in names if n.endswith((".gz", ".br")) or n == "_headers"]
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 25, 0, 0, 0)}
        assert {info.external_attr >> 16 for info in archive.infolist()} == {0o100644}
        assert archive.getinfo("video/fever/fever.mp4").compress_type == zipfile.ZIP_STORED
        assert archive.getinfo("index.html").compress_type == zipfile.ZIP_DEFLATED
        manifest = json.loads(archive.read(MANIFEST))
        page = archive.read(HOW_TO_OPEN).decode("utf-8")
        assert archive.read("index.html") == (site / "index.html").read_bytes()
    assert manifest["edition"] == "2026.11" and manifest["build_date"] == "2026-11-25"
    assert manifest["file_count"] == len(manifest["files"]) == len(names) - 1
    assert {entry["path"] for entry in manifest["files"]} == set(names) - {MANIFEST}
    assert all(re.fullmatch("[0-9a-f]{64}", entry["sha256"]) for entry in manifest["files"])
    assert 'href="index.html"' in page and "解压" in page and "Unzip" in page and "without a network" in page
    assert "<script" not in page
    assert verify_bundle(first) == []


def test_verify_names_altered_missing_and_extra_files(site, tmp_path):
    bundle = write_bundle(site, tmp_path / "b.zip", "2026.11", date(2026, 11, 25))
    changed = rewrite_zip(bundle, tmp_path / "changed.zip", change={"about/index.html": b"<html>edited</html>"})
    assert verify_bundle(changed) == ["altered: about/index.html"]
    removed = rewrite_zip(bundle, tmp_path / "removed.zip", drop="search/index.zh.js")
    assert verify_bundle(removed) == ["missing: search/index.zh.js"]
    added = rewrite_zip(bundle, tmp_path / "added.zip", add={"extra/evil.js": b"alert(1)"})
    assert verify_bundle(added) == ["extra: extra/evil.js"]
    no_manifest = rewrite_zip(bundle, tmp_path / "nomanifest.zip", drop=MANIFEST)
    assert verify_bundle(no_manifest) == [f"missing: {MANIFEST}"]


def test_verify_catches_one_flipped_byte_in_the_zip(site, tmp_path):
    bundle = write_bundle(site, tmp_path / "b.zip", "2026.11", date(2026, 11, 25))
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo("video/fever/fever.mp4")  # stored: its bytes are in the zip as they are
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 100] ^= 0x01
    flipped = tmp_path / "flipped.zip"
    flipped.write_bytes(bytes(data))
    problems = verify_bundle(flipped)
    assert len(problems) == 1 and problems[0].startswith("altered: video/fever/fever.mp4")


def test_bundle_needs_a_built_site(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "page.html").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match=r"index\.html"):
        write_bundle(tmp_path / "site", tmp_path / "b.zip", "x", date(2026, 1, 1))
    assert verify_bundle(tmp_path / "site" / "page.html")[0].endswith("(File is not a zip file)")


# --- reproducibility ------------------------------------------------------------------------------------

def test_diff_trees(tmp_path):
    a, b = make_site(tmp_path / "a"), make_site(tmp_path / "b")
    assert diff_trees(a, b) == []
    (b / "about" / "index.html").write_bytes((a / "about" / "index.html").read_bytes().replace(b"about", b"abouT"))
    (a / "only-a.txt").write_text("a", encoding="utf-8")
    (b / "assets" / "only-b.css").write_text("b", encoding="utf-8")
    (b / "empty-folder").mkdir()
    assert diff_trees(a, b) == ["about/index.html", "assets/only-b.css", "only-a.txt"]


def test_the_shipped_nginx_example_is_what_the_generator_writes():
    from pathlib import Path

    from cloudpeds.delivery.nginx_conf import render_nginx_conf

    example = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "cloudpeds.conf"
    assert example.read_text(encoding="utf-8") == render_nginx_conf("/var/www/cloudpeds"), \
        "regenerate it: .venv/bin/cloudpeds nginx-config > deploy/nginx/cloudpeds.conf"
