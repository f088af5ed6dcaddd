"""The chapter model: what an editor writes in a chapter's front matter, validated by pydantic.

Field docstrings are what the editor's guide shows; keep them short and concrete.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..clinical.doses import Dose

# The shared field types live with the clinical data formats, which chapters embed (doses, waivers).
from ..clinical.types import ID_PATTERN, Band, Id, PlainText, Waiver

Triage = Literal["red", "amber", "green"]
#: A level of the one urgency scale (cloudpeds.clinical.urgency).
Urgency = Literal["emergency", "urgent", "routine", "observe", "treat-home", "home"]
Strength = Literal["strong", "conditional", "practice-statement"]
Certainty = Literal["high", "moderate", "low", "very-low", "not-graded"]
Status = Literal["draft", "trial", "current", "withdrawn"]
Operator = Literal[">", ">=", "<", "<="]

TRIAGE_ORDER: tuple[Triage, ...] = ("red", "amber", "green")
URGENCY_ORDER: tuple[Urgency, ...] = ("emergency", "urgent", "routine", "observe", "treat-home", "home")

#: Units each measured quantity may be given in. A threshold always carries one of these.
MEASURE_UNITS: dict[str, tuple[str, ...]] = {
    "temperature": ("°C",),
    "respiratory_rate": ("/min",),
    "heart_rate": ("/min",),
    "spo2": ("%",),
    "capillary_refill": ("s",),
    "duration": ("min", "h", "d"),
    "bilirubin": ("μmol/L", "mg/dL"),
    "glucose": ("mmol/L", "mg/dL"),
    "weight_loss": ("%",),
    "age": ("h", "d", "w", "mo", "y"),
    "weight": ("kg",),
    "gestational_age": ("w",),
}
Measure = Literal[
    "temperature", "respiratory_rate", "heart_rate", "spo2", "capillary_refill",
    "duration", "bilirubin", "glucose", "weight_loss", "age", "weight", "gestational_age",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Threshold(Strict):
    """One numeric cut-off: ``{measure: temperature, op: ">=", value: 38, unit: "°C"}``."""

    measure: Measure
    op: Operator
    value: float
    unit: str

    @model_validator(mode="after")
    def _unit_fits_measure(self) -> Threshold:
        allowed = MEASURE_UNITS[self.measure]
        if self.unit not in allowed:
            raise ValueError(
                f"unit {self.unit!r} does not fit {self.measure}; use {' or '.join(allowed)}"
            )
        return self

    def value_text(self) -> str:
        return f"{self.value:g}"


class SignThreshold(Strict):
    """One entry of a sign's ``thresholds``: a literal threshold, or ``{table: ID}`` naming a threshold table
    of manual/findings.yml (age-banded cut-offs, e.g. ``rr-fast-breathing``)."""

    table: Annotated[str, Field(pattern=ID_PATTERN)] | None = None
    measure: Measure | None = None
    op: Operator | None = None
    value: float | None = None
    unit: str | None = None

    @model_validator(mode="after")
    def _table_or_threshold(self) -> SignThreshold:
        literal = (self.measure, self.op, self.value, self.unit)
        if self.table is not None:
            if any(part is not None for part in literal):
                raise ValueError("give either `table` or `measure`, `op`, `value` and `unit`, not both")
        elif any(part is None for part in literal):
            raise ValueError("a threshold needs `measure`, `op`, `value` and `unit` (or `table: ID`)")
        else:
            Threshold(measure=self.measure, op=self.op, value=self.value, unit=self.unit)
        return self


class DangerSign(Strict):
    """A sign to check first; any red one short-circuits to urgent referral."""

    id: Id
    text: PlainText
    triage: Triage
    age_bands: list[Band] = Field(min_length=1)
    threshold: Threshold | None = None
    #: Why this sign is routed to another level than its colour calls for (red → emergency); shown to readers.
    triage_reason: PlainText | None = None
    #: Finding codes of manual/findings.yml that make this sign (any one of them, unless ``match: all``).
    findings: list[Annotated[str, Field(pattern=ID_PATTERN)]] = []
    #: More thresholds (literal, or ``{table: ID}``) besides ``threshold``.
    thresholds: list[SignThreshold] = []
    #: ``any`` (default): one finding or threshold is enough; ``all``: every one must hold.
    match: Literal["any", "all"] = "any"
    #: Clinical rules waived for this item, each with the reason shown to readers.
    waivers: list[Waiver] = []


class Treatment(Strict):
    """A pre-referral treatment step. A dose needs the source that gives it."""

    text: PlainText
    sources: list[Id] = []
    #: The id of a dose of this chapter's ``doses`` that this step gives (rendered from the data).
    dose: Id | None = None


class Referral(Strict):
    """When to refer, where to, within what time, and what to give before transfer."""

    id: Id
    urgency: Urgency
    target: PlainText
    time_frame: PlainText
    signs: list[Id] = []
    criteria: list[PlainText] = []
    pre_referral: list[Treatment] = []
    waivers: list[Waiver] = []

    @model_validator(mode="after")
    def _has_criteria(self) -> Referral:
        if not self.signs and not self.criteria:
            raise ValueError("a referral needs at least one danger sign id in `signs` or a `criteria` text")
        return self


class Recommendation(Strict):
    """A recommendation with its GRADE-style strength and certainty."""

    id: Id
    text: PlainText
    strength: Strength
    certainty: Certainty
    sources: list[Id] = []
    #: The id of a dose of this chapter's ``doses`` that this recommendation gives (rendered from the data).
    dose: Id | None = None

    @model_validator(mode="after")
    def _grading_is_consistent(self) -> Recommendation:
        if self.strength == "practice-statement" and self.certainty != "not-graded":
            raise ValueError("a practice statement is not graded: set `certainty: not-graded`")
        if self.strength != "practice-statement" and not self.sources:
            raise ValueError("a graded recommendation needs `sources` (reference ids)")
        return self


class ActNowStep(Strict):
    """One step of the first minutes, in order. A dose is given by naming dose items (``doses``), which the
    page shows with this child's computed amount when a weight is set."""

    id: Id
    text: PlainText
    #: Ids of this chapter's ``doses`` that this step gives.
    doses: list[Id] = []
    sources: list[Id] = []


