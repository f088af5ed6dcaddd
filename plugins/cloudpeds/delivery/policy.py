"""HTTP delivery policy: ONE table of caching, MIME and CORS rules by file type, and the site's CSP.

`RULES` is the single source of truth. `headers_file` (Netlify/Cloudflare `_headers`), `nginx_conf`
(nginx server block), `precompress` (which types get `.gz`/`.br`) and `bundle` (which types are stored
uncompressed in the zip) all read it; none of them knows a file type of its own.

Each rule's ``pattern`` is a regular expression searched in the URL path (``/assets/x.css``). It is
written in the common subset of Python's ``re`` and PCRE, so nginx uses the very same string as a
``location ~*`` regex; both match case-insensitively. The first rule that matches wins, so the
content-hashed rows come before the plain ones of the same type.

Caching classes:

- ``IMMUTABLE`` for names that change whenever the bytes change: content-hashed assets
  (``name.<8+ hex>[.min].css``) and video (HLS segments, MP4). A re-encoded video must get a new
  name (for example a new folder per encoding), or phones keep the old one for a year.
- ``REVALIDATE`` (``no-cache``: store, but ask the server each time; a 304 costs one round trip)
  for everything whose name stays while its content changes: HTML, playlists, the service worker,
  the web app manifest, the search index, unhashed CSS/JS, captions, data, the offline bundle.
  A clinician must never read yesterday's dose after a correction was published.
- ``DAY`` (``public, max-age=86400``) for unhashed images and fonts: rarely corrected, fetched on
  every page (logo, favicon). A corrected figure should get a new name; otherwise it shows within a day.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html as html_lib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..parallel import map_chunked
from ..urls import scheme as url_scheme
from .files import ScanMemo, site_files

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
DAY = "public, max-age=86400"

#: A content hash in a file name: ``.<8 or more hex digits>.`` followed by the remaining suffixes.
HASH = r"\.[0-9a-f]{8,}(?:\.[^/.]+)*"

#: A lesson's media folder: ``/media/<32 hex digits: the cache key of its source and settings>/``.
MEDIA_FOLDER = r"/media/[0-9a-f]{32}/"

JS = "text/javascript"
JSON = "application/json"
SVG = "image/svg+xml"


def _ext(*extensions: str) -> str:
    """Regex for a URL path ending in one of ``extensions``."""
    return r"\." + (extensions[0] if len(extensions) == 1 else "(?:" + "|".join(extensions) + ")") + "$"


def _hashed(*extensions: str) -> str:
    """Regex for a content-hashed name with one of ``extensions`` (``main.57a0d79d.min.css``)."""
    return HASH + _ext(*extensions)


@dataclass(frozen=True)
class Rule:
    """How one kind of file is served."""

    name: str
    #: Regex searched (case-insensitively) in the URL path; also the nginx ``location ~*`` regex.
    pattern: str
    #: MIME type without parameters.
    mime: str
    cache_control: str
    #: ``Access-Control-Allow-Origin: *`` (media fetched by hls.js or from another host).
    cors: bool = False
    #: Worth precompressing (text); also means the response varies by ``Accept-Encoding``.
    compress: bool = False
    #: Text in UTF-8: the Content-Type gets ``; charset=utf-8``.
    text: bool = False

    def matches(self, url_path: str) -> bool:
        """True when this rule's pattern is found in ``url_path``."""
        return re.search(self.pattern, url_path, re.IGNORECASE) is not None

    @property
    def content_type(self) -> str:
        """The Content-Type header value."""
        return f"{self.mime}; charset=utf-8" if self.text else self.mime

    def headers(self) -> dict[str, str]:
        """The headers this rule sets (not the site-wide security headers)."""
        headers = {"Cache-Control": self.cache_control, "Content-Type": self.content_type}
        if self.cors:
            headers["Access-Control-Allow-Origin"] = "*"
        return headers


