"""Hostile content for the tests: the payloads of issue 18 §2/§3, a copy of the sample project to put them in,
and a check of a built site that parses every HTML, SVG, JSON and search file as a browser would read it."""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from cloudpeds import urls

from .conftest import ROOT

#: (payload, words of the finding `cloudpeds check` prints). Every one is refused where content may hold HTML.
PAYLOADS = [
    ("<script>alert(1)</script>", "<script> is not allowed"),
    ("<img src=x onerror=alert(1)>", "event handler onerror="),
    ('<img src="x" onerror="alert(1)">', "event handler onerror="),
    ("<svg onload=alert(1)>", "<svg> is not allowed"),
    ('<a href="javascript:alert(1)">x</a>', "javascript: URL"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "javascript: URL"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "javascript: URL"),
    ('<a href="java&Tab;script:alert(1)">x</a>', "javascript: URL"),
    ('<a href="&#x01;javascript:alert(1)">x</a>', "javascript: URL"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript: URL"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "data: URL"),
    ("[x](javascript:alert(1))", "javascript: URL in a link"),
    ("[x](&#106;avascript:alert(1))", "javascript: URL in a link"),
    ("[x](<java&Tab;script:alert(1)>)", "javascript: URL in a link"),
    ("![x](data:image/svg+xml;base64,PHN2Zz4=)", "data: URL in an image"),
    ("<javascript:alert(1)>", "javascript: URL in an autolink"),
    ("[x]: javascript:alert(1)", "javascript: URL in a link definition"),
    ('[x](#a){: onclick="alert(1)" }', "event handler onclick= in an attribute list"),
    ('<base href="https://evil.example/">', "<base> is not allowed"),
    ('<iframe src="https://evil.example/"></iframe>', "<iframe> is not allowed"),
    ('<object data="x.swf"></object>', "<object> is not allowed"),
    ('<embed src="x.swf">', "<embed> is not allowed"),
    ('<form action="https://evil.example/"><button>go</button></form>', "<form> is not allowed"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "<meta> is not allowed"),
    ('<p style="background:url(https:&#x2F;&#x2F;evil.example/a.png)">x</p>', "style with url()"),
    ('<img src="https&#58;//evil.example/a.png">', "image from another host (evil.example)"),
    ('<img src="&#104;ttps://evil.example/a.png">', "image from another host (evil.example)"),
    ('<img src="https:/\\evil.example/a.png">', "image from another host (evil.example)"),
    ('<img src="\\\\evil.example\\a.png">', "image from another host (evil.example)"),
    ("![x](https://evil.example/a.png)", "image from another host (evil.example)"),
    ('<a ping="https://evil.example/" href="#x">x</a>', "attribute ping="),
    ('<img src="a.png" srcset="https://evil.example/a.png 2x">', "attribute srcset="),
]


def copy_project(target: Path) -> Path:
    """The sample project (manual, content, courses, theme, mkdocs.yml), with node_modules and the caches linked."""
    for name in ("manual", "content", "courses", "theme"):
        shutil.copytree(ROOT / name, target / name, symlinks=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    (target / ".cache").symlink_to(ROOT / ".cache")
    return target


def append_lines(path: Path, lines: list[str]) -> list[int]:
    """Append each of ``lines`` as its own paragraph; the line numbers they got."""
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    first = text.count("\n") + 2
    path.write_text(text + "".join(f"\n{line}\n" for line in lines), encoding="utf-8")
    return [first + 2 * index for index in range(len(lines))]


def insert_after(path: Path, marker: str, lines: list[str]) -> list[int]:
    """Insert ``lines`` after the first line that starts with ``marker``; their line numbers."""
    text = path.read_text(encoding="utf-8").split("\n")
    at = next(index for index, line in enumerate(text) if line.startswith(marker)) + 1
    path.write_text("\n".join(text[:at] + lines + text[at:]), encoding="utf-8")
    return [at + 1 + index for index in range(len(lines))]


def chapters(project: Path) -> list[Path]:
    return sorted((project / "manual" / "chapters").glob("*.zh.md"))


# --- reading a built site as a browser would -------------------------------------------------------

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite", "background",
                   "ping", "srcset", "imagesrcset"}
_LOADING_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "icon",
                 "shortcut", "apple-touch-icon", "mask-icon", "manifest", "prerender"}