class ActNow(Strict):
    """What to do in the first minutes when the child may be dying now; shown first on the page."""

    #: The situations, each a short phrase (convulsing now; shock or severe dehydration; purpura with fever…).
    when: list[PlainText] = Field(min_length=1)
    steps: list[ActNowStep] = Field(min_length=1)


class ComeBackNow(Strict):
    """A reason for parents to come back at once, in their words, with the danger signs it stands for."""

    text: PlainText
    #: Ids of this chapter's danger signs that this sentence tells the parents to watch for.
    signs: list[Id] = Field(min_length=1)


class ComeBackAnyway(Strict):
    """A reason to come back even when no danger sign appears (e.g. fever for 5 days), with its sources."""

    text: PlainText
    sources: list[Id] = []


class ParentAdvice(Strict):
    """What the parents take home: the phone page ``/parents/<chapter>/`` and the printed handout."""

    #: What to do at home.
    home: list[PlainText] = Field(min_length=1)
    #: What not to do.
    avoid: list[PlainText] = []
    #: When to come back at once: each reason names the danger signs it stands for.
    come_back_now: list[ComeBackNow] = Field(min_length=1)
    #: When to come back anyway.
    come_back_anyway: list[ComeBackAnyway] = []
    #: Red danger signs only a health worker can find (a measured value, a test): not expected among the
    #: reasons parents watch for.
    not_for_parents: list[Id] = []


class ChapterMeta(Strict):
    """A symptom chapter's front matter."""

    id: Id
    title: PlainText
    synonyms: list[PlainText] = []
    group: Id
    status: Status
    order: int = 100
    summary: PlainText | None = None
    age_range: Band
    age_bands: list[Band] = Field(min_length=1)
    #: The first minutes when the child may be dying now (rendered above the danger signs).
    act_now: ActNow | None = None
    danger_signs: list[DangerSign] = Field(min_length=1)
    referrals: list[Referral] = Field(min_length=1)
    recommendations: list[Recommendation] = []
    references: list[Id] = []
    authors: list[PlainText] = Field(min_length=1)
    reviewers: list[PlainText] = []
    last_reviewed: dt.date
    next_review_due: dt.date
    related: list[Id] = []
    #: Structured doses (cloudpeds.clinical.doses.Dose), referred to from the text by id.
    doses: list[Dose] = []
    #: Chapter-level waivers of clinical rules (e.g. CP204 for one `table`), each with the reason shown to readers.
    waivers: list[Waiver] = []
    #: Advice for parents (plain words): the phone page /parents/<chapter>/ and the printed handout.
    parent_advice: ParentAdvice | None = None


class Reference(Strict):
    """An entry of the shared bibliography (manual/references/*.yml)."""

    id: Id
    title: PlainText
    publisher: PlainText | None = None
    version: PlainText
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None


class Bibliography(Strict):
    references: list[Reference]


class Group(Strict):
    """A body-system group: a section of the navigation and of the symptom grid."""

    id: Id
    title: dict[str, PlainText]


class Groups(Strict):
    groups: list[Group] = Field(min_length=1)


#: Fields whose values must agree between the language versions of a chapter, as paths
#: inside each item (``None`` = the chapter itself).
LANGUAGE_NEUTRAL = {
    None: ("group", "status", "order", "age_range", "age_bands", "references", "related",
           "last_reviewed", "next_review_due"),
    "danger_signs": ("triage", "age_bands", "threshold", "findings", "thresholds", "match"),
    "referrals": ("urgency", "signs"),
    "doses": ("drug", "route", "unit", "per_kg", "by_weight", "by_age", "max_single", "max_24h",
              "max_doses_24h", "interval", "max_doses", "min_age", "min_weight_kg", "ages", "source_ages",
              "formulations", "sources"),
    "recommendations": ("strength", "certainty", "sources"),
}

#: Fields of each ``act_now`` step (matched by id) that must agree between the language versions.
ACT_NOW_NEUTRAL = ("doses", "sources")