# The table. First match wins. (name, URL path regex, MIME, Cache-Control, CORS, compress, UTF-8 text)
RULES: tuple[Rule, ...] = (
    # Content-hashed assets: a new name for every new content, so they can be kept for a year.
    Rule("css, hashed", _hashed("css"), "text/css", IMMUTABLE, compress=True, text=True),
    Rule("js, hashed", _hashed("js", "mjs"), JS, IMMUTABLE, compress=True, text=True),
    Rule("source map, hashed", _hashed("map"), JSON, IMMUTABLE, compress=True, text=True),
    Rule("svg, hashed", _hashed("svg"), SVG, IMMUTABLE, compress=True),
    Rule("png, hashed", _hashed("png"), "image/png", IMMUTABLE),
    Rule("webp, hashed", _hashed("webp"), "image/webp", IMMUTABLE),
    Rule("woff2, hashed", _hashed("woff2"), "font/woff2", IMMUTABLE),
    # Fixed names whose content changes: always revalidated (never immutable, whatever the type says).
    Rule("service worker", r"/sw\.js$", JS, REVALIDATE, compress=True, text=True),
    Rule("search index", r"/search/index\.[^/]*\.js$", JS, REVALIDATE, compress=True, text=True),
    Rule("web app manifest", _ext("webmanifest"), "application/manifest+json", REVALIDATE, compress=True, text=True),
    # Video: playlists are revalidated, segments and MP4 files never change under their name.
    Rule("HLS playlist", _ext("m3u8"), "application/vnd.apple.mpegurl", REVALIDATE, cors=True, compress=True),
    Rule("HLS segment", _ext("ts"), "video/mp2t", IMMUTABLE, cors=True),
    Rule("MP4 video", _ext("mp4", "m4v"), "video/mp4", IMMUTABLE, cors=True),
    Rule("captions", _ext("vtt"), "text/vtt", REVALIDATE, cors=True, compress=True, text=True),
    # Live sessions' calendars (courses/live/*.ics): a calendar app re-reads the feed.
    Rule("calendar", _ext("ics"), "text/calendar", REVALIDATE, compress=True, text=True),
    # Posters live in their lesson's media folder, named by a content hash (a new encoding, a new folder).
    Rule("poster, in a hashed folder", MEDIA_FOLDER + r"poster[^/]*" + _ext("jpg"), "image/jpeg", IMMUTABLE),
    Rule("webp poster, in a hashed folder", MEDIA_FOLDER + r"poster[^/]*" + _ext("webp"), "image/webp", IMMUTABLE),
    # Everything else by type.
    Rule("html", _ext("html", "htm"), "text/html", REVALIDATE, compress=True, text=True),
    Rule("css", _ext("css"), "text/css", REVALIDATE, compress=True, text=True),
    Rule("js", _ext("js", "mjs"), JS, REVALIDATE, compress=True, text=True),
    Rule("json", _ext("json"), JSON, REVALIDATE, compress=True, text=True),
    Rule("source map", _ext("map"), JSON, REVALIDATE, compress=True, text=True),
    Rule("xml", _ext("xml"), "application/xml", REVALIDATE, compress=True, text=True),
    Rule("text", _ext("txt"), "text/plain", REVALIDATE, compress=True, text=True),
    Rule("svg", _ext("svg"), SVG, DAY, compress=True),
    Rule("png", _ext("png"), "image/png", DAY),
    Rule("webp", _ext("webp"), "image/webp", DAY),
    Rule("jpeg", _ext("jpg", "jpeg"), "image/jpeg", DAY),
    Rule("icon", _ext("ico"), "image/x-icon", DAY),
    Rule("woff2", _ext("woff2"), "font/woff2", DAY),
    Rule("zip", _ext("zip"), "application/zip", REVALIDATE),
    Rule("gzip", _ext("gz"), "application/gzip", REVALIDATE),
)

#: For files no rule names: a safe type (never sniffed, see nosniff) and revalidation.
DEFAULT_RULE = Rule("other", "", "application/octet-stream", REVALIDATE)

#: Sent with every response. `strict-origin-when-cross-origin`: other hosts (a media CDN with a
#: Referer allow-list, common in China) see only the origin, never which page a clinician was reading.
SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
}


