"""A consortium member's site file (``sites/<id>.yml``): who the member is, where it sends children at each
level of the urgency scale, what it stocks, and its own notes on chapter items.

Field docstrings are what the editor's guide shows; keep them short and concrete.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, field_validator

from ..clinical.types import Id, PlainText, Strict, Words

#: A level of the one urgency scale (cloudpeds.clinical.urgency).
Level = Literal["emergency", "urgent", "routine", "observe", "treat-home", "home"]
#: Digits with spaces or hyphens, optionally a leading + (``021-5551-0120``, ``120``).
PHONE_PATTERN = r"^\+?[0-9][0-9 -]{1,22}[0-9]$"


def _phone(value: str) -> str:
    if not re.fullmatch(PHONE_PATTERN, value):
        raise ValueError(f"{value!r} is not a phone number: write its digits, with spaces or hyphens between "
                         "groups if you like (e.g. 021-5551-0101, or 120)")
    return value


Phone = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) and not isinstance(v, bool) else v),
                  AfterValidator(_phone)]


class ClinicPhone(Strict):
    """One of the clinic's own numbers: ``{label: {zh: 儿科诊室, en: Paediatric clinic}, number: 021-5551-0101}``."""

    label: Words
    number: Phone


class Route(Strict):
    """Where this member sends a child at one urgency level."""

    #: The receiving hospital and department.
    department: Words
    address: Words
    phone: Phone
    #: When the department receives children (e.g. 24 小时 / 24 h).
    hours: Words
    #: How to use the green channel: whom to call first, what to say, where to arrive.
    green_channel: Words | None = None
    #: What to send with the child (referral note, results, the medicines given…), one entry each.
    send_with: list[Words] = Field(default_factory=list)


class Alternative(Strict):
    """A formulation the member does not stock, and what to use instead (shown under the dose tables)."""

    formulation: Id
    instead: Words


class LocalFormulary(Strict):
    """What the member stocks. ``stocked``: medicine ids (all their formulations) or formulation ids of
    manual/medicines.yml. Every other formulation is shown as not stocked, with its ``alternatives`` entry."""

    stocked: list[Id] = Field(min_length=1)
    alternatives: list[Alternative] = Field(default_factory=list)


class LocalNote(Strict):
    """The member's own note on a chapter item (a danger sign, referral, dose or recommendation, by id),
    shown in a box marked 本院 / Local right after the item."""

    item: Id
    text: Words


class Member(Strict):
    """A consortium member's site."""

    id: Id
    name: Words
    short_name: Words
    #: A picture file (SVG or PNG) beside the site file or in the project, shown in the member's banner.
    logo: PlainText | None = None
    #: true while the contact data are invented (a sample): every page then says so.
    sample: bool = False
    #: The local emergency number (120 in mainland China).
    emergency_number: Phone
    phones: list[ClinicPhone] = Field(min_length=1)
    #: Per urgency level, where to send the child. ``emergency`` is required.
    routes: dict[Level, Route]
    formulary: LocalFormulary | None = None
    notes: list[LocalNote] = Field(default_factory=list)

    @field_validator("routes")
    @classmethod
    def _emergency_route(cls, routes: dict[str, Route]) -> dict[str, Route]:
        if "emergency" not in routes:
            raise ValueError("`routes` needs an `emergency` route (where a child with a red sign goes)")
        return routes

    def numbers(self) -> set[str]:
        """Every phone number this file gives (for checks that a page shows this member's and no other's)."""
        return {self.emergency_number, *(p.number for p in self.phones), *(r.phone for r in self.routes.values())}


#: Shown in the site and the bedside data as the member's label while ``sample`` is true.
SAMPLE_LABEL = {"zh": "示例", "en": "sample"}
#: The box label of a member's local note.
LOCAL_LABEL = {"zh": "本院", "en": "Local"}

__all__ = ["Alternative", "ClinicPhone", "Level", "LocalFormulary", "LocalNote", "Member", "PlainText", "Route"]