_BAD_SCHEMES = {"javascript", "vbscript", "data"}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)
_SEARCH_FILE = re.compile(r"^(?:/\*.*?\*/\s*)?\(window\.\w+=window\.\w+\|\|\{\}\)\[\"[^\"]*\"\]=(.*?);?\s*$", re.DOTALL)


class _Judge(HTMLParser):
    """Every start tag of a document: event handlers, script/data URLs, <base>, loads from other hosts."""

    def __init__(self, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.problems: list[str] = []
        self.scripts: list[str] = []  # inline scripts a browser runs
        self._script: list[str] | None = None
        self._json: list[str] | None = None

    def _problem(self, message: str) -> None:
        self.problems.append(f"{self.where}:{self.getpos()[0]}: {message}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "base":
            self._problem("<base>")
        for name, value in values.items():
            if name.startswith("on"):
                self._problem(f"event handler {name}= on <{tag}>")
            if name not in _URL_ATTRIBUTES and name != "style":
                continue
            targets = ([part.strip().split()[0] for part in value.split(",") if part.strip()]
                       if name in ("srcset", "imagesrcset") else value.split() if name == "ping"
                       else _CSS_URL.findall(value) if name == "style" else [value])
            for target in targets:
                if urls.scheme(target) in _BAD_SCHEMES:
                    self._problem(f"{urls.scheme(target)}: URL in {name}= on <{tag}>")
                loads = not (tag in ("a", "area") and name == "href") and not (
                    tag == "link" and not set(values.get("rel", "").lower().split()) & _LOADING_RELS)
                if loads and name not in ("cite", "action", "formaction") and urls.host(target):
                    self._problem(f"load from another host: {name}={target!r} on <{tag}>")
        if tag == "script" and "src" not in values:
            kind = values.get("type", "").strip().lower()
            if kind in ("", "module", "text/javascript", "application/javascript"):
                self._script = []
            elif kind == "application/json":
                self._json = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        if self._json is not None:
            self._json.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None
        if tag == "script" and self._json is not None:
            self.problems += json_problems(json.loads("".join(self._json)), self.where)
            self._json = None


def html_problems(text: str, where: str) -> tuple[list[str], list[str]]:
    """(problems, inline scripts) of one HTML or SVG document."""
    judge = _Judge(where)
    judge.feed(text)
    judge.close()
    return judge.problems, judge.scripts


def json_problems(value: object, where: str) -> list[str]:
    """Every string in a JSON value: HTML inside it judged as a document, a URL with a script or data scheme."""
    problems: list[str] = []
    if isinstance(value, dict):
        for item in value.values():
            problems += json_problems(item, where)
    elif isinstance(value, list):
        for item in value:
            problems += json_problems(item, where)
    elif isinstance(value, str):
        if "<" in value:
            problems += html_problems(value, f"{where} (string)")[0]
        if urls.scheme(html.unescape(value)) in _BAD_SCHEMES:
            problems.append(f"{where}: a string that is a {urls.scheme(value)}: URL: {value[:60]!r}")
    return problems


def site_problems(site: Path) -> tuple[list[str], list[str]]:
    """Every problem in the HTML, SVG, JSON and search files of a built site, and every inline script of its pages."""
    problems: list[str] = []
    scripts: list[str] = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.suffix in (".html", ".svg"):
            found, inline = html_problems(path.read_text(encoding="utf-8"), rel)
            problems += found
            scripts += inline
        elif path.suffix in (".json", ".webmanifest"):
            problems += json_problems(json.loads(path.read_text(encoding="utf-8")), rel)
        elif path.suffix == ".js" and rel.startswith("search/"):
            match = _SEARCH_FILE.match(path.read_text(encoding="utf-8"))
            assert match, f"{rel}: not a search data file"
            problems += json_problems(json.loads(match.group(1)), rel)
    return problems, scripts
