"""Field types shared by the clinical data files (findings, medicines, doses, cases) and chapter items."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ..manual.ages import AgeBand, parse_age_band

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: A clinical rule code: CP and three digits (CP1xx urgency, CP2xx findings, CP3xx doses, CP4xx flowchart
#: logic, CP5xx case tests).
RULE_PATTERN = r"^CP[1-5][0-9][0-9]$"
_MARKUP = re.compile(r"<\s*[A-Za-z!/?]|&[A-Za-z#][A-Za-z0-9]*;")


def _plain_text(value: str) -> str:
    if _MARKUP.search(value):
        raise ValueError("contains HTML markup; write plain text (use words, not tags)")
    if not value.strip():
        raise ValueError("is empty")
    return value.strip()


def _coerce_str(value: object) -> object:
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


Id = Annotated[str, Field(pattern=ID_PATTERN, description="lowercase letters, digits and hyphens")]
#: A measure code of the vocabulary (snake_case, e.g. respiratory_rate).
MeasureCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
PlainText = Annotated[str, BeforeValidator(_coerce_str), AfterValidator(_plain_text)]
Band = Annotated[AgeBand, BeforeValidator(parse_age_band)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Words(Strict):
    """The same thing in each language: ``{zh: …, en: …}``."""

    zh: PlainText
    en: PlainText

    def get(self, lang: str) -> str:
        return getattr(self, lang, None) or self.zh


class Waiver(Strict):
    """Why a clinical rule does not apply to this item; the reason is shown to readers of the page."""

    rule: Annotated[str, Field(pattern=RULE_PATTERN)]
    reason: PlainText
    #: For a chapter-level CP204 waiver: the threshold table it concerns (the chapter cites its source for
    #: something else).
    table: Annotated[str, Field(pattern=ID_PATTERN)] | None = None


def waived(item: object, rule: str) -> bool:
    return any(waiver.rule == rule for waiver in getattr(item, "waivers", None) or ())
