"""A chapter's structured doses: the model, the dose for a child, and the weight-band table.

A dose is per kg (``per_kg``), or fixed by weight band (``by_weight``) or by age band (``by_age``); it has a
route, an interval, a maximum and a source, or it is not given (rules CP3xx).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..manual.ages import DAYS_PER_UNIT
from .medicines import Formulation, Route
from .types import Band, Id, PlainText, Strict, Waiver

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(min|h|d|w|mo|y)\s*$")
HOURS_PER_UNIT = {"min": 1 / 60, "h": 1.0, "d": 24.0, "w": 168.0}


def parse_age(text: object) -> float:
    """``2mo`` → days. Units d, w, mo, y (and h for newborns)."""
    match = _DURATION.match(str(text))
    if not match or match[2] == "min":
        raise ValueError(f"{text!r} is not an age; write a number and d, w, mo or y, e.g. 2mo")
    value, unit = float(match[1]), match[2]
    return value / 24 if unit == "h" else value * DAYS_PER_UNIT[unit]


def parse_interval(text: object) -> float | None:
    """``6h`` → 6.0 hours; ``once`` → None (a single dose)."""
    if str(text).strip() == "once":
        return None
    match = _DURATION.match(str(text))
    if not match or match[2] not in HOURS_PER_UNIT:
        raise ValueError(f"{text!r} is not an interval; write e.g. 6h, 10min, 24h or `once`")
    return float(match[1]) * HOURS_PER_UNIT[match[2]]


class WeightDose(Strict):
    """A fixed dose for weights from ``from_kg`` up to (not including) ``to_kg``."""

    from_kg: float = Field(ge=0)
    to_kg: float = Field(gt=0)
    dose: float = Field(gt=0)


class AgeDose(Strict):
    """A fixed dose for an age band (``{age: 1y-10y, dose: 600}``)."""

    age: Band
    dose: float = Field(gt=0)


class Dose(Strict):
    """A dose item of a chapter (``doses:``), referred to from the text by its id."""

    id: Id
    drug: Id
    indication: PlainText
    route: Route | None = None
    unit: Literal["mg", "mL"] = "mg"
    per_kg: float | None = Field(default=None, gt=0)
    by_weight: list[WeightDose] = Field(default_factory=list)
    by_age: list[AgeDose] = Field(default_factory=list)
    #: Largest single dose, in ``unit``.
    max_single: float | None = Field(default=None, gt=0)
    #: Largest total in 24 hours, in ``unit``; or give ``max_doses_24h``.
    max_24h: float | None = Field(default=None, gt=0)
    max_doses_24h: int | None = Field(default=None, ge=1)
    #: Time between doses (``6h``, ``10min``) or ``once`` for a single dose.
    interval: str | None = None
    #: Repeat doses allowed in all (e.g. diazepam: 2 doses in all, including any given before arrival).
    max_doses: int | None = Field(default=None, ge=1)
    min_age: str | None = None
    min_weight_kg: float | None = Field(default=None, gt=0)
    #: The ages this dose is for (default: the chapter's age range from ``min_age``).
    ages: Band | None = None
    #: The ages the cited source gives this dose for; a dose for other ages needs a ``reason``.
    source_ages: Band | None = None
    #: Why the dose is given for ages the source does not cover (shown to readers).
    reason: PlainText | None = None
    #: Formulation ids (manual/medicines.yml) to show volumes for; default: the drug's for this route.
    formulations: list[Id] = Field(default_factory=list)
    sources: list[Id] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)

    @field_validator("min_age")
    @classmethod
    def _age(cls, value: str | None) -> str | None:
        if value is not None:
            parse_age(value)
        return value

    @field_validator("interval")
    @classmethod
    def _interval(cls, value: str | None) -> str | None:
        if value is not None:
            parse_interval(value)
        return value

    @model_validator(mode="after")
    def _one_basis(self) -> Dose:
        given = [name for name in ("per_kg", "by_weight", "by_age") if getattr(self, name)]
        if len(given) != 1:
            raise ValueError("give exactly one of `per_kg`, `by_weight` or `by_age`"
                             + (f" (got {', '.join(given)})" if given else ""))
        for band in self.by_weight:
            if band.to_kg <= band.from_kg:
                raise ValueError(f"weight band {band.from_kg:g}–{band.to_kg:g} kg ends before it starts")
        return self

    @property
    def min_age_days(self) -> float:
        return parse_age(self.min_age) if self.min_age else 0.0

    @property
    def interval_hours(self) -> float | None:
        return parse_interval(self.interval) if self.interval else None

    @property
    def single(self) -> bool:
        return self.interval is not None and self.interval.strip() == "once"


@dataclass(frozen=True)
class DoseResult:
    """The dose for one child: ``amount`` in the dose's unit, ``capped`` if the maximum lowered it."""

    id: str
    drug: str
    amount: float | None
    unit: str
    capped: bool
    reason: str = ""  # why there is no dose (too young, too light, no band)

    @property
    def mg(self) -> float | None:
        return self.amount if self.unit == "mg" else None

    def as_dict(self) -> dict:
        return {"id": self.id, "drug": self.drug, "mg": _round(self.mg), "amount": _round(self.amount),
                "unit": self.unit, "capped": self.capped, **({"reason": self.reason} if self.reason else {})}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def dose_for(dose: Dose, *, age_days: float, weight_kg: float | None) -> DoseResult:
    """The amount for a child of this age and weight, never above the maximum single dose."""

    def none(reason: str) -> DoseResult:
        return DoseResult(dose.id, dose.drug, None, dose.unit, False, reason)

    if age_days < dose.min_age_days - 1e-9:
        return none(f"under the minimum age {dose.min_age}")
    if dose.ages and not (dose.ages.start.days - 1e-9 <= age_days < dose.ages.end.days - 1e-9):
        return none(f"outside the ages {dose.ages}")
    if dose.min_weight_kg and (weight_kg is None or weight_kg < dose.min_weight_kg):
        return none(f"under the minimum weight {dose.min_weight_kg:g} kg")
    if dose.by_age:
        amount = next((band.dose for band in dose.by_age
                       if band.age.start.days - 1e-9 <= age_days < band.age.end.days - 1e-9), None)
        if amount is None:
            return none("no age band for this age")
    elif weight_kg is None:
        return none("weight needed")
    elif dose.by_weight:
        amount = next((band.dose for band in dose.by_weight if band.from_kg <= weight_kg < band.to_kg), None)
        if amount is None:
            return none("no weight band for this weight")
    else:
        amount = dose.per_kg * weight_kg
    if dose.max_single is not None and amount > dose.max_single + 1e-9:
        return DoseResult(dose.id, dose.drug, dose.max_single, dose.unit, True)
    return DoseResult(dose.id, dose.drug, amount, dose.unit, False)


