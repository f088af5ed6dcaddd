"""Plain JSON of the validated manual, for other systems: ``api/<edition>/manual.json``, one
``api/<edition>/chapters/<id>.json`` per chapter, and beside them the JSON Schemas generated from the same
pydantic models (``manual.schema.json``, ``chapter.schema.json``).

A chapter file carries each language version's validated front matter (`model.ChapterMeta`: danger signs with
thresholds, referrals with pre-referral treatment, doses, recommendations with strength and certainty,
references, review dates), the page of each language and the references it cites. An age band is
``{start: {value, unit}, end: {value, unit}}`` as the editor wrote it (the clinical export,
`cloudpeds.clinical.export`, is the one with ages in days).
"""

from __future__ import annotations

import datetime as dt
import json

from pydantic import BaseModel, ConfigDict, Field

from ..manual.model import ChapterMeta, Group, Reference
from .common import EditionRef, cited_references, page_url

API_DIR = "api"
FORMAT_VERSION = 1
MANUAL_FILE = "manual.json"
MANUAL_SCHEMA = "manual.schema.json"
CHAPTER_SCHEMA = "chapter.schema.json"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class _Api(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ApiEdition(_Api):
    """The edition the file describes."""

    version: str = Field(description="the edition's folder name, e.g. 2018 (draft: no editions.yml)")
    label: dict[str, str] = Field(default_factory=dict, description="the edition's label per language")
    date: dt.date | None = Field(default=None, description="the publication date")


class ApiChapter(_Api):
    """One chapter in every language."""

    format: int = Field(description="the version of this file format")
    edition: ApiEdition
    id: str = Field(description="the chapter's stable id")
    pages: dict[str, str] = Field(description="language → the chapter's page (absolute with site_url)")
    versions: dict[str, ChapterMeta] = Field(description="language → the validated front matter of that version")
    references: list[Reference] = Field(description="the references the chapter cites, in citation order")


class ApiManual(_Api):
    """The whole manual: groups, bibliography and every chapter."""

    format: int = Field(description="the version of this file format")
    edition: ApiEdition
    languages: list[str] = Field(description="the languages, default first")
    groups: list[Group]
    references: list[Reference] = Field(description="the shared bibliography")
    chapters: list[ApiChapter] = Field(description="every chapter, in reading order")


def edition_model(edition: EditionRef) -> ApiEdition:
    return ApiEdition(version=edition.version, label=edition.label, date=edition.date)


def chapter_ids(manual) -> list[str]:
    """Chapter ids in the default language's reading order, then any only in another language."""
    ids: list[str] = []
    for lang in manual.languages:
        ids += [chapter.id for chapter in manual.in_language(lang) if chapter.id not in ids]
    return ids


def build_chapter(manual, chapter_id: str, *, layout, edition: EditionRef, site_url: str | None) -> ApiChapter:
    versions = {lang: manual.chapters[lang][chapter_id].meta for lang in manual.languages
                if chapter_id in manual.chapters.get(lang, {})}
    first = next(iter(versions.values()))
    return ApiChapter(
        format=FORMAT_VERSION, edition=edition_model(edition), id=chapter_id,
        pages={lang: page_url(layout.chapter(lang, chapter_id), site_url=site_url,
                              directory_urls=layout.directory_urls) for lang in versions},
        versions=versions,
        references=[manual.references[ref] for ref in cited_references(first) if ref in manual.references],
    )


def build_manual(manual, *, layout, edition: EditionRef, site_url: str | None) -> ApiManual:
    return ApiManual(
        format=FORMAT_VERSION, edition=edition_model(edition), languages=list(manual.languages),
        groups=list(manual.groups), references=list(manual.references.values()),
        chapters=[build_chapter(manual, cid, layout=layout, edition=edition, site_url=site_url)
                  for cid in chapter_ids(manual)],
    )


def schema(model: type[BaseModel], *, schema_id: str | None = None) -> dict:
    """The JSON Schema (draft 2020-12) of what ``model.model_dump(mode="json")`` writes (``$id``: its URL, when
    the site has a ``site_url``)."""
    generated = model.model_json_schema(mode="serialization")
    return {"$schema": JSON_SCHEMA_DIALECT, **({"$id": schema_id} if schema_id else {}), **generated}


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def api_files(manual, *, layout, edition: EditionRef, site_url: str | None = None) -> dict[str, str]:
    """Site path → JSON text: the manual, each chapter and the two schemas, under ``api/<edition>/``."""
    folder = f"{API_DIR}/{edition.version}"
    whole = build_manual(manual, layout=layout, edition=edition, site_url=site_url)
    files = {f"{folder}/{MANUAL_FILE}": _dump(whole.model_dump(mode="json"))}
    for chapter in whole.chapters:
        files[f"{folder}/chapters/{chapter.id}.json"] = _dump(chapter.model_dump(mode="json"))
    base = f"{site_url.rstrip('/')}/{folder}/" if site_url else None
    for name, model in ((MANUAL_SCHEMA, ApiManual), (CHAPTER_SCHEMA, ApiChapter)):
        files[f"{folder}/{name}"] = json.dumps(schema(model, schema_id=base and base + name), indent=1) + "\n"
    return files
