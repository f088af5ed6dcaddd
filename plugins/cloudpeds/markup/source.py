"""The editor's Markdown checked against the allowlist, with the line of each problem in the source.

The raw HTML of a Markdown text (outside code) is parsed with ``html.parser`` (entity-decoded, as a browser
reads it); Markdown links and images (``[x](javascript:…)``, reference definitions), ``<scheme:…>`` autolinks
and ``{: key=value }`` attribute lists are judged too. Each finding is something the sanitizer
(`cloudpeds.markup.sanitize`) would drop from the page, so `cloudpeds check` and the build refuse it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .. import frontmatter, urls
from ..diagnostics import Diagnostic, display_path, error
from ..flowchart.fences import fenced_ranges
from . import allowlist

HINT = ("content may use Markdown and the HTML listed in the editor's guide (\"HTML in content\"); "
        "links may be relative, http(s):, mailto: or tel:")


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based, within the text given
    col: int  # 1-based
    message: str


_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)((?:[^`\n]|`(?!\1)|\n(?![ \t]*\n))+?)(?<!`)\1(?!`)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")
_MAIL_AUTOLINK = re.compile(r"<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>")
_LINK = re.compile(r"(!?)\[(?:[^\]\n]|\n(?![ \t]*\n))*\]\(\s*(<[^>\n]*>|[^\s)]*)")
_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.MULTILINE)
_ATTR_TOKEN = r"""(?:[#.][\w\-]+|[\w\-:]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s}]+))"""
_ATTR_LIST = re.compile(rf"\{{:?[ \t]*({_ATTR_TOKEN}(?:[ \t]+{_ATTR_TOKEN})*)[ \t]*\}}")
_ATTR_PAIR = re.compile(r"""([\w\-:]+)=(?:"([^"\n]*)"|'([^'\n]*)'|([^\s}]+))""")


def _masked(text: str) -> str:
    """``text`` with code (fenced blocks, code spans) and Markdown autolinks blanked out; line breaks kept."""
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for index in range(start, end):
            if chars[index] != "\n":
                chars[index] = " "

    for start, end in fenced_ranges(text):
        blank(start, end)
    for match in _CODE_SPAN.finditer("".join(chars)):
        blank(*match.span())
    return "".join(chars)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        for message in tag_problems(tag, attrs):
            self.found.append((line, offset + 1, message))

    handle_startendtag = handle_starttag


def tag_problems(tag: str, attrs: list[tuple[str, str | None]]) -> list[str]:
    """What the sanitizer would drop from one start tag (attribute values entity-decoded)."""
    if tag == "markdown" or not allowlist.tag_allowed(tag):
        reason = allowlist.REFUSED_TAGS.get(tag, "not in the list of HTML that content may use")
        handlers = [name for name, _ in attrs if name.startswith("on")]
        extra = f", with event handler {', '.join(n + '=' for n in handlers)}" if handlers else ""
        return [f"<{tag}> is not allowed: {reason}{extra}"]
    problems = []
    for name, value in attrs:
        if name == "markdown" and tag in ("div", "details", "section", "p", "span", "td", "th", "li", "dd"):
            continue  # md_in_html: Markdown inside the tag, removed when rendered
        problem = allowlist.attribute_problem(tag, name, value or "")
        if problem:
            problems.append(f"{problem} on <{tag}> is not allowed")
    return problems


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _destination(raw: str) -> str:
    return html.unescape(raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw)


def find(text: str) -> list[Finding]:
    """Everything in a Markdown text that the sanitizer would drop, in source order."""
    masked = _masked(text)
    found: list[tuple[int, int, str]] = []
    for match in _AUTOLINK.finditer(masked):
        target = html.unescape(match.group(1))
        if (problem := allowlist.url_problem(target)) is not None:
            found.append((*_line_col(masked, match.start()), f"{problem} in an autolink is not allowed"))
    without_autolinks = _AUTOLINK.sub(lambda m: " " * len(m.group(0)), masked)
    without_autolinks = _MAIL_AUTOLINK.sub(lambda m: " " * len(m.group(0)), without_autolinks)
    chars = list(without_autolinks)
    for match in _LINK.finditer(masked):
        chars[match.start(2):match.end(2)] = " " * (match.end(2) - match.start(2))  # <destination> is no tag
        target = _destination(match.group(2))
        what = "an image" if match.group(1) else "a link"
        if (problem := allowlist.url_problem(target)) is not None:
            found.append((*_line_col(masked, match.start(2)), f"{problem} in {what} is not allowed"))
        elif match.group(1) and urls.host(target):
            found.append((*_line_col(masked, match.start(2)),
                          f"an image from another host ({urls.host(target)}) is not allowed"))
    for match in _DEFINITION.finditer(masked):
        target = _destination(match.group(1))
        if (problem := allowlist.url_problem(target)) is not None:
            found.append((*_line_col(masked, match.start(1)), f"{problem} in a link definition is not allowed"))
    for match in _ATTR_LIST.finditer(masked):
        for pair in _ATTR_PAIR.finditer(match.group(1)):
            name = pair.group(1).lower()
            value = html.unescape(next(v for v in pair.groups()[1:] if v is not None))
            problem = allowlist.attribute_problem("a", name, value) if name != "href" else (
                allowlist.url_problem(value) and f"{allowlist.url_problem(value)} in href=")
            if name in ("href", "src") and problem is None:
                problem = f"attribute {name}="  # attribute lists set ids, classes and titles only
            if problem:
                found.append((*_line_col(masked, match.start(1) + pair.start()),
                              f"{problem} in an attribute list is not allowed"))
    parser = _Tags()
    parser.feed("".join(chars))
    parser.close()
    found += parser.found
    return [Finding(line, col, message) for line, col, message in sorted(set(found))]


def diagnostics(text: str, path: str, first_line: int = 1, field: str = "body") -> Iterator[Diagnostic]:
    """`find` as errors at the source file's lines (``first_line``: the file line of the text's first line)."""
    for finding in find(text):
        yield error(path, first_line + finding.line - 1, finding.col, field, finding.message, HINT)


def check_pages(content_dir: Path, root: Path) -> list[Diagnostic]:
    """Every problem in the Markdown pages under ``content_dir`` (home, about, the editor's guide …)."""
    found: list[Diagnostic] = []
    for path in sorted(content_dir.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # reported once, with the iconv hint, by cloudpeds.content_pages (bounded, strict text)
        split = frontmatter.split(text)
        found += diagnostics(split.body, display_path(path, root), split.body_line)
    return found