#: The WHO Pocket Book annex weight bands (kg, upper bound excluded) and the ages they usually match
#: (Pocket Book 2013 annex 2: 2–<4 mo 4–<6 kg, 4–<12 mo 6–<10 kg, 1–<3 y 10–<14 kg, 3–<5 y 14–19 kg);
#: beyond 5 years: typical WHO growth-reference weights.
WEIGHT_BANDS: tuple[tuple[float, float, float, float], ...] = (
    # from_kg, to_kg, typical from age (days), typical to age (days)
    (3, 6, 0, 120),
    (6, 10, 120, 365.25),
    (10, 15, 365.25, 3 * 365.25),
    (15, 20, 3 * 365.25, 5 * 365.25),
    (20, 30, 5 * 365.25, 9 * 365.25),
    (30, 40, 9 * 365.25, 12 * 365.25),
    (40, 50, 12 * 365.25, 14 * 365.25),
    (50, 70, 14 * 365.25, 18 * 365.25),
)


@dataclass(frozen=True)
class BandRow:
    """One row of a dose table: a weight band, the dose in it, and the measurable volume per formulation."""

    from_kg: float
    to_kg: float
    amount: float | None
    capped: bool
    volumes: tuple[tuple[str, float | None], ...]  # (formulation id, mL or units; None = not measurable)


def bands_for_ages(start_days: float, end_days: float) -> list[tuple[float, float]]:
    """The weight bands whose typical ages overlap [start, end)."""
    return [(low, high) for low, high, age_low, age_high in WEIGHT_BANDS
            if age_low < end_days - 1e-9 and start_days < age_high - 1e-9]


def table_rows(dose: Dose, formulations: list[Formulation], bands: list[tuple[float, float]]) -> list[BandRow]:
    """The dose in each weight band, computed at the band's lower weight (so no child in the band gets more
    per kg than ``per_kg``), capped at ``max_single``, and its volume rounded down to what can be measured."""
    rows = []
    for low, high in bands:
        if dose.by_weight:
            amount = next((band.dose for band in dose.by_weight
                           if band.from_kg <= low < band.to_kg), None)
        elif dose.per_kg is not None:
            amount = dose.per_kg * low
        else:
            amount = None
        capped = False
        if amount is not None and dose.max_single is not None and amount > dose.max_single + 1e-9:
            amount, capped = dose.max_single, True
        volumes = tuple((f.id, measurable(amount, dose.unit, f, dose.max_single)) for f in formulations)
        rows.append(BandRow(low, high, amount, capped, volumes))
    return rows


#: How far above the computed amount a rounded-up measurable amount may go (never above the maximum).
ROUND_UP_TOLERANCE = 0.1


def measurable(amount: float | None, unit: str, formulation: Formulation, maximum: float | None) -> float | None:
    """How much of a formulation gives ``amount``: mL rounded to ``step_ml``, or units rounded to ``split``.

    Rounds to the nearest step, or down when the nearest step would give more than ``maximum`` or more than
    ``ROUND_UP_TOLERANCE`` above the amount (half a 500 mg tablet is not a 150 mg dose)."""
    if amount is None:
        return None
    per_unit, step = _per_unit(unit, formulation)
    quantity = amount / per_unit
    rounded = round(quantity / step) * step
    over_maximum = maximum is not None and rounded * per_unit > maximum + 1e-9
    if over_maximum or rounded > quantity * (1 + ROUND_UP_TOLERANCE) + 1e-9:
        rounded = math.floor(quantity / step + 1e-9) * step
    return round(rounded, 3) if rounded > 0 else None


def _per_unit(unit: str, formulation: Formulation) -> tuple[float, float]:
    """(amount in the dose's unit per measured unit, the measurable step)."""
    strength = formulation.strength
    if unit == "mL" or strength is None:
        return 1.0, formulation.step_ml or 1.0
    if strength.ml is not None:
        return strength.mg_per_ml, formulation.step_ml
    return strength.mg, formulation.split
