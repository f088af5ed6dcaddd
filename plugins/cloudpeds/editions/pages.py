"""The "What's new in this edition" page of each language, from a changelog."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from .. import i18n, links
from ..manual.pages import GeneratedPage, Layout
from ..markup.trust import trusted
from .changelog import Changelog, LanguageChangelog
from .model import Edition
from .snapshot import CHANGELOG_PATH

_BLANK_LINES = re.compile(r"\n\s*\n")
_env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                          trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
_OPS = {">": ">", ">=": "≥", "<": "<", "<=": "≤"}
_TRANSLATED = {"triage": "triage.", "urgency": "urgency.", "strength": "strength.", "certainty": "certainty.",
               "kind": "fc.kind."}


def whats_new_doc(layout: Layout, lang: str) -> str:
    return f"{layout.prefix(lang)}whats-new.md"


def field_label(name: str, lang: str) -> str:
    key = f"edition.field.{name}"
    return i18n.t(key, lang) if key in i18n.STRINGS else name


def value_text(name: str, value: object, lang: str) -> str:
    """A field's value as a clinician reads it: translated words, ``≥ 38 °C``, lists joined."""
    if value is None or value == []:
        return "—"
    base = name.split(".")[-1] if name.startswith("threshold.") else name
    if base in _TRANSLATED and isinstance(value, str):
        return i18n.t(_TRANSLATED[base] + value, lang)
    if base == "op":
        return _OPS.get(str(value), str(value))
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict) and {"op", "value", "unit"} <= set(value):
        return f"{_OPS.get(value['op'], value['op'])} {value['value']:g} {value['unit']}"
    if isinstance(value, list):
        parts = [item["text"] if isinstance(item, dict) and "text" in item else value_text(base, item, lang)
                 for item in value]
        return ("；" if lang == "zh" else "; ").join(parts)
    return str(value)


def item_title(item: dict, lang: str) -> str:
    """A danger sign or recommendation by its text; a referral by its urgency and where to."""
    if "text" in item:
        return str(item["text"])
    colon = "：" if lang == "zh" else ": "
    return f"{i18n.t('urgency.' + item['urgency'], lang)}{colon}{item['target']}"


def _html(template: str, **context: object) -> str:
    return trusted(_BLANK_LINES.sub("\n", _env.get_template(template).render(**context).strip()))


def whats_new_page(layout: Layout, lang: str, edition: Edition | None, changelog: Changelog | None,
                   previous: Edition | None) -> GeneratedPage:
    doc = whats_new_doc(layout, lang)
    title = i18n.t("edition.whats_new", lang)

    def link(to_doc: str, anchor: str = "") -> str:
        return links.href(doc, to_doc, anchor, directory_urls=layout.directory_urls)

    log = changelog.languages.get(lang) if changelog else None
    root = links.root_of(doc, directory_urls=layout.directory_urls)
    body = _html("whats_new.html.j2", t=i18n.strings(lang), lang=lang, link=link, layout=layout,
                 edition=edition, previous=previous, log=log or LanguageChangelog(), compared=changelog is not None,
                 field_label=field_label, value_text=value_text, item_title=item_title,
                 json_href=f"{root}/{CHANGELOG_PATH}")
    return GeneratedPage(doc, lang, title, f"# {title}\n\n{body}\n", "edition")
