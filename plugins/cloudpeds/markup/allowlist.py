"""What HTML written by an editor may contain: one allowlist, read by the source check and the sanitizer.

Everything Markdown itself makes (paragraphs, lists, tables, links, images, code, admonitions, details,
definition lists, ``attr_list`` ids and classes) plus the simple formatting tags below. Not allowed: scripts,
event handlers (``on…=``), frames, objects, forms, ``<base>``, ``<meta>``, ``<style>``, SVG and MathML, and
URLs other than relative ones, ``http(s):``, ``mailto:`` and ``tel:`` (so no ``javascript:`` or ``data:``,
however they are encoded). ``style=""`` may set only the properties in `STYLE_PROPERTIES`, without ``url()``.
"""

from __future__ import annotations

import re

from .. import urls

TAGS: frozenset[str] = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
    "var", "wbr",
})

#: Attributes every allowed tag may carry.
GENERIC_ATTRIBUTES: frozenset[str] = frozenset({"id", "class", "title", "lang", "dir", "style"})

TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"colspan", "rowspan", "align", "headers"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope", "headers"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "details": frozenset({"open"}),
    "time": frozenset({"datetime"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
}

URL_ATTRIBUTES: frozenset[str] = frozenset({"href", "src", "cite"})
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})

#: CSS properties ``style=""`` may set (tables made by Markdown set text-align).
STYLE_PROPERTIES: frozenset[str] = frozenset({
    "text-align", "vertical-align", "color", "background-color", "font-weight", "font-style", "text-decoration",
    "white-space", "width", "max-width", "min-width", "height",
})

#: Why the tags an editor is most likely to try are refused (the check prints it).
REFUSED_TAGS: dict[str, str] = {
    "script": "scripts do not run in content",
    "style": "style sheets belong to the theme (theme/assets/cloudpeds.css)",
    "base": "<base> would change where every relative URL of the page points (scripts too)",
    "iframe": "frames load other pages", "frame": "frames load other pages",
    "object": "objects load plug-in content", "embed": "embedded content loads plug-in content",
    "form": "forms send data elsewhere", "input": "forms send data elsewhere", "button": "forms send data elsewhere",
    "meta": "<meta> can redirect or change how the page is read", "link": "<link> loads files",
    "svg": "SVG in content can carry scripts; draw charts with a ```flowchart fence or link an image file",
    "math": "MathML in content can carry links and scripts",
}

_IMPORTANT = re.compile(r"[\\]|url\s*\(|image-set\s*\(|expression\s*\(|@import|/\*", re.IGNORECASE)


def tag_allowed(tag: str) -> bool:
    return tag in TAGS


def attribute_allowed(tag: str, name: str) -> bool:
    return name in GENERIC_ATTRIBUTES or name in TAG_ATTRIBUTES.get(tag, ())


def url_problem(value: str) -> str | None:
    """Why an entity-decoded URL in content is refused, or None."""
    found = urls.scheme(value)
    if found is not None and found not in URL_SCHEMES:
        return f"a {found}: URL"
    return None


def style_problem(value: str) -> str | None:
    """Why a ``style=""`` value is refused, or None: no url(), escapes or comments; only `STYLE_PROPERTIES`."""
    if _IMPORTANT.search(value):
        return "style with url(), an escape or a comment"
    for declaration in value.split(";"):
        if not declaration.strip():
            continue
        name = declaration.split(":", 1)[0].strip().lower()
        if name not in STYLE_PROPERTIES:
            return f"style property {name!r}"
    return None


def attribute_problem(tag: str, name: str, value: str) -> str | None:
    """Why an attribute of an allowed tag would be dropped (``value`` entity-decoded), or None."""
    if name.startswith("on"):
        return f"event handler {name}="
    if not attribute_allowed(tag, name):
        return f"attribute {name}="
    if name in URL_ATTRIBUTES and (problem := url_problem(value)):
        return f"{problem} in {name}="
    if name == "src" and urls.host(value):
        return f"an image from another host ({urls.host(value)}) in src="
    if name == "style" and (problem := style_problem(value)):
        return problem
    return None
