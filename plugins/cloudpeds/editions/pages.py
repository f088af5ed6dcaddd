"""The "What's new in this edition" page of each language, from a changelog."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from .. import i18n, links
from ..clinical.dosetable import age_text
from ..clinical.medicines import ROUTE_WORDS
from ..manual import ages
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
    if isinstance(value, dict) and value.get("table"):  # a danger sign's ``{table: ID}`` threshold
        return f"{'阈值表' if lang == 'zh' else 'table'} {value['table']}"
    if isinstance(value, dict) and {"op", "value", "unit"} <= set(value) and value["value"] is not None:
        return f"{_OPS.get(value['op'], value['op'])} {value['value']:g} {value['unit']}"
    if isinstance(value, dict) and {"rule", "reason"} <= set(value):  # a waiver
        return f"{value['rule']}: {value['reason']}"
    if isinstance(value, list):
        parts = [item["text"] if isinstance(item, dict) and "text" in item else value_text(base, item, lang)
                 for item in value]
        return ("；" if lang == "zh" else "; ").join(parts)
    return str(value)


def _number(value: object) -> str:
    """``10.0`` → ``10``, ``0.5`` → ``0.5``: a number as a doctor writes it."""
    return f"{round(value, 3):g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _age_band(code: object, lang: str) -> str:
    try:
        return ages.label(ages.parse_age_band(code), lang)
    except ValueError:
        return str(code)


_ZH_UNITS = {"min": "分钟", "h": "小时", "d": "天", "w": "周"}


def _interval(text: object, lang: str) -> str:
    """``6h`` → ``每 6 小时`` / ``every 6 h``; ``once`` → a single dose."""
    if str(text).strip() == "once":
        return "单次给药" if lang == "zh" else "single dose"
    match = re.match(r"^\s*(\d+(?:\.\d+)?)\s*(min|h|d|w)\s*$", str(text))
    if not match:
        return str(text)
    if lang == "zh":
        return f"每 {match[1]} {_ZH_UNITS[match[2]]}"
    return f"every {match[1]} {match[2]}"


def dose_value_text(name: str, value: object, lang: str, unit: str = "mg") -> str:
    """A dose field's value as a doctor writes it: ``0.5 mg/kg``, ``10 mg``, ``every 6 h``, bands as rows."""
    if value is None or value == []:
        return "—"
    times = "次" if lang == "zh" else "doses"
    if name == "per_kg":
        return f"{_number(value)} {unit}/kg"
    if name in ("max_single", "max_24h"):
        return f"{_number(value)} {unit}"
    if name in ("max_doses_24h", "max_doses"):
        return f"{_number(value)} {times}"
    if name == "min_weight_kg":
        return f"{_number(value)} kg"
    if name == "min_age":
        return age_text(str(value), lang)
    if name in ("ages", "source_ages"):
        return _age_band(value, lang)
    if name == "interval":
        return _interval(value, lang)
    if name == "route" and str(value) in ROUTE_WORDS:
        return ROUTE_WORDS[str(value)][lang]
    separator = "；" if lang == "zh" else "; "
    if name == "by_weight" and isinstance(value, list):
        return separator.join(f"{_number(band['from_kg'])}–<{_number(band['to_kg'])} kg: {_number(band['dose'])} {unit}"
                              for band in value if isinstance(band, dict))
    if name == "by_age" and isinstance(value, list):
        return separator.join(f"{_age_band(band['age'], lang)}: {_number(band['dose'])} {unit}"
                              for band in value if isinstance(band, dict))
    return value_text(name, value, lang)


def table_value_text(name: str, value: object, lang: str, item: dict) -> str:
    """A threshold table's field: its rows as ``< 2 月龄: ≥ 60 /min; …`` (or by hours of age)."""
    if name == "rows" and isinstance(value, list):
        op, unit = _OPS.get(str(item.get("op")), str(item.get("op"))), item.get("unit") or ""
        parts = []
        for row in value:
            if not isinstance(row, dict):
                continue
            at = _age_band(row["age"], lang) if row.get("age") else \
                (f"{_number(row.get('hours'))} 小时" if lang == "zh" else f"{_number(row.get('hours'))} h")
            parts.append(f"{at}: {op} {_number(row.get('value'))} {unit}".rstrip())
        return ("；" if lang == "zh" else "; ").join(parts)
    return value_text(name, value, lang)


def table_rows(change: object, lang: str) -> list[tuple[str, str, str]]:
    """(label, before, after) of each changed field of a threshold table (rows in the table's unit and op)."""
    fields = list(getattr(change, "fields", ()))
    before_item = dict(change.item)
    for f in fields:
        if f.field in ("op", "unit"):
            before_item[f.field] = f.before
    return [(field_label(f.field, lang), table_value_text(f.field, f.before, lang, before_item),
             table_value_text(f.field, f.after, lang, change.item)) for f in fields]


def dose_rows(change: object, lang: str) -> list[tuple[str, str, str]]:
    """(label, before, after) of each changed field of a dose, each value in its own unit (a changed ``unit``
    shows the old amounts in the old unit)."""
    fields = list(getattr(change, "fields", ()))
    after_unit = str(change.item.get("unit") or "mg")
    before_unit = next((str(f.before) for f in fields if f.field == "unit" and f.before), after_unit)
    return [(field_label(f.field, lang), dose_value_text(f.field, f.before, lang, before_unit),
             dose_value_text(f.field, f.after, lang, after_unit)) for f in fields]


def dose_summary(item: dict, lang: str) -> str:
    """One line for an added or removed dose: ``15 mg/kg, max single dose 1000 mg, every 6 h, by mouth``."""
    unit = str(item.get("unit") or "mg")
    parts = []
    for name in ("per_kg", "by_weight", "by_age"):
        if item.get(name):
            parts.append(dose_value_text(name, item[name], lang, unit))
    for name in ("max_single", "max_24h", "max_doses_24h", "interval", "route"):
        if item.get(name) not in (None, []):
            text = dose_value_text(name, item[name], lang, unit)
            parts.append(text if name in ("interval", "route") else f"{field_label(name, lang)} {text}")
    return ("，" if lang == "zh" else ", ").join(parts)


def item_title(item: dict, lang: str) -> str:
    """A danger sign or recommendation by its text; a referral by its urgency and where to; a dose by
    its medicine and what it is for."""
    if "rows" in item and "label" in item:  # a threshold table
        return str(item["label"])
    if "drug" in item:
        return f"{item.get('drug_name') or item['drug']}（{item['indication']}）" if lang == "zh" else \
            f"{item.get('drug_name') or item['drug']} ({item['indication']})"
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
                 dose_rows=dose_rows, dose_summary=dose_summary, table_rows=table_rows,
                 table_value_text=table_value_text,
                 json_href=f"{root}/{CHANGELOG_PATH}")
    return GeneratedPage(doc, lang, title, f"# {title}\n\n{body}\n", "edition")
