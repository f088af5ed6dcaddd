"""The "nothing from other hosts" check: every URL of another host that a built page would LOAD.

In mainland China a request to Google, unpkg or jsDelivr hangs or fails, and closed hospital networks
reach no host at all, so a page that loads anything from elsewhere is broken there. Links are fine: an
``<a href="https://…">`` is only followed when the reader taps it.

What counts as a load:

- HTML (and SVG): ``<script src>``; ``<link href>`` with a rel that fetches (stylesheet, preload,
  modulepreload, prefetch, preconnect, dns-prefetch, icon, apple-touch-icon, mask-icon, manifest);
  ``src``/``srcset`` of img, source, iframe, frame, video, audio, track, embed, input; ``poster``;
  ``<object data>``; SVG ``<image>``/``<use>`` ``href``; ``<meta http-equiv=refresh>``; CSS in
  ``<style>`` and ``style=""``; the code of inline ``<script>`` elements (as JS, below).
- CSS: ``url(…)`` (not ``data:``) and ``@import``.
- JS: an absolute URL written as a string literal and passed to ``fetch``, ``import()``,
  ``importScripts``, ``new Worker``/``SharedWorker``/``EventSource``/``WebSocket``, ``sendBeacon``,
  ``XMLHttpRequest.open`` or assigned to ``.src``/``.href`` — and, whatever the call, any absolute URL
  of a public CDN (unpkg, jsDelivr, cdnjs, Google's font and library hosts, polyfill.io) or of a
  script, style sheet or font. Comments in minified code and URLs merely mentioned (licences, error
  help, XML namespaces) do not count. A URL built at run time from variables cannot be seen; those in
  third-party code are listed in `DORMANT` with the condition under which they would load.

Only URLs that reach another host are reported; hosts in ``allowed_hosts`` (a video CDN, say) are not. The
page is judged as a browser reads it: attribute values are entity-decoded (``https&#58;//``, ``&#104;ttps://``,
``url(https:&#x2F;&#x2F;…)`` in a style), CSS escapes in ``url()`` are decoded, and the URL is resolved as the
browser's URL parser does (`cloudpeds.urls`: ``https:/\\host``, ``\\\\host\\``, tabs and newlines removed). Also
counted: ``<a ping>``/``<area ping>`` (a request on every click), ``<base href>`` (every relative URL of the page,
scripts included, would load from there) and the legacy ``background=`` attribute.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..parallel import map_chunked
from ..urls import host as url_host
from .files import ScanMemo, served_files

#: Absolute URLs found in third-party code that no cloudpeds page loads, and why. Each stays allowed
#: only while its condition holds; `dormant_problems` checks the conditions that a build can check.
DORMANT: dict[str, str] = {
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js":
        "Material loads Mermaid only for `.mermaid` diagrams; cloudpeds draws flowcharts as SVG at build time "
        "(the check fails on any page with a .mermaid element)",
    "https://unpkg.com/resize-observer-polyfill":
        "Material loads this polyfill only in browsers without ResizeObserver (Chrome < 64, Safari < 13.1, "
        "old Android WebViews); there the page works without it",
}

CDN_HOSTS = ("unpkg.com", "cdn.jsdelivr.net", "fastly.jsdelivr.net", "cdnjs.cloudflare.com",
             "fonts.googleapis.com", "fonts.gstatic.com", "ajax.googleapis.com", "polyfill.io",
             "cdn.bootcdn.net", "lib.baomitu.com", "code.jquery.com", "stackpath.bootstrapcdn.com",
             "maxcdn.bootstrapcdn.com", "use.fontawesome.com", "kit.fontawesome.com")

_LOADING_RELS = frozenset({"stylesheet", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch",
                           "icon", "shortcut", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon",
                           "manifest", "prerender"})
_SRC_TAGS = frozenset({"script", "img", "source", "iframe", "frame", "video", "audio", "track", "embed", "input"})
#: Where a URL that reaches another host may hide without a literal "//": a backslash (a slash to the URL
#: parser), a character reference to a slash, backslash, tab or line break, or a slash before a tab or line
#: break (the URL parser removes those). With "//", what the quick page scan looks at (`html_loads`).
_HIDDEN_URL = re.compile(r"//|\\|/[\t\n\r]|&(?:sol|bsol|Tab|NewLine);"
                         r"|&#(?:0*(?:47|92|9|10|13)(?![0-9])|[xX]0*(?:2[fF]|5[cC]|[9aAdD])(?![0-9a-fA-F]))")

_ATTRS = r"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)"
# A comment, a script or style element with its text, or any other start tag.
_HTML = re.compile(rf"<!--.*?-->|<(script|style)\b{_ATTRS}>(.*?)</\1\s*>|<([a-zA-Z][\w:-]*)\b{_ATTRS}>",
                   re.IGNORECASE | re.DOTALL)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|((?:[^)"'\s\\]|\\[0-9a-fA-F]{1,6}\s?|\\.)*))\s*\)"""
                      r"""|@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})\s?|(.))", re.DOTALL)

# A string literal holding an absolute URL (template literals up to their first ${…}).
_JS_LITERAL = re.compile(r"""(["'`])((?:https?:)?//[^\s"'`<>\\$]+)""")
_JS_CALL_BEFORE = re.compile(
    r"""(?:\bfetch|\bimport|\bimportScripts|\bnew\s+(?:Worker|SharedWorker|EventSource|WebSocket)|\bsendBeacon"""
    r"""|\.open\s*\(\s*["'][A-Za-z]+["']\s*,|\.(?:src|href)\s*=|\.setAttribute\(\s*["'](?:src|href)["']\s*,)"""
    r"""\s*\(?\s*$""")
_LOADED_SUFFIX = re.compile(r"\.(?:m?js|css|woff2?|ttf|otf|eot)(?:[?#].*)?$", re.IGNORECASE)
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class ExternalLoad:
    """One URL of another host that a file of the built site would load."""

    file: str  # relative to the site
    line: int
    url: str
    what: str  # e.g. "<script src>", "CSS url()", "fetch() in JS"

    def format(self) -> str:
        return f"{self.file}:{self.line}: loads {self.url} ({self.what}) from another host"


def _host(url: str) -> str | None:
    """The host a URL reaches as the browser resolves it (``https:/\\x``, ``//x``), None for this host."""
    return url_host(url)


def _css_unescaped(value: str) -> str:
    """A CSS token's text with its escapes (``\\2f``, ``\\/``) decoded."""
    if "\\" not in value:
        return value

    def one(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return match.group(2)
    return _CSS_ESCAPE.sub(one, value)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _attributes(text: str) -> dict[str, str]:
    """A start tag's attributes with entity-decoded values (the first of a repeated name wins, as in browsers)."""
    found: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        value = m.group(2) or m.group(3) or m.group(4) or ""
        found.setdefault(m.group(1).lower(), html_lib.unescape(value) if "&" in value else value)
    return found


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def css_loads(css: str) -> Iterator[tuple[int, str, str]]:
    """(offset, URL, what) for every absolute URL a style sheet loads."""
    for match in _CSS_URL.finditer(_CSS_COMMENT.sub(lambda m: " " * len(m.group(0)), css)):
        url = _css_unescaped(next((group for group in match.groups() if group is not None), ""))
        if _host(url):
            yield match.start(), url, "CSS @import" if match.group(0).startswith("@") else "CSS url()"


def js_loads(js: str) -> Iterator[tuple[int, str, str]]:
    """(offset, URL, what) for every absolute URL that a script visibly loads (see the module docstring)."""
    for match in _JS_LITERAL.finditer(js):
        url = match.group(2)
        host = _host(url)
        if not host:
            continue
        before = js[max(0, match.start() - 80):match.start()]
        call = _JS_CALL_BEFORE.search(before)
        if call:
            yield match.start(), url, f"{call.group(0).strip(' (')} in JS"
        elif host in CDN_HOSTS or host.endswith(tuple("." + h for h in CDN_HOSTS)):
            yield match.start(), url, "public CDN URL in JS"
        elif _LOADED_SUFFIX.search(url):
            yield match.start(), url, "script/style/font URL in JS"


# Comments, and script and style elements with their text: what `html_loads` must see whole.
_SPECIAL = re.compile(rf"<!--.*?-->|<(script|style)\b{_ATTRS}>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_START_TAG = re.compile(rf"<([a-zA-Z][\w:-]*)\b{_ATTRS}>")


def html_loads(html: str) -> Iterator[tuple[int, str, str]]:
    """(offset, URL, what) for every absolute URL that a page (or an SVG file) loads.

    Every load needs ``//`` in its URL, or a backslash, a character reference or a slash before a tab or line
    break that a browser turns into one (`_HIDDEN_URL`), so only the tags around those are parsed, besides
    comments, scripts and styles (a 500-chapter manual's pages hold hundreds of thousands of tags, almost none
    with any of them). Where that shortcut cannot place one in a tag, the whole page is parsed instead
    (`_all_html_loads`); both give the same loads."""
    if not any(needle in html for needle in _NEEDLES) and not _SLASH_GAP.search(html):
        return iter(())
    found: list[tuple[int, str, str]] = []
    outside: list[tuple[int, int]] = []  # the page between comments, scripts and styles
    at = 0
    for match in _SPECIAL.finditer(html):
        outside.append((at, match.start()))
        at = match.end()
        if match.group(1):
            found += _element_loads(match.start(), match.group(1), match.group(2), match.start(3), match.group(3))
    outside.append((at, len(html)))
    parsed_until = 0
    for at in _candidates(html, outside):
        if at < parsed_until:
            continue  # inside the tag parsed last
        start = html.rfind("<", 0, at)
        tag = _START_TAG.match(html, start) if start >= 0 else None
        if (tag is None or tag.end() <= at) and html.rfind(">", 0, at) < start:
            return iter(_all_html_loads(html))  # a candidate we cannot place: parse everything
        if tag is not None and tag.end() > at:
            element, attrs = tag.group(1).lower(), _attributes(tag.group(2))
            found += ((start, url, what) for url, what in _tag_loads(element, attrs))
            parsed_until = tag.end()
    return iter(sorted(found))


#: Literal strings that start a `_HIDDEN_URL` ("&" is checked with the pattern where it is found); a slash
#: before a tab or line break is found by `_SLASH_GAP` (one pattern: three ``str.find`` cost five times more).
_NEEDLES = ("//", "\\", "&")
_SLASH_GAP = re.compile(r"/[\t\n\r]")


def _candidates(html: str, regions: list[tuple[int, int]]) -> list[int]:
    """The offsets, in order, where a `_HIDDEN_URL` starts inside ``regions``; ``str.find`` for the literal
    strings (several times faster than one regular expression over a whole page)."""
    hits: list[int] = []
    for start, end in regions:
        before = len(hits)
        for needle in _NEEDLES:
            at = html.find(needle, start, end)
            while at != -1:
                if needle != "&" or _HIDDEN_URL.match(html, at, end):
                    hits.append(at)
                at = html.find(needle, at + 1, end)
        hits += (match.start() for match in _SLASH_GAP.finditer(html, start, end))
        hits[before:] = sorted(hits[before:])
    return hits


def _element_loads(start: int, name: str, attributes: str, body_start: int, body: str) -> list[tuple[int, str, str]]:
    """The loads of a ``<script>`` or ``<style>`` element: of its text, then of its start tag."""
    element, attrs = name.lower(), _attributes(attributes)
    found: list[tuple[int, str, str]] = []
    if element == "style":
        found += ((body_start + offset, url, f"{what} in <style>") for offset, url, what in css_loads(body))
    elif attrs.get("type", "").strip().lower() in ("", "module", "text/javascript", "application/javascript"):
        found += ((body_start + offset, url, f"{what} (inline <script>)") for offset, url, what in js_loads(body))
    found += ((start, url, what) for url, what in _tag_loads(element, attrs))
    return found


def _all_html_loads(html: str) -> Iterator[tuple[int, str, str]]:
    """`html_loads` by parsing every tag of the page."""
    for match in _HTML.finditer(html):
        if match.group(0).startswith("<!--"):
            continue
        if match.group(1):  # <script> or <style> with its text
            element, attrs = match.group(1).lower(), _attributes(match.group(2))
            body_start = match.start(3)
            if element == "style":
                for offset, url, what in css_loads(match.group(3)):
                    yield body_start + offset, url, f"{what} in <style>"
            elif attrs.get("type", "").strip().lower() in ("", "module", "text/javascript", "application/javascript"):
                for offset, url, what in js_loads(match.group(3)):
                    yield body_start + offset, url, f"{what} (inline <script>)"
        elif not _HIDDEN_URL.search(match.group(5)):
            continue  # no URL in the tag can reach another host (most tags): nothing to parse
        else:
            element, attrs = match.group(4).lower(), _attributes(match.group(5))
        yield from ((match.start(), url, what) for url, what in _tag_loads(element, attrs))


def _tag_loads(element: str, attrs: dict[str, str]) -> Iterator[tuple[str, str]]:
    candidates: list[tuple[str, str]] = []
    if element in _SRC_TAGS and "src" in attrs:
        candidates.append((attrs["src"], f"<{element} src>"))
    if "srcset" in attrs and element in ("img", "source"):
        candidates += [(url, f"<{element} srcset>") for url in _srcset_urls(attrs["srcset"])]
    if "imagesrcset" in attrs and element == "link":
        candidates += [(url, "<link imagesrcset>") for url in _srcset_urls(attrs["imagesrcset"])]
    if "ping" in attrs and element in ("a", "area"):
        candidates += [(url, f"<{element} ping>") for url in attrs["ping"].split()]
    if element == "base" and "href" in attrs:
        candidates.append((attrs["href"], "<base href>: every relative URL of the page"))
    if "background" in attrs:
        candidates.append((attrs["background"], f"<{element} background>"))
    if element == "video" and "poster" in attrs:
        candidates.append((attrs["poster"], "<video poster>"))
    if element == "object" and "data" in attrs:
        candidates.append((attrs["data"], "<object data>"))
    if element == "link" and "href" in attrs:
        rels = set(attrs.get("rel", "").lower().split())
        if rels & _LOADING_RELS:
            candidates.append((attrs["href"], f"<link rel={attrs.get('rel', '').strip()}>"))
    if element in ("image", "use", "feimage"):
        for name in ("href", "xlink:href"):
            if name in attrs:
                candidates.append((attrs[name], f"<{element} {name}>"))
    if element == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
        refresh = _REFRESH_URL.search(attrs.get("content", ""))
        if refresh:
            candidates.append((refresh.group(1), "<meta http-equiv=refresh>"))
    for url, what in candidates:
        if _host(url):
            yield url, what
    if "style" in attrs:
        for _, url, what in css_loads(attrs["style"]):
            yield url, f"{what} in style=\"\""


_SCANNERS = {".html": html_loads, ".htm": html_loads, ".svg": html_loads, ".css": css_loads, ".js": js_loads,
             ".mjs": js_loads}


def file_loads(rel: str, text: str, allowed_hosts: Iterable[str] = ()) -> list[ExternalLoad]:
    """The external loads of one file's text (the scanner is chosen by the file's suffix)."""
    scanner = _SCANNERS.get(Path(rel).suffix.lower())
    if scanner is None:
        return []
    allowed = {host.lower() for host in allowed_hosts}
    found = []
    for offset, url, what in scanner(text):
        if (_host(url) or "").lower() in allowed or url in DORMANT:
            continue
        found.append(ExternalLoad(rel, _line(text, offset), url, what))
    return found


_MERMAID = re.compile(r"""class\s*=\s*["'][^"']*\bmermaid\b""", re.IGNORECASE)


def scan_site(site_dir: Path, allowed_hosts: Iterable[str] = (), jobs: int = 1,
              memo: ScanMemo | None = None) -> tuple[list[ExternalLoad], list[str]]:
    """One read of every HTML, SVG, CSS and JS file of a built site (``jobs``: processes that share the files):
    its external loads, sorted by file and line, and the pages that would wake a `DORMANT` URL. ``memo``: the
    results of earlier builds (`mkdocs serve`), by file content."""
    allowed = tuple(allowed_hosts)

    def scan(rel: str) -> tuple[list[ExternalLoad], str | None]:
        def compute(data: bytes) -> tuple[list[ExternalLoad], str | None]:
            # as read_text() reads it: universal newlines
            text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
            return file_loads(rel, text, allowed), _dormant_problem(rel, text) if rel.endswith(".html") else None
        path = site_dir / rel
        return compute(path.read_bytes()) if memo is None else memo.remember(f"externals {allowed}", rel, path, compute)

    scanned = [rel for rel in served_files(site_dir) if Path(rel).suffix.lower() in _SCANNERS]
    results = map_chunked(scan, scanned, jobs)
    return (sorted({load for loads, _ in results for load in loads}),
            [problem for _, problem in results if problem])


def find_external_loads(site_dir: Path, allowed_hosts: Iterable[str] = (), jobs: int = 1) -> list[ExternalLoad]:
    """Every external load in the HTML, SVG, CSS and JS files of a built site, sorted by file and line."""
    return scan_site(site_dir, allowed_hosts, jobs)[0]


def dormant_problems(site_dir: Path, jobs: int = 1) -> list[str]:
    """Pages that would wake a `DORMANT` URL: a ``.mermaid`` element makes Material load Mermaid from unpkg."""
    return scan_site(site_dir, (), jobs)[1]


def _dormant_problem(rel: str, text: str) -> str | None:
    # Material looks for the class as written (class selectors match case-sensitively in HTML).
    match = _MERMAID.search(text) if "mermaid" in text else None
    if match is None:
        return None
    return (f"{rel}:{_line(text, match.start())}: a .mermaid element makes Material load Mermaid from "
            "unpkg.com; write the chart as a ```flowchart fence instead")
