"""Case tests (manual/cases/<chapter>.yml): vignettes with an expected result, run through the evaluator.

Like WHO SMART Guidelines' test scenarios: each case is a child (age, weight, measures, findings) and what
the chapter's data must decide for it (triage, urgency, referral, signs, path, doses). ``cloudpeds check``
runs every case and reports a mismatch at the case's file:line (rule CP501).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field

from ..diagnostics import Diagnostic
from .types import Id, PlainText, Strict, Words

Level = Literal["emergency", "urgent", "routine", "observe", "treat-home", "home"]


class Expectation(Strict):
    """What the chapter must decide. Only the keys given are compared."""

    triage: Literal["red", "amber", "green", "none"] | None = None
    urgency: Level | None = None
    referral: Id | Literal["none"] | None = None
    #: Danger sign ids that must be among those met (others may be met too).
    signs: list[Id] | None = None
    #: Danger sign ids that must not be met.
    not_signs: list[Id] | None = None
    #: The flowchart path, node ids from the start to the disposition.
    path: list[str] | None = None
    #: Dose id → amount in the dose's unit (mg, or mL for a dose in mL); ``null`` = no dose for this child.
    doses: dict[str, float | None] | None = None


class Case(Strict):
    id: Id
    title: PlainText | Words
    sources: list[Id] = Field(min_length=1)
    #: ``21d``, ``40h``, ``3mo``, ``2y``.
    age: str
    #: Kilograms (``3.5``), or with a unit (``3500g``).
    weight: float | str | None = None
    #: Measure code → value in the default unit, or with a unit (``15mg/dL``).
    measures: dict[str, float | str] = Field(default_factory=dict)
    findings: list[Id] = Field(default_factory=list)
    expect: Expectation


class CaseFile(Strict):
    chapter: Id
    cases: list[Case] = Field(min_length=1)


@dataclass
class LoadedCases:
    path: str
    chapter: str
    cases: list[Case]
    positions: object
    index: dict[str, int] = field(default_factory=dict)

    def where(self, case_index: int, *rest: str | int) -> tuple[int, int]:
        return self.positions.of(("cases", case_index, *rest))


def load_cases(cases_dir: Path, root: Path, diagnostics: list[Diagnostic]) -> list[LoadedCases]:
    """Every manual/cases/*.yml; the file name must be the chapter id."""
    from ..diagnostics import display_path, error
    from ..manual.loader import load_yaml_model

    loaded: list[LoadedCases] = []
    if not cases_dir.is_dir():
        return loaded
    seen: dict[str, str] = {}
    for path in sorted(cases_dir.glob("*.yml")):
        result = load_yaml_model(path, CaseFile, root, diagnostics)
        if result is None:
            continue
        data, positions = result
        shown = display_path(path, root)
        if data.chapter != path.stem:
            line, col = positions.of(("chapter",))
            diagnostics.append(error(shown, line, col, "chapter",
                                     f"the file is named {path.name} but tests chapter {data.chapter!r}",
                                     f"name it {data.chapter}.yml", code="CP502"))
        cases = LoadedCases(shown, data.chapter, data.cases, positions)
        for index, case in enumerate(data.cases):
            if case.id in seen:
                line, col = cases.where(index, "id")
                diagnostics.append(error(shown, line, col, f"cases[{index}].id",
                                         f"case id {case.id!r} is already used in {seen[case.id]}",
                                         "give each case its own id", code="CP502"))
            seen[case.id] = shown
            cases.index[case.id] = index
        loaded.append(cases)
    return loaded
