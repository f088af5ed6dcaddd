"""Every string in the page's language: English pages with ASCII punctuation, Chinese pages without English
interface words (Material's own, ours, "Permanent link", "Made with", the logo's "logo"), and the site's
name whole in the header at 360 px."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import material
import pytest

from cloudpeds import i18n

pytestmark = pytest.mark.browser

FULL_WIDTH = re.compile(r"[：（），。；、“”！？【】《》]")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
#: Attributes that a reader sees or hears.
READ_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
#: Elements whose text is not interface or prose: code samples, scripts, styles.
SKIPPED = {"code", "pre", "script", "style", "kbd", "samp"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Reader(HTMLParser):
    """(kind, text) of each text node and read attribute, outside code and outside elements in another
    language (``lang=`` differing from the page's)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = ""
        self.stack: list[tuple[str, bool]] = []
        self.found: list[tuple[str, str]] = []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.page_lang = values.get("lang") or ""
            return
        other_lang = bool(values.get("lang")) and values.get("lang") != self.page_lang
        skip = tag in SKIPPED or other_lang
        if not self._skipping() and not skip:
            for name in READ_ATTRIBUTES:
                if values.get(name):
                    self.found.append((f"@{name}", values[name]))
            if tag == "meta" and values.get("name") == "description" and values.get("content"):
                self.found.append(("@description", values["content"]))
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._skipping():
            self.found.append(("text", data.strip()))


def read(path: Path) -> list[tuple[str, str]]:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.found


def html_pages(site: Path, english: bool) -> list[Path]:
    return [p for p in sorted(site.rglob("*.html"))
            if (p.relative_to(site).parts[0] == "en") == english]


def stray_full_width(text: str) -> list[str]:
    """Full-width punctuation not next to Chinese text (a Chinese title cited on an English page is fine)."""
    out = []
    for match in FULL_WIDTH.finditer(text):
        before, after = text[match.start() - 1:match.start()], text[match.end():match.end() + 1]
        if not (CJK.match(before or " ") and before not in "：（），。；、") and not CJK.match(after or " "):
            out.append(text[max(0, match.start() - 20):match.end() + 20])
    return out


def english_ui_words() -> set[str]:
    """Material's English interface strings and ours, where the Chinese differs."""
    source = (Path(material.__file__).parent / "templates/partials/languages/en.html").read_text(encoding="utf-8")
    words = {value for key, value in re.findall(r'"([a-z._]+)": "([^"]+)"', source)
             if key not in ("language", "direction") and re.search(r"[A-Za-z]{3}", value)}
    words |= {entry["en"] for entry in i18n.STRINGS.values()
              if entry.get("en") and entry["en"] != entry.get("zh") and re.search(r"[A-Za-z]{3}", entry["en"])}
    return words | {"Permanent link"}


def test_english_pages_use_ascii_punctuation(sample_site):
    pages = html_pages(sample_site, english=True)
    assert len(pages) >= 20
    problems = [f"{page.relative_to(sample_site)} {kind}: …{snippet}…"
                for page in pages for kind, text in read(page) for snippet in stray_full_width(text)]
    assert problems == []


def test_chinese_pages_have_no_english_interface_words(sample_site):
    pages = html_pages(sample_site, english=False)
    assert len(pages) >= 20
    words = english_ui_words()
    assert {"Skip to content", "Back to top", "Check these danger signs first"} <= words
    problems = []
    for page in pages:
        for kind, text in read(page):
            if text in words or "Permanent link" in text or "Made with" in text or (kind == "@alt" and text == "logo"):
                problems.append(f"{page.relative_to(sample_site)} {kind}: {text[:80]}")
            elif kind == "@description" and not CJK.search(text):
                problems.append(f"{page.relative_to(sample_site)}: English description {text[:80]}")
    assert problems == []


def test_the_checks_find_what_they_look_for():
    assert stray_full_width("Ages：under 5 years") and stray_full_width("hospital（Immediately）")
    assert not stray_full_width("手足口病诊疗指南（2018年版）") and not stray_full_width("Ages: under 5")


@pytest.mark.parametrize("path", ["/", "/manual/fever/", "/en/", "/en/manual/cough/"])
def test_site_name_whole_in_the_header(served_site, browser_context, path):
    page = browser_context.new_page()
    page.goto(served_site + path, wait_until="load")
    name = page.locator(".md-header__topic").first.locator(".md-ellipsis")
    assert name.inner_text().strip() == "云儿科 Cloudpeds"
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth"), name.evaluate("e => [e.scrollWidth, e.clientWidth]")
    page.close()
