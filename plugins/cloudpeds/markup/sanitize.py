"""The sanitizer for content HTML, as a Python-Markdown extension (any Python-Markdown host can load it).

A page's Markdown mixes the editor's text with blocks the site generates itself (the chapter's danger signs,
referrals and references from Jinja templates, the flowchart SVG with its JSON, the symptom grid, the
lessons). The generated blocks are wrapped in `trusted` markers; after rendering, everything outside the
markers — the editor's Markdown and raw HTML — goes through nh3 (the Ammonia sanitizer) with the allowlist
of `cloudpeds.markup.allowlist`, and the markers are removed. The check (`cloudpeds.markup.source`) refuses
what would be dropped, so the sanitizer is the backstop for anything the check cannot see.

The markers (`cloudpeds.markup.trust`) carry a random token: content cannot forge them.
"""

from __future__ import annotations

import re

import nh3
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from . import allowlist
from .trust import CLOSE, OPEN, TRUSTED, trusted

__all__ = ["SanitizeExtension", "sanitize", "sanitize_page", "trusted"]

_CLEANER = nh3.Cleaner(
    tags=set(allowlist.TAGS),
    attributes={"*": set(allowlist.GENERIC_ATTRIBUTES), **{tag: set(names) for tag, names in
                                                         allowlist.TAG_ATTRIBUTES.items()}},
    url_schemes=set(allowlist.URL_SCHEMES),
    clean_content_tags={"script", "style"},
    strip_comments=True,
    link_rel=None,
    filter_style_properties=set(allowlist.STYLE_PROPERTIES),
    attribute_filter=lambda tag, name, value: _kept_value(tag, name, value),
)


def _kept_value(tag: str, name: str, value: str) -> str | None:
    # nh3 has already decoded the value; style needs our own rule (no url()), images no other host.
    if name == "style" and allowlist.style_problem(value):
        return None
    if name == "src" and allowlist.attribute_problem(tag, name, value):
        return None
    return value


def sanitize(html: str) -> str:
    """Content HTML with everything outside the allowlist removed."""
    return _CLEANER.clean(html)


def sanitize_page(html: str) -> str:
    """A rendered page: the parts outside `trusted` markers sanitized, the markers removed."""
    out: list[str] = []
    at = 0
    for match in TRUSTED.finditer(html):
        if match.start() > at:
            out.append(_clean_part(html[at:match.start()]))
        out.append(match.group(1).removeprefix("\n").removesuffix("\n"))  # the newlines `trusted` added
        at = match.end()
    if at < len(html):
        out.append(_clean_part(html[at:]))
    return "".join(out)


def _clean_part(part: str) -> str:
    if not part.strip():
        return part
    # nh3 drops the white space around a fragment's ends; keep it, so block boundaries stay as Markdown made them.
    stripped = part.strip()
    lead, trail = part[:len(part) - len(part.lstrip())], part[len(part.rstrip()):]
    return lead + sanitize(stripped) + trail


#: A generated block where Markdown starts a raw HTML block: at the start of the text or after a blank line, and
#: ending a line.
_TRUSTED_BLOCK = re.compile(rf"(?:(?<=\n\n)|\A){re.escape(OPEN)}.*?{re.escape(CLOSE)}(?=\n|\Z)", re.DOTALL)


_FIRST_TAG = re.compile(r"\s*<([A-Za-z][A-Za-z0-9-]*)")


class _TrustedBlocks(Preprocessor):
    """Generated blocks go into Markdown's store of raw HTML as they are, before its HTML-block parser would read
    them tag by tag only to give back the same text: that parser's time grows with the markup (~0.7 s for the
    danger-sign page of a 500-chapter manual, on every preview rebuild after a sign changes)."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if OPEN not in text:
            return lines
        return _TRUSTED_BLOCK.sub(self._stash, text).split("\n")

    def _stash(self, match: re.Match[str]) -> str:
        block = match.group(0)
        first = _FIRST_TAG.match(block, len(OPEN))
        if first is None or not self.md.is_block_level(first.group(1).lower()):
            return block  # Markdown makes a paragraph of it: left to Markdown
        # A blank line after it, so that a line of text right below starts its own paragraph, as it did.
        return self.md.htmlStash.store(block) + "\n"


class _SanitizePostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return sanitize_page(text)


class SanitizeExtension(Extension):
    """Sanitizes the content HTML of every page (after raw HTML is put back, before the page is used)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # Before the raw HTML block parser (html_block, 20), after whitespace normalisation (30).
        md.preprocessors.register(_TrustedBlocks(md), "cloudpeds_trusted_blocks", 25)
        md.postprocessors.register(_SanitizePostprocessor(md), "cloudpeds_sanitize", 1)


def makeExtension(**kwargs: object) -> SanitizeExtension:
    return SanitizeExtension(**kwargs)
