"""Pieces of a rendered chapter page, taken by their element: the print editions reuse the site's own HTML
(the same Markdown rendering) and pick the blocks they need (danger signs, act now, referral cards, doses)."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
Attrs = dict[str, str]


class _Finder(HTMLParser):
    """Source offsets of every element (outermost first) that ``wanted`` accepts, with its whole content."""

    def __init__(self, text: str, wanted: Callable[[str, Attrs], bool]):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.wanted = wanted
        self.line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.stack: list[tuple[str, bool, int]] = []  # tag, wanted, start offset
        self.found: list[tuple[int, int]] = []
        self.inside = 0

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        hit = self.inside == 0 and self.wanted(tag, {k: v or "" for k, v in attrs})
        self.stack.append((tag, hit, self._offset()))
        self.inside += hit

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, _, _ in self.stack):
            return
        while self.stack:
            open_tag, hit, start = self.stack.pop()
            if hit:
                self.inside -= 1
                end = self.text.index(">", self._offset()) + 1
                self.found.append((start, end))
            if open_tag == tag:
                break


def elements(html: str, wanted: Callable[[str, Attrs], bool]) -> list[str]:
    """The source of each outermost element that ``wanted(tag, attrs)`` accepts, in document order."""
    finder = _Finder(html, wanted)
    finder.feed(html)
    finder.close()
    return [html[start:end] for start, end in sorted(finder.found)]


def by_class(name: str) -> Callable[[str, Attrs], bool]:
    return lambda tag, attrs: name in attrs.get("class", "").split()


def by_id(element_id: str) -> Callable[[str, Attrs], bool]:
    return lambda tag, attrs: attrs.get("id") == element_id


def first(html: str, wanted: Callable[[str, Attrs], bool]) -> str:
    found = elements(html, wanted)
    return found[0] if found else ""
