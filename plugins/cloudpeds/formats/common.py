"""What the open formats share: the edition they describe, canonical URLs, a chapter's cited references."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .. import links
from ..manual.model import ChapterMeta

#: The edition name used when the manual has no manual/editions.yml.
DRAFT = "draft"


@dataclass(frozen=True)
class EditionRef:
    """The edition a file describes: its folder name (``2018``), label per language and publication date."""

    version: str = DRAFT
    label: dict[str, str] = field(default_factory=dict)
    date: dt.date | None = None

    @classmethod
    def of(cls, edition: object | None) -> EditionRef:
        """From a `cloudpeds.editions.model.Edition` (or None: the draft)."""
        if edition is None:
            return cls()
        label = getattr(edition, "label", None)
        words = label.model_dump(exclude_none=True) if hasattr(label, "model_dump") else dict(label or {})
        return cls(str(edition.version), words, getattr(edition, "date", None))


def site_base(site_url: str | None) -> str:
    """``https://peds.example.org/manual/`` (always ending in ``/``), or "" for a site without ``site_url``."""
    return (site_url.rstrip("/") + "/") if site_url else ""


def page_url(doc: str, *, site_url: str | None, directory_urls: bool = True) -> str:
    """The URL of a page: absolute under ``site_url`` when it is set, else relative to the site's root."""
    return site_base(site_url) + links.url_of(doc, directory_urls=directory_urls)


def cited_references(meta: ChapterMeta) -> list[str]:
    """Reference ids in citation order: declared first, then any cited only in an item (as on the page)."""
    cited = [*meta.references]
    for referral in meta.referrals:
        for step in referral.pre_referral:
            cited += step.sources
    for recommendation in meta.recommendations:
        cited += recommendation.sources
    for dose in meta.doses:
        cited += dose.sources
    return list(dict.fromkeys(cited))
