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
from ..preview import Memo, digest, remembered
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


def api_files(manual, *, layout, edition: EditionRef, site_url: str | None = None, memo: Memo | None = None,
              scope: str = "") -> dict[str, str]:
    """Site path → JSON text: the manual, each chapter and the two schemas, under ``api/<edition>/``.

    ``memo`` (the live preview, `cloudpeds.preview`): each chapter's JSON is remembered by its versions' digests
    and ``scope`` (the digest of the manual's shared files: references, groups); manual.json is put together
    from the chapters' texts, exactly as dumping the whole model writes it (its chapters come last)."""
    folder = f"{API_DIR}/{edition.version}"
    ids = chapter_ids(manual)

    def chapter_json(chapter_id: str) -> str:
        return remembered(memo, "api-chapter", lambda: _chapter_key(manual, chapter_id, layout, edition, site_url,
                                                                    scope),
                          lambda: _dump(build_chapter(manual, chapter_id, layout=layout, edition=edition,
                                                      site_url=site_url).model_dump(mode="json")))
    chapters = {chapter_id: chapter_json(chapter_id) for chapter_id in ids}
    head = ApiManual(format=FORMAT_VERSION, edition=edition_model(edition), languages=list(manual.languages),
                     groups=list(manual.groups), references=list(manual.references.values()), chapters=[])
    text = _dump(head.model_dump(mode="json"))
    assert text.endswith(',"chapters":[]}\n')
    whole = text[:-len("]}\n")] + ",".join(chapter.rstrip("\n") for chapter in chapters.values()) + "]}\n"
    files = {f"{folder}/{MANUAL_FILE}": whole}
    for chapter_id, chapter in chapters.items():
        files[f"{folder}/chapters/{chapter_id}.json"] = chapter
    base = f"{site_url.rstrip('/')}/{folder}/" if site_url else None
    for name, model in ((MANUAL_SCHEMA, ApiManual), (CHAPTER_SCHEMA, ApiChapter)):
        files[f"{folder}/{name}"] = remembered(
            memo, "api-schema", lambda n=name, m=model: digest(n, m.__name__, base),
            lambda n=name, m=model: json.dumps(schema(m, schema_id=base and base + n), indent=1) + "\n")
    return files


def _chapter_key(manual, chapter_id: str, layout, edition: EditionRef, site_url: str | None, scope: str) -> str:
    versions = [(lang, manual.chapters[lang][chapter_id].digest) for lang in manual.languages
                if chapter_id in manual.chapters.get(lang, {})]
    return digest(scope, chapter_id, versions, repr(edition), site_url, layout.directory_urls,
                  [layout.chapter(lang, chapter_id) for lang, _ in versions])
