"""manual/editions.yml: the editions of the manual, oldest first, validated like the chapters."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..manual.model import PlainText, Strict

#: A release folder's name and the ``version`` in versions.json: digits, letters, dots, hyphens.
VERSION_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z._-]*$"
#: Names that the releases folder uses for itself, so no edition may take them.
RESERVED = frozenset({"latest", "versions.json", "index.html"})

EditionStatus = Literal["trial", "current", "superseded"]
Version = Annotated[str, Field(pattern=VERSION_PATTERN, description="the folder name of the edition, e.g. 2018")]


class Label(Strict):
    """Words in both languages: ``{zh: 2018 试行版, en: 2018 trial edition}``."""

    zh: PlainText
    en: PlainText | None = None

    def get(self, lang: str) -> str:
        return getattr(self, lang, None) or self.zh


class Edition(Strict):
    """One edition: its folder name, number, label, publication date and status."""

    version: Version
    number: int = Field(ge=1)
    label: Label
    date: dt.date
    status: EditionStatus
    notes: Label | None = None

    @model_validator(mode="after")
    def _not_reserved(self) -> Edition:
        if self.version in RESERVED:
            raise ValueError(f"{self.version!r} is used by the releases folder itself; choose another version")
        return self

    def title(self) -> str:
        """The bilingual title shown in the version selector (shared by both languages)."""
        zh, en = self.label.zh, self.label.en
        return f"{zh} · {en}" if en and en != zh else zh


class Editions(Strict):
    """All editions, oldest first. The last one is the edition the working copy is being prepared as."""

    editions: list[Edition] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered_and_unique(self) -> Editions:
        versions = [edition.version for edition in self.editions]
        if len(set(versions)) != len(versions):
            raise ValueError("two editions have the same version; give each edition its own")
        numbers = [edition.number for edition in self.editions]
        if numbers != sorted(set(numbers)):
            raise ValueError("list the editions oldest first, with increasing numbers")
        dates = [edition.date for edition in self.editions]
        if dates != sorted(dates):
            raise ValueError("edition dates must not go back in time (list the editions oldest first)")
        return self

    @property
    def working(self) -> Edition:
        return self.editions[-1]

    def get(self, version: str) -> Edition | None:
        return next((edition for edition in self.editions if edition.version == version), None)

    def before(self, version: str) -> list[Edition]:
        """Editions older than ``version``, newest first."""
        edition = self.get(version)
        if edition is None:
            return []
        return [e for e in reversed(self.editions) if e.number < edition.number]
