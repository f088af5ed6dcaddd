"""Real nginx with the generated configuration: headers per file type, byte ranges, precompressed copies.

Each configuration (brotli fallback at the root and under a sub-path; the brotli module when Debian's
libnginx-mod-http-brotli-static is installed) runs a non-daemon nginx on a free 127.0.0.1 port in a
temporary prefix, serving a small fake site.
"""

from __future__ import annotations

import gzip
import shutil
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.error import HTTPError

import pytest

from cloudpeds.delivery import csp_for_site, precompress, rule_for
from cloudpeds.delivery.local_nginx import brotli_modules, serve
from cloudpeds.delivery.policy import script_hash, sends_csp

from ..conftest import write_files

try:
    import brotli
except ImportError:  # pragma: no cover - brotli is a project dependency
    brotli = None

NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
BROTLI_MODULES = brotli_modules()

pytestmark = pytest.mark.skipif(NGINX is None, reason="needs nginx (Debian package nginx)")

needs_brotli = pytest.mark.skipif(brotli is None, reason="needs the brotli package")

TEXT = "发热的患儿 — a febrile child: check the danger signs first. " * 60
MP4 = bytes((i * 7919) % 256 for i in range(300_000))

SITE: dict[str, str | bytes] = {
    "index.html": f"<!doctype html><html><head><script>var scope='.';</script></head><body>{TEXT}</body></html>",
    "404.html": f"<!doctype html><html><body>找不到 Not found. {TEXT}</body></html>",
    "about/index.html": f"<!doctype html><html><body>About {TEXT}</body></html>",
    "assets/stylesheets/main.57a0d79d.min.css": "body{font-family:system-ui}.md-typeset{color:#222}" * 60,
    "assets/javascripts/bundle.a5f9d56c.min.js": "var bundle=function(a){return a*2};" * 80,
    "assets/cloudpeds.css": ".cp-sign{border-left:4px solid red}" * 60,
    "assets/flowchart.js": "document.querySelectorAll('.cp-fc').forEach(function(f){});" * 40,
    "assets/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/>",
    "assets/images/favicon.png": bytes(range(256)) * 4,
    "sw.js": "self.addEventListener('fetch', function () {});",
    "manifest.webmanifest": '{"name": "云儿科 Cloudpeds", "start_url": "./"}',
    "search/index.zh.js": "var cpIndex=" + "[1,2,3]," * 300 + "0;",
    "video/fever/master.m3u8": "#EXTM3U\n" + "#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360\n360p.m3u8\n" * 30,
    "video/fever/360p.m3u8": "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\n360p_000.ts\n#EXT-X-ENDLIST\n",
    "video/fever/360p_000.ts": bytes([0x47]) + bytes(187) + bytes(i % 251 for i in range(188 * 40)),
    "video/fever/fever.mp4": MP4,
    "video/fever/fever.zh.vtt": "WEBVTT\n\n00:00.000 --> 00:04.000\n先看危险征象\n",
}
COMPRESSED = ["index.html", "about/index.html", "assets/stylesheets/main.57a0d79d.min.css",
              "assets/javascripts/bundle.a5f9d56c.min.js", "search/index.zh.js", "video/fever/master.m3u8"]


def write_site(root: Path) -> Path:
    return write_files(root, SITE)


def original(rel: str) -> bytes:
    content = SITE[rel]
    return content if isinstance(content, bytes) else content.encode("utf-8")


@dataclass
class Server:
    origin: str  # http://127.0.0.1:PORT
    base: str  # "/" or "/peds/"
    site: Path
    csp: str
    mode: str

    def url(self, rel: str) -> str:
        return self.origin + self.base + rel


MODES = [
    pytest.param(("fallback", "/"), id="br-fallback"),
    pytest.param(("fallback", "/peds/"), id="br-fallback-subpath"),
    pytest.param(("module", "/"), id="br-module", marks=pytest.mark.skipif(
        not BROTLI_MODULES, reason="brotli module not installed (libnginx-mod-http-brotli-static)")),
]


@pytest.fixture(scope="module", params=MODES)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    mode, base = request.param
    root = tmp_path_factory.mktemp("nginx")
    site = write_site(root / "site")
    precompress(site, brotli=brotli is not None)
    csp = csp_for_site(site)
    with serve(site, root / "prefix", base_path=base, csp=csp, brotli=mode,
               load_module=BROTLI_MODULES if mode == "module" else None) as nginx:
        yield Server(nginx.origin, base, site, csp, mode)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def fetch(url: str, **headers: str) -> tuple[int, Message, bytes]:
    """(status, headers, raw body) without following redirects or decoding."""
    request = urllib.request.Request(url, headers={k.replace("_", "-"): v for k, v in headers.items()})
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except HTTPError as error:
        return error.code, error.headers, error.read()


def decode(headers: Message, body: bytes) -> bytes:
    encoding = headers.get("Content-Encoding")
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        assert brotli is not None
        return brotli.decompress(body)
    assert encoding is None, encoding
    return body


@pytest.mark.parametrize("rel", sorted(SITE))
def test_headers_per_file_type(server, rel):
    rule = rule_for(rel)
    status, headers, body = fetch(server.url(rel), Origin="https://other.example")
    assert status == 200
    assert body == original(rel)
    assert headers["Cache-Control"] == rule.cache_control
    assert headers["Content-Type"] == rule.content_type
    assert headers.get("Access-Control-Allow-Origin") == ("*" if rule.cors else None)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers.get("Content-Security-Policy") == (server.csp if sends_csp(rule) else None)  # documents only
    assert headers.get_all("Cache-Control") == [rule.cache_control]  # set once, never merged


