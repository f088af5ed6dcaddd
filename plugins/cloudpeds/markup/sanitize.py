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

import nh3
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

from . import allowlist
from .trust import TRUSTED, trusted

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


class _SanitizePostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return sanitize_page(text)


class SanitizeExtension(Extension):
    """Sanitizes the content HTML of every page (after raw HTML is put back, before the page is used)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.postprocessors.register(_SanitizePostprocessor(md), "cloudpeds_sanitize", 1)


def makeExtension(**kwargs: object) -> SanitizeExtension:
    return SanitizeExtension(**kwargs)