def url_path(path: str) -> str:
    """A site-relative file path or URL path as a URL path: leading ``/``, folders as ``…/index.html``."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        path = "/" + path
    if path.endswith("/"):
        path += "index.html"
    return path


def rule_for(path: str) -> Rule:
    """The rule for a site-relative path (``assets/x.css``), URL path (``/about/``) or folder URL."""
    target = url_path(path)
    for rule in RULES:
        if rule.matches(target):
            return rule
    return DEFAULT_RULE


#: The rules whose responses carry the Content-Security-Policy: a CSP governs documents (and a worker's
#: script); on a style sheet or an image it does nothing but add ~700 bytes to every response.
DOCUMENT_RULES = frozenset({"html", "service worker", DEFAULT_RULE.name})


def sends_csp(rule: Rule) -> bool:
    """True for the responses that carry the CSP (see `DOCUMENT_RULES`)."""
    return rule.name in DOCUMENT_RULES


def headers_for(path: str, csp: str | None = None) -> dict[str, str]:
    """Every header the policy sets on a response for ``path``: its rule's, the security headers and, for a
    document, the CSP."""
    rule = rule_for(path)
    headers = {**rule.headers(), **SECURITY_HEADERS}
    if csp and sends_csp(rule):
        headers["Content-Security-Policy"] = csp
    return headers


# --- Content-Security-Policy -------------------------------------------------------------------------

#: `type` values a browser runs as a classic or module script (anything else, e.g. application/json, is data).
_SCRIPT_TYPES = frozenset({"", "module", "text/javascript", "application/javascript", "application/ecmascript",
                           "text/ecmascript", "application/x-javascript", "text/jscript"})

# A comment or a whole <script> element; attribute values may contain ">".
_ATTRS = r"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)"
_SCRIPT = re.compile(rf"<!--.*?-->|<script\b{_ATTRS}>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
# ... or any other start tag (for the markup that a hash cannot allow).
_TAG = re.compile(rf"<!--.*?-->|<script\b{_ATTRS}>.*?</script\s*>|<([a-zA-Z][\w:-]*)\b{_ATTRS}>",
                  re.IGNORECASE | re.DOTALL)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href"})
_BLOCKED_SCHEMES = frozenset({"javascript", "vbscript"})


def _attributes(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in _ATTR.finditer(text)}


def inline_scripts(html: str) -> list[str]:
    """The source of every inline ``<script>`` that a browser runs (no ``src``, a JavaScript type), in order.

    A regular-expression scan, not a full HTML parser (about 20 times faster than ``html.parser`` on
    Material pages, with the same result): comments are skipped and script text is taken raw, as the
    browser hashes it.
    """
    return [source for _, source in _inline_scripts_at(html)]


def _inline_scripts_at(html: str) -> list[tuple[int, str]]:
    """(offset, source) of every inline script a browser runs (see `inline_scripts`)."""
    scripts: list[tuple[int, str]] = []
    for match in _SCRIPT.finditer(html):
        if match.group(0).startswith("<!--"):
            continue
        attrs = _attributes(match.group(1))
        if "src" not in attrs and attrs.get("type", "").strip().lower() in _SCRIPT_TYPES:
            scripts.append((match.start(), match.group(2)))
    return scripts


#: An event-handler attribute after its white space, in a `_folded` page.
_HANDLER_AT = re.compile(rb"on[a-z]+ *=")
#: ASCII upper case to lower case, and white space to " ".
_FOLD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ\n\t\r\f", b"abcdefghijklmnopqrstuvwxyz    ")


def _folded(html: bytes) -> bytes:
    return html.translate(_FOLD)


#: In a `_folded` page: a numeric character reference, or a named one to a tab, line break or colon.
_CHARACTER_REFERENCE = re.compile(rb"&(?:#(x[0-9a-f]+|[0-9]+)|tab;|newline;|colon;)")


def _hides_a_scheme(reference: bytes) -> bool:
    """A numeric character reference to a letter, a colon or a control character (``&#106;``, ``&#x09;``)."""
    code = int(reference[1:], 16) if reference.startswith(b"x") else int(reference)
    return code < 0x21 or code == 0x3A or 0x41 <= code <= 0x5A or 0x61 <= code <= 0x7A or 0x30 <= code <= 0x39


def _maybe_blocked(folded: bytes) -> bool:
    """A quick first look at a `_folded` page: True if it has ``script:`` or a character reference, or white space,
    ``on``, letters and
    ``=``. ``bytes.find`` for literals: a case-insensitive pattern starting with white space is tried at every
    character (2.5 s over a 500-chapter manual's pages)."""
    if b"script:" in folded:
        return True  # javascript:, vbscript:
    at = folded.find(b"&")  # a character reference that may hide one (`_URL_ATTRS` are decoded); "&" is rare
    while at != -1:
        reference = _CHARACTER_REFERENCE.match(folded, at)
        if reference and (reference.group(1) is None or _hides_a_scheme(reference.group(1))):
            return True
        at = folded.find(b"&", at + 1)
    at = folded.find(b" on")
    while at != -1:
        if _HANDLER_AT.match(folded, at + 1):
            return True
        at = folded.find(b" on", at + 3)
    return False


def blocked_markup(html: str) -> list[str]:
    """Markup that a CSP without 'unsafe-inline' blocks and no hash can allow: ``on…=`` handlers
    (outside scripts and comments) and ``javascript:`` URLs, as ``line N: …``."""
    problems: list[str] = []
    if not _maybe_blocked(_folded(html.encode("utf-8"))):
        return problems  # the common case, found without parsing every tag
    for match in _TAG.finditer(html):
        if match.group(2) is None:
            continue  # a comment or a script element
        for name, value in _attributes(match.group(3)).items():
            if name.startswith("on"):
                problem = f"inline event handler {name}= on <{match.group(2).lower()}>"
            elif name in _URL_ATTRS and (scheme := url_scheme(html_lib.unescape(value))) in _BLOCKED_SCHEMES:
                problem = f"{scheme}: URL in {name}= on <{match.group(2).lower()}>"
            else:
                continue
            problems.append(f"line {html.count(chr(10), 0, match.start()) + 1}: {problem}")
    return problems


#: A Jinja expression, statement or comment in a theme template.
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
#: What a ``{{ … }}`` in a theme's inline script may stand for: a URL path or a word (``base_url``, a scope).
_JINJA_VALUE = r"[\w./~%+\-]*"


def theme_scripts(template_dirs: Iterable[Path], own: Iterable[str] = ()) -> tuple[re.Pattern[str], ...]:
    """The inline scripts the theme's templates write (Material's and ``theme/``), as patterns of their text.

    A script on a page is the theme's own only if its text is one of these, with each ``{{ … }}`` standing for a
    URL path or a word; a script whose template has a ``{% … %}`` inside cannot be matched safely and is left out.
    Only these are hashed into the CSP (`scan_pages`): a script that reaches a page any other way is refused.
    ``own``: the exact text of scripts the site's code writes outside the templates (e.g. the 404 page's).
    """
    patterns: dict[str, re.Pattern[str]] = {re.escape(source): re.compile(re.escape(source), re.DOTALL)
                                            for source in own}
    for folder in template_dirs:
        for path in sorted(Path(folder).rglob("*.html")):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if "<script" not in text:
                continue
            text = re.sub(r"\{#.*?#\}", "", text, flags=re.DOTALL)
            for source in inline_scripts(text):
                if "{%" in source or not source.strip():
                    continue
                pieces, at = [], 0
                for match in _JINJA.finditer(source):
                    pieces += [re.escape(source[at:match.start()]), _JINJA_VALUE]
                    at = match.end()
                pieces.append(re.escape(source[at:]))
                pattern = "".join(pieces)
                patterns.setdefault(pattern, re.compile(pattern, re.DOTALL))
    return tuple(patterns.values())


@functools.lru_cache(maxsize=1024)  # a site repeats the same few scripts on every page
def _is_theme_script(source: str, patterns: tuple[re.Pattern[str], ...]) -> bool:
    return any(pattern.fullmatch(source) for pattern in patterns)


def foreign_scripts(html: str, patterns: Sequence[re.Pattern[str]],
                    scripts: list[tuple[int, str]] | None = None) -> list[str]:
    """Inline scripts that a browser would run and that are not the theme's own, as ``line N: …`` (``scripts``:
    the page's `_inline_scripts_at`, when already found)."""
    problems: list[str] = []
    for offset, source in _inline_scripts_at(html) if scripts is None else scripts:
        if not _is_theme_script(source, tuple(patterns)):
            line = html.count("\n", 0, offset) + 1
            text = " ".join(source.split())
            problems.append(f"line {line}: inline <script> that is not one of the theme's: {text[:60]!r}")
    return problems


def script_hash(source: str) -> str:
    """The CSP source expression (``'sha256-…'``) that allows one inline script.

    Browsers hash the script's text after the HTML parser normalised line breaks (CR LF and CR to LF).
    """
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _html_files(site_dir: Path) -> list[Path]:
    return [site_dir / rel for rel in site_files(site_dir) if rule_for(rel).mime == "text/html"]


def scan_pages(site_dir: Path, jobs: int = 1, theme: Sequence[re.Pattern[str]] | None = None,
               memo: ScanMemo | None = None) -> tuple[list[str], list[str]]:
    """One read of every HTML file under ``site_dir`` (``jobs``: processes that share them): the markup that a CSP
    blocks although no hash can allow it (``onclick=``, ``javascript:`` URLs) and, given the ``theme``'s scripts
    (`theme_scripts`), every inline script that is not one of them; and the sorted, distinct hashes of the
    inline scripts (``theme`` None: of every inline script, for a site already checked)."""

    # the theme's scripts, by their patterns' texts: results of a build with other theme scripts do not count
    label = "pages " + hashlib.sha256(repr([p.pattern for p in theme] if theme is not None else None)
                                      .encode()).hexdigest()

    def scan(path: Path) -> tuple[list[str], set[str]]:
        if memo is None:
            return scan_data(path, path.read_bytes())
        return memo.remember(label, path.as_posix(), path, lambda data: scan_data(path, data))

    def scan_data(path: Path, data: bytes) -> tuple[list[str], set[str]]:
        text = data.decode("utf-8")
        where = path.relative_to(site_dir).as_posix()
        blocked = [f"{where}: {problem}" for problem in blocked_markup(text)] if _maybe_blocked(_folded(data)) else []
        scripts = _inline_scripts_at(text)
        if theme is not None:
            blocked += [f"{where}: {problem}" for problem in foreign_scripts(text, theme, scripts)]
        return blocked, {script_hash(source) for _, source in scripts}

    results = map_chunked(scan, _html_files(site_dir), jobs)
    return [problem for blocked, _ in results for problem in blocked], sorted(set().union(*(h for _, h in results)))


def script_hashes(site_dir: Path, jobs: int = 1) -> list[str]:
    """The sorted, distinct hashes of the inline scripts of every HTML file under ``site_dir``."""
    return scan_pages(site_dir, jobs)[1]


def csp_problems(site_dir: Path, jobs: int = 1) -> list[str]:
    """Markup that the site's CSP blocks although a hash cannot allow it: ``onclick=``, ``javascript:`` URLs."""
    return scan_pages(site_dir, jobs)[0]


def build_csp(hashes: Iterable[str], media_origins: Sequence[str] = ()) -> str:
    """The policy text for the given inline-script hashes.

    ``media_origins`` (``https://video.example.cn``) are hosts that serve the videos: they are allowed
    for media, images (posters) and fetches (hls.js loads playlists and segments with XHR).
    """
    extra = "".join(f" {origin}" for origin in media_origins)
    directives = [
        "default-src 'self'",
        "script-src 'self'" + "".join(f" {h}" for h in hashes),
        "style-src 'self' 'unsafe-inline'",  # Material and the flow charts set style="" attributes
        f"img-src 'self' data:{extra}",
        f"media-src 'self' blob:{extra}",  # blob: for hls.js (Media Source Extensions)
        "worker-src 'self' blob:",  # hls.js runs its transmuxer in a blob: worker
        f"connect-src 'self'{extra}",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
    return "; ".join(directives)


def csp_for_site(site_dir: Path, media_origins: Sequence[str] = (), jobs: int = 1) -> str:
    """The Content-Security-Policy for a built site: inline scripts allowed one by one by their SHA-256.

    The hashes come from every HTML file, so the policy must be regenerated with every build.
    """
    return build_csp(script_hashes(site_dir, jobs), media_origins)