def test_the_table_says_what_the_site_needs(server):
    assert rule_for("assets/stylesheets/main.57a0d79d.min.css").cache_control == "public, max-age=31536000, immutable"
    assert rule_for("video/fever/360p_000.ts").mime == "video/mp2t"
    assert rule_for("manifest.webmanifest").mime == "application/manifest+json"
    assert "'sha256-" in server.csp  # the inline script of index.html


def test_folder_urls_redirects_and_404(server):
    status, headers, body = fetch(server.url("about/"))
    assert status == 200 and body == original("about/index.html")
    assert headers["Cache-Control"] == "no-cache" and headers["Content-Type"] == "text/html; charset=utf-8"
    status, headers, _ = fetch(server.url("about"))
    assert status == 301 and headers["Location"] == server.base + "about/"
    for encoding in ("identity", "gzip", "br"):
        status, headers, body = fetch(server.url("no/such/page/"), Accept_Encoding=encoding)
        assert status == 404 and headers["Content-Type"] == "text/html; charset=utf-8"
        if encoding == "br" and brotli is None:
            continue
        assert decode(headers, body) == original("404.html")
        assert headers["Content-Security-Policy"] == server.csp


def test_sub_path(server):
    if server.base == "/":
        pytest.skip("served at the root")
    status, headers, _ = fetch(server.origin + server.base.rstrip("/"))
    assert status == 301 and headers["Location"] == server.base
    assert fetch(server.origin + "/index.html")[0] == 404


def test_mp4_byte_ranges(server):
    url = server.url("video/fever/fever.mp4")
    status, headers, body = fetch(url, Range="bytes=1000-1999", Origin="https://other.example")
    assert status == 206
    assert headers["Content-Range"] == f"bytes 1000-1999/{len(MP4)}"
    assert body == MP4[1000:2000]
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    status, headers, body = fetch(url, Range="bytes=-10")
    assert status == 206 and body == MP4[-10:]
    status, headers, _ = fetch(url, Range=f"bytes={len(MP4)}-")
    assert status == 416
    status, headers, body = fetch(url, Accept_Encoding="gzip, br")
    assert status == 200 and "Content-Encoding" not in headers and body == MP4


@pytest.mark.parametrize("rel", COMPRESSED)
def test_gzip_copy_served_when_asked(server, rel):
    status, headers, body = fetch(server.url(rel), Accept_Encoding="gzip")
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == original(rel)
    assert headers["Content-Type"] == rule_for(rel).content_type
    assert headers.get_all("Vary") == ["Accept-Encoding"]
    status, headers, body = fetch(server.url(rel))  # urllib asks for identity
    assert "Content-Encoding" not in headers and body == original(rel)


@needs_brotli
@pytest.mark.parametrize("rel", COMPRESSED)
def test_brotli_copy_served_when_asked(server, rel):
    for accept in ("br", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8"):
        status, headers, body = fetch(server.url(rel), Accept_Encoding=accept)
        assert status == 200 and headers["Content-Encoding"] == "br", accept
        assert brotli.decompress(body) == original(rel)
        assert headers["Content-Type"] == rule_for(rel).content_type
        assert headers["Cache-Control"] == rule_for(rel).cache_control
        assert headers.get_all("Content-Encoding") == ["br"] and headers.get_all("Vary") == ["Accept-Encoding"]


@needs_brotli
def test_brotli_for_folder_urls_and_refusals(server):
    _, headers, body = fetch(server.url("about/"), Accept_Encoding="br")
    assert headers["Content-Encoding"] == "br" and brotli.decompress(body) == original("about/index.html")
    _, headers, body = fetch(server.url("index.html"), Accept_Encoding="br;q=0, gzip")
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == original("index.html")
    for rel in ("sw.js", "assets/images/favicon.png"):  # too small for copies; already compressed
        _, headers, body = fetch(server.url(rel), Accept_Encoding="br, gzip")
        assert "Content-Encoding" not in headers and body == original(rel)


def test_a_releases_folder_just_works(tmp_path):
    """nginx-config --site releases/: every edition's inline scripts in the CSP, a 404 at the root that links
    to the latest edition under the base path, and the latest alias served."""
    releases = tmp_path / "releases"
    for version, script in (("2018", "var a = 1;"), ("2019", "var b = 2;")):
        write_files(releases / version, {"index.html": f"<!doctype html><p>{version}</p><script>{script}</script>",
                                         "404.html": "<!doctype html><p>gone</p>"})
    write_files(releases, {"versions.json": "[]", "index.html": "<!doctype html><p>index</p>"})
    (releases / "latest").symlink_to("2019")
    csp = csp_for_site(releases)
    with serve(releases, tmp_path / "prefix", base_path="/manual/", csp=csp) as nginx:
        status, headers, body = fetch(nginx.url("no/such/page/"))
        assert status == 404 and b'href="/manual/latest/"' in body and "Page not found" in body.decode()
        status, headers, body = fetch(nginx.url("latest/"))
        assert status == 200 and b"2019" in body
        for script in ("var a = 1;", "var b = 2;"):
            assert script_hash(script) in headers["Content-Security-Policy"]
