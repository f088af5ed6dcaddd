"""The findings vocabulary (manual/findings.yml): finding codes, measures with units, threshold tables.

A value with a unit (``15mg/dL``, ``40h``, ``37.8``) is converted to the measure's default unit here; the
evaluator, the case runner and ``cloudpeds assess`` all go through :func:`Vocabulary.parse_value`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from ..diagnostics import Diagnostic
from .types import Band, Id, MeasureCode, Strict, Words

Operator = Literal[">", ">=", "<", "<="]
#: Spellings of a unit that mean the same unit.
UNIT_ALIASES = {"µmol/L": "μmol/L", "umol/L": "μmol/L", "°c": "°C", "C": "°C", "bpm": "/min",
                "m": "mo", "mon": "mo", "yr": "y", "y/o": "y", "wk": "w", "days": "d", "day": "d",
                "hours": "h", "hour": "h", "mins": "min", "mg/dl": "mg/dL", "mmol/l": "mmol/L"}
_VALUE = re.compile(r"^\s*(?P<number>[-+]?\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s].*)?\s*$")


class Finding(Strict):
    """An observed finding: a stable code and its label in each language."""

    code: Id
    label: Words


class Measure(Strict):
    """A measured quantity: its default unit, other units as a factor to the default, the plausible range."""

    code: MeasureCode
    label: Words
    unit: str
    #: Other units: how many default units one of them is (``mg/dL: 17.1`` for bilirubin in μmol/L).
    units: dict[str, float] = Field(default_factory=dict)
    #: Values outside this range (in the default unit) are impossible: an input error, not a finding.
    range: tuple[float, float]

    def all_units(self) -> tuple[str, ...]:
        return (self.unit, *self.units)


class TableRow(Strict):
    """One row of a threshold table: an age band (``by: age``) or an hour of age (``by: hours``)."""

    age: Band | None = None
    hours: float | None = None
    value: float


class ThresholdTable(Strict):
    """An age-banded (or hour-of-age) table of cut-offs for one measure, compared with one operator."""

    id: Id
    label: Words
    measure: MeasureCode
    op: Operator
    by: Literal["age", "hours"]
    #: What the cited source makes of a value beyond the cut-off (red: refer as an emergency; amber: same
    #: day). With it, a chapter that cites the source must have a sign of that colour (or worse) that a
    #: value beyond the cut-off meets, at every age of the table (rule CP204).
    triage: Literal["red", "amber"] | None = None
    sources: list[Id] = Field(min_length=1)
    rows: list[TableRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _rows_fit(self) -> ThresholdTable:
        key = "age" if self.by == "age" else "hours"
        for index, row in enumerate(self.rows):
            if getattr(row, key) is None:
                raise ValueError(f"row {index + 1} needs `{key}` (the table is `by: {self.by}`)")
        if self.by == "hours" and [row.hours for row in self.rows] != sorted(row.hours for row in self.rows):
            raise ValueError("rows of a `by: hours` table go in increasing hours")
        return self

    def cutoff(self, age_days: float) -> float | None:
        """The cut-off at this age; ``by: hours`` interpolates linearly between rows, constant after the last."""
        if self.by == "age":
            for row in self.rows:
                if row.age.start.days - 1e-9 <= age_days < row.age.end.days - 1e-9:
                    return row.value
            return None
        hours = age_days * 24
        rows = self.rows
        if hours < rows[0].hours:
            return None
        for low, high in itertools.pairwise(rows):
            if low.hours <= hours < high.hours:
                return low.value + (high.value - low.value) * (hours - low.hours) / (high.hours - low.hours)
        return rows[-1].value


class VocabularyFile(Strict):
    findings: list[Finding] = Field(min_length=1)
    measures: list[Measure] = Field(min_length=1)
    tables: list[ThresholdTable] = Field(default_factory=list)


def compare(value: float, op: str, cutoff: float) -> bool:
    return {">": value > cutoff, ">=": value >= cutoff, "<": value < cutoff, "<=": value <= cutoff}[op]


class BadValue(ValueError):
    """A value that cannot be read or is impossible; the message is one line for the user."""


@dataclass
class Vocabulary:
    findings: dict[str, Finding]
    measures: dict[str, Measure]
    tables: dict[str, ThresholdTable]
    path: str = "manual/findings.yml"
    positions: object = None

    def convert(self, measure: str, value: float, unit: str | None) -> float:
        """``value`` in ``unit`` → the measure's default unit."""
        spec = self.measures[measure]
        unit = normalise_unit(unit) if unit else spec.unit
        if unit == spec.unit:
            return value
        if unit not in spec.units:
            raise BadValue(f"unit {unit!r} does not fit {measure}; use {' or '.join(spec.all_units())}")
        return value * spec.units[unit]

    def from_default(self, measure: str, value: float, unit: str) -> float:
        """A value in the default unit, shown in another of the measure's units."""
        spec = self.measures[measure]
        return value if normalise_unit(unit) == spec.unit else value / spec.units[normalise_unit(unit)]

    def parse_value(self, measure: str, text: object) -> float:
        """``"15mg/dL"``, ``"40h"``, ``38.2`` → a number in the default unit, range-checked."""
        if measure not in self.measures:
            raise BadValue(f"unknown measure {measure!r}; known: {', '.join(sorted(self.measures))}")
        if isinstance(text, bool):
            raise BadValue(f"{measure}: {text!r} is not a number")
        if isinstance(text, (int, float)):
            number, unit = float(text), None
        else:
            match = _VALUE.match(str(text))
            if not match:
                raise BadValue(f"{measure}: {text!r} is not a number with an optional unit (e.g. 38.2 or 15mg/dL)")
            number, unit = float(match["number"]), (match["unit"] or "").strip() or None
        value = self.convert(measure, number, unit)
        low, high = self.measures[measure].range
        if not low <= value <= high:
            spec = self.measures[measure]
            raise BadValue(f"{measure} {text} is impossible (plausible range {low:g}–{high:g} {spec.unit})")
        return value


def normalise_unit(unit: str) -> str:
    unit = unit.strip()
    return UNIT_ALIASES.get(unit, UNIT_ALIASES.get(unit.lower(), unit))


def load_vocabulary(path: Path, root: Path, diagnostics: list[Diagnostic]) -> Vocabulary | None:
    """Read manual/findings.yml; problems are added to ``diagnostics`` (file:line), ``None`` if it failed."""
    from ..diagnostics import display_path, error
    from ..manual.loader import load_yaml_model

    if not path.exists():
        return None
    loaded = load_yaml_model(path, VocabularyFile, root, diagnostics)
    if loaded is None:
        return None
    data, positions = loaded
    shown = display_path(path, root)
    vocabulary = Vocabulary({}, {}, {}, shown, positions)
    for kind, items, key in (("findings", data.findings, "code"), ("measures", data.measures, "code"),
                             ("tables", data.tables, "id")):
        seen: dict[str, object] = getattr(vocabulary, kind)
        for index, item in enumerate(items):
            name = getattr(item, key)
            if name in seen:
                line, col = positions.of((kind, index, key))
                diagnostics.append(error(shown, line, col, f"{kind}[{index}].{key}", f"{name!r} is given twice",
                                         "give each entry one code", code="CP201"))
            seen[name] = item
    for index, table in enumerate(data.tables):
        if table.measure not in vocabulary.measures:
            line, col = positions.of(("tables", index, "measure"))
            diagnostics.append(error(shown, line, col, f"tables[{index}].measure",
                                     f"unknown measure {table.measure!r}", "list it under `measures:`",
                                     code="CP201"))
    return vocabulary


