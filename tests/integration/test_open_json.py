"""Plain JSON of the manual (``api/<edition>/``) validated against the JSON Schema published beside it, and the
schema.org MedicalWebPage JSON-LD of every chapter page (kept by the sanitizer, outside the CSP's scripts)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from cloudpeds.delivery.policy import inline_scripts
from cloudpeds.formats.api import ApiChapter, ApiManual, schema
from cloudpeds.manual.validate import check

from ..conftest import ROOT

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def api(sample_site: Path) -> Path:
    folders = sorted((sample_site / "api").iterdir())
    assert [f.name for f in folders] == ["2018"]  # the working edition of manual/editions.yml
    return folders[0]


@pytest.fixture(scope="module")
def manual():
    loaded, _ = check(ROOT / "manual", root=ROOT)
    return loaded


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_published_schemas_are_generated_from_the_model(api: Path):
    for name, model in (("manual.schema.json", ApiManual), ("chapter.schema.json", ApiChapter)):
        published = _load(api / name)
        jsonschema.Draft202012Validator.check_schema(published)
        assert published == schema(model)  # no site_url in the sample: no $id


def test_manual_and_every_chapter_validate_against_their_schema(api: Path, manual):
    whole = _load(api / "manual.json")
    jsonschema.Draft202012Validator(_load(api / "manual.schema.json")).validate(whole)
    chapter_schema = jsonschema.Draft202012Validator(_load(api / "chapter.schema.json"))
    files = sorted((api / "chapters").glob("*.json"))
    assert {f.stem for f in files} == set(manual.chapters["zh"]) and len(files) >= 10
    for path in files:
        data = _load(path)
        chapter_schema.validate(data)
        assert data in whole["chapters"]


def test_a_broken_file_fails_the_schema(api: Path):
    data = _load(api / "chapters" / "fever.json")
    data["versions"]["zh"]["recommendations"][0]["strength"] = "very strong"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, _load(api / "chapter.schema.json"), cls=jsonschema.Draft202012Validator)


def test_the_json_carries_the_validated_model(api: Path, manual):
    fever = _load(api / "chapters" / "fever.json")
    assert fever["edition"]["version"] == "2018" and fever["edition"]["label"]["zh"]
    assert fever["pages"] == {"zh": "manual/fever/", "en": "en/manual/fever/"}
    for lang in ("zh", "en"):
        meta = manual.chapters[lang]["fever"].meta
        version = fever["versions"][lang]
        assert version["title"] == meta.title
        assert [s["id"] for s in version["danger_signs"]] == [s.id for s in meta.danger_signs]
        assert [r["urgency"] for r in version["referrals"]] == [r.urgency for r in meta.referrals]
        assert [(r["strength"], r["certainty"]) for r in version["recommendations"]] == [
            (r.strength, r.certainty) for r in meta.recommendations]
        assert [d["id"] for d in version["doses"]] == [d.id for d in meta.doses]
    signs = fever["versions"]["en"]["danger_signs"]
    assert any(s["threshold"] or s["thresholds"] for s in signs)  # thresholds with units
    assert all(t["unit"] for s in signs for t in ([s["threshold"]] if s["threshold"] else []))
    assert {r["id"] for r in fever["references"]} >= set(fever["versions"]["zh"]["references"])
    # Same numbers in both languages: every language-neutral field of the model agrees.
    zh, en = fever["versions"]["zh"], fever["versions"]["en"]
    assert [d["per_kg"] for d in zh["doses"]] == [d["per_kg"] for d in en["doses"]]


def _ld(page: Path) -> dict:
    blocks = LD_JSON.findall(page.read_text(encoding="utf-8"))
    assert len(blocks) == 1, page
    return json.loads(blocks[0])


def test_every_chapter_page_carries_medical_web_page_json_ld(sample_site: Path, manual):
    for lang, prefix in (("zh", ""), ("en", "en/")):
        for chapter_id, chapter in manual.chapters[lang].items():
            page = sample_site / prefix / "manual" / chapter_id / "index.html"
            data = _ld(page)
            assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
            assert data["audience"] == {"@type": "MedicalAudience", "audienceType": "Clinician"}
            assert data["lastReviewed"] == chapter.meta.last_reviewed.isoformat()
            assert data["about"]["name"] == chapter.meta.title
            assert data["inLanguage"] == {"zh": "zh-CN", "en": "en"}[lang]
            assert data["citation"] and all(c["@type"] == "CreativeWork" and c["name"] for c in data["citation"])
            assert "url" not in data  # no site_url in the sample: no made-up address


def test_json_ld_is_data_not_a_script_for_the_csp(sample_site: Path):
    page = (sample_site / "manual" / "fever" / "index.html").read_text(encoding="utf-8")
    assert not any('"@context"' in source for source in inline_scripts(page))
    headers = (sample_site / "_headers").read_text(encoding="utf-8")
    assert "script-src" in headers and "'unsafe-inline'" not in headers.split("script-src", 1)[1].split(";")[0]
