"""Age bands such as ``0d-28d`` or ``3mo-5y``: half-open intervals [start, end) of age."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

DAYS_PER_UNIT = {"d": 1.0, "w": 7.0, "mo": 365.25 / 12, "y": 365.25}
UNIT_LABELS = {
    "zh": {"d": "天", "w": "周", "mo": "月龄", "y": "岁"},
    "en": {"d": ("day", "days"), "w": ("week", "weeks"), "mo": ("month", "months"), "y": ("year", "years")},
}
_BAND = re.compile(
    r"^\s*(?P<a>\d+(?:\.\d+)?)\s*(?P<ua>d|w|mo|y)?\s*-\s*(?P<b>\d+(?:\.\d+)?)\s*(?P<ub>d|w|mo|y)\s*$"
)


@dataclass(frozen=True)
class Age:
    value: float
    unit: str

    @property
    def days(self) -> float:
        return self.value * DAYS_PER_UNIT[self.unit]

    def number(self) -> str:
        return f"{self.value:g}"


@dataclass(frozen=True)
class AgeBand:
    start: Age
    end: Age

    @property
    def code(self) -> str:
        return f"{self.start.number()}{self.start.unit}-{self.end.number()}{self.end.unit}"

    def __str__(self) -> str:
        return self.code

    def contains(self, other: AgeBand) -> bool:
        return self.start.days <= other.start.days + 1e-6 and other.end.days <= self.end.days + 1e-6


class AgeBandError(ValueError):
    pass


def parse_age_band(text: object) -> AgeBand:
    """Parse ``0d-28d``, ``1-3mo`` (the unit is shared) or ``3mo-5y``."""
    if isinstance(text, AgeBand):
        return text
    match = _BAND.match(str(text))
    if not match:
        raise AgeBandError(
            f"{text!r} is not an age band; write FROM-TO with units d, w, mo or y, e.g. 0d-28d or 3mo-5y"
        )
    end = Age(float(match["b"]), match["ub"])
    start = Age(float(match["a"]), match["ua"] or match["ub"])
    if start.days >= end.days:
        raise AgeBandError(f"age band {text!r} ends before it starts")
    return AgeBand(start, end)


def merge(bands: Iterable[AgeBand]) -> list[AgeBand]:
    """Contiguous or overlapping bands joined, in age order (for display)."""
    ordered = sorted(bands, key=lambda band: band.start.days)
    merged: list[AgeBand] = []
    for band in ordered:
        if merged and band.start.days <= merged[-1].end.days + 1e-6:
            last = merged[-1]
            if band.end.days > last.end.days:
                merged[-1] = AgeBand(last.start, band.end)
        else:
            merged.append(band)
    return merged


def _age_label(age: Age, lang: str, *, with_unit: bool = True) -> str:
    number = age.number()
    if not with_unit:
        return number
    if lang == "zh":
        return f"{number} {UNIT_LABELS['zh'][age.unit]}"
    singular, plural = UNIT_LABELS["en"][age.unit]
    return f"{number} {singular if age.value == 1 else plural}"


def label(band: AgeBand, lang: str) -> str:
    """``0d-3mo`` → ``< 3 月龄`` / ``under 3 months``; ``3mo-6mo`` → ``3–6 月龄`` / ``3–6 months``."""
    if band.start.value == 0:
        end = _age_label(band.end, lang)
        return f"< {end}" if lang == "zh" else f"under {end}"
    same_unit = band.start.unit == band.end.unit
    start = _age_label(band.start, lang, with_unit=not same_unit)
    return f"{start}–{_age_label(band.end, lang)}"


def labels(bands: Iterable[AgeBand], lang: str, *, whole: AgeBand | None = None) -> str:
    """Display text for a set of bands; ``whole`` (the chapter's range) reads as "all ages"."""
    merged = merge(bands)
    if whole is not None and len(merged) == 1 and merged[0].start.days <= whole.start.days + 1e-6 \
            and merged[0].end.days >= whole.end.days - 1e-6:
        return "全部年龄" if lang == "zh" else "all ages"
    separator = "、" if lang == "zh" else ", "
    return separator.join(label(band, lang) for band in merged)
