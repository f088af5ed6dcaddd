"""A dose as readers see it: its facts and its weight-band table, the same numbers in every language.

The table follows the WHO Pocket Book annex: weight bands (3–<6, 6–<10, 10–<15, 15–<20, 20–<30 kg and
beyond when the dose's ages go further), the dose in mg (or mL) and the measurable amount of each
formulation; rows capped at the maximum say so. Age-banded doses get one row per age band instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..manual import ages
from .doses import Dose, bands_for_ages, measurable, table_rows
from .medicines import ROUTE_WORDS, Formulary, Formulation, Medicine

WORDS: dict[str, dict[str, str]] = {
    "zh": {"doses_heading": "剂量", "dose": "剂量",
           "weight": "体重", "age": "年龄", "per_dose": "每次", "max_single": "单次最大",
           "every": "间隔", "once": "单次给药", "max_24h": "24 小时最多", "doses": "次", "max_doses": "总共最多",
           "min_age": "最小年龄", "min_weight": "最小体重", "capped": "已按最大剂量", "ages": "适用年龄",
           "not_measurable": "无法准确量取", "reason": "超出来源年龄范围的理由", "waiver": "规则豁免",
           "per_kg": "/kg", "tablet": "片", "puff": "揿", "unit": "单位", "source_ages": "来源覆盖年龄",
           "sources": "来源", "route": "途径", "formulation": "制剂"},
    "en": {"doses_heading": "Doses", "dose": "Dose",
           "weight": "Weight", "age": "Age", "per_dose": "per dose", "max_single": "max single dose",
           "every": "interval", "once": "single dose", "max_24h": "max in 24 h", "doses": "doses",
           "max_doses": "max doses in all", "min_age": "minimum age", "min_weight": "minimum weight",
           "capped": "capped at the maximum", "ages": "for ages", "not_measurable": "cannot be measured",
           "reason": "why beyond the source's ages", "waiver": "rule waived", "per_kg": "/kg",
           "tablet": "tablet", "puff": "puff", "unit": "unit", "source_ages": "source covers ages",
           "sources": "sources", "route": "route", "formulation": "formulation"},
}


@dataclass(frozen=True)
class Row:
    label: str
    amount: str
    capped: bool
    volumes: list[str]


@dataclass(frozen=True)
class DoseView:
    id: str
    drug: str
    indication: str
    facts: list[tuple[str, str]]
    formulations: list[str]
    rows: list[Row]
    notes: list[str]
    sources: list[str]


def formulations_for(dose: Dose, medicine: Medicine | None) -> list[Formulation]:
    if medicine is None:
        return []
    chosen = [f for f in medicine.formulations if f.id in dose.formulations] if dose.formulations else \
        [f for f in medicine.formulations if dose.route in f.routes]
    return chosen


def number(value: float) -> str:
    return f"{round(value, 3):g}"


def quantity_text(quantity: float | None, unit: str, formulation: Formulation, lang: str) -> str:
    words = WORDS[lang]
    if quantity is None:
        return "—"
    if unit == "mL" or formulation.strength is None or formulation.strength.ml is not None:
        return f"{number(quantity)} mL"
    whole, part = int(quantity), quantity - int(quantity)
    text = (str(whole) if whole else "") + ("½" if abs(part - 0.5) < 1e-6 else (f"{part:g}"[1:] if part else ""))
    kind = words["puff"] if formulation.form == "inhaler" else words["tablet"]
    plural = "s" if lang == "en" and quantity > 1 else ""
    return f"{text or '0'} {kind}{plural}"


def dose_view(dose: Dose, formulary: Formulary | None, age_range, lang: str) -> DoseView:
    words = WORDS[lang]
    medicine = formulary.medicines.get(dose.drug) if formulary else None
    formulations = formulations_for(dose, medicine)
    facts: list[tuple[str, str]] = []
    if dose.route:
        facts.append((words["route"], ROUTE_WORDS[dose.route][lang]))
    if dose.per_kg is not None:
        facts.append((words["dose"], f"{number(dose.per_kg)} {dose.unit}{words['per_kg']} {words['per_dose']}"))
    if dose.max_single is not None:
        facts.append((words["max_single"], f"{number(dose.max_single)} {dose.unit}"))
    if dose.interval:
        facts.append((words["every"], words["once"] if dose.single else _interval(dose.interval, lang)))
    if dose.max_doses_24h:
        facts.append((words["max_24h"], f"{dose.max_doses_24h} {words['doses']}"))
    if dose.max_24h is not None:
        facts.append((words["max_24h"], f"{number(dose.max_24h)} {dose.unit}"))
    if dose.max_doses:
        facts.append((words["max_doses"], f"{dose.max_doses} {words['doses']}"))
    start_band = dose.ages or age_range
    facts.append((words["ages"], ages.label(start_band, lang)))
    if dose.min_age:
        facts.append((words["min_age"], age_text(dose.min_age, lang)))
    if dose.min_weight_kg:
        facts.append((words["min_weight"], f"{number(dose.min_weight_kg)} kg"))
    if dose.source_ages:
        facts.append((words["source_ages"], ages.label(dose.source_ages, lang)))
    rows: list[Row] = []
    if dose.by_age:
        for band in dose.by_age:
            capped = dose.max_single is not None and band.dose > dose.max_single
            amount = min(band.dose, dose.max_single) if dose.max_single is not None else band.dose
            rows.append(Row(ages.label(band.age, lang), f"{number(amount)} {dose.unit}", capped,
                            [quantity_text(measurable(amount, dose.unit, f, dose.max_single), dose.unit, f, lang)
                             for f in formulations]))
    else:
        start = max(start_band.start.days, dose.min_age_days)
        bands = bands_for_ages(start, start_band.end.days)
        if dose.min_weight_kg:
            bands = [(lo, hi) for lo, hi in bands if hi > dose.min_weight_kg]
        for row in table_rows(dose, formulations, bands):
            amount = "—" if row.amount is None else f"{number(row.amount)} {dose.unit}"
            rows.append(Row(f"{number(row.from_kg)}–<{number(row.to_kg)} kg", amount, row.capped,
                            [quantity_text(q, dose.unit, f, lang) for f, (_, q) in zip(formulations, row.volumes,
                                                                                       strict=True)]))
    notes = []
    if dose.reason:
        notes.append(f"{words['reason']}: {dose.reason}")
    for waiver in dose.waivers:
        notes.append(f"{words['waiver']} {waiver.rule}: {waiver.reason}")
    if medicine is not None and medicine.note is not None:
        notes.append(medicine.note.get(lang))
    drug = medicine.name.get(lang) if medicine else dose.drug
    return DoseView(dose.id, drug, dose.indication, facts, [f.label.get(lang) for f in formulations], rows, notes,
                    list(dose.sources))


def age_text(text: str, lang: str) -> str:
    """``1mo`` → ``1 月龄`` / ``1 month``."""
    match = re.match(r"^\s*(\d+(?:\.\d+)?)\s*(d|w|mo|y)\s*$", text)
    if not match:
        return text
    return ages._age_label(ages.Age(float(match[1]), match[2]), lang)


def _interval(text: str, lang: str) -> str:
    value, unit = text[:-1] if text.endswith("h") or text.endswith("d") else text[:-3], \
        text[-1] if text.endswith(("h", "d")) else "min"
    names = {"zh": {"h": "小时", "d": "天", "min": "分钟"}, "en": {"h": "h", "d": "d", "min": "min"}}
    joiner = "" if lang == "zh" else " "
    prefix = "每 " if lang == "zh" else "every "
    return f"{prefix}{value.strip()}{joiner if lang == 'en' else ' '}{names[lang][unit]}"


def summary(dose: Dose, formulary: Formulary | None, lang: str) -> str:
    """One line for a pre-referral step: drug, dose, maximum, route."""
    words = WORDS[lang]
    medicine = formulary.medicines.get(dose.drug) if formulary else None
    drug = medicine.name.get(lang) if medicine else dose.drug
    parts = [drug]
    if dose.per_kg is not None:
        parts.append(f"{number(dose.per_kg)} {dose.unit}{words['per_kg']}")
    if dose.max_single is not None:
        parts.append(f"{words['max_single']} {number(dose.max_single)} {dose.unit}")
    if dose.route:
        parts.append(ROUTE_WORDS[dose.route][lang])
    return ("，" if lang == "zh" else ", ").join(parts)


DOSE_REFERENCE = re.compile(r"^[ \t]*\[\[dose:(?P<id>[a-z0-9-]+)\]\][ \t]*$", re.MULTILINE)


def referenced_in_body(body: str) -> list[str]:
    """Dose ids written as ``[[dose:ID]]`` on their own line in a chapter's body."""
    return [match["id"] for match in DOSE_REFERENCE.finditer(body)]
