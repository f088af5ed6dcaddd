"""`cloudpeds fhir` on the sample: every resource validates with fhir.resources (FHIR R4B 4.3.0, the R4-compatible
release that fhir.resources 8 ships besides R5; Citation exists only from R4B on), canonical URLs are stable and
resolve inside the Bundle, and the resources carry the chapter's logic."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cloudpeds.manual.validate import check

from ..conftest import ROOT

r4b = pytest.importorskip("fhir.resources.R4B")

SITE_URL = "https://peds.example.org/manual/"
PRIORITIES = {"routine", "urgent", "asap", "stat"}


def run_fhir(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cloudpeds.cli", "fhir", "--out", str(out), *extra],
                          cwd=ROOT, capture_output=True, text=True, check=False, timeout=600,
                          env={**__import__("os").environ, "CLOUDPEDS_LANG": "en"})


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fhir")
    result = run_fhir(folder, "--site-url", SITE_URL)
    assert result.returncode == 0, result.stderr
    return folder / "2018"


@pytest.fixture(scope="module")
def manual():
    loaded, _ = check(ROOT / "manual", root=ROOT)
    return loaded


def _resources(folder: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*-*.json"))}


def test_every_resource_and_bundle_validates_as_fhir_r4b(out: Path):
    checked = 0
    for lang in ("zh", "en"):
        for path in sorted((out / lang).glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            r4b.get_fhir_model_class(data["resourceType"]).model_validate(data)
            checked += 1
    assert checked > 200


def test_validation_is_real(out: Path):
    plan = json.loads((out / "en" / "PlanDefinition-fever.json").read_text(encoding="utf-8"))
    plan["action"][0]["unknownElement"] = 1
    with pytest.raises(ValueError):
        r4b.get_fhir_model_class("PlanDefinition").model_validate(plan)


def test_one_bundle_per_edition_and_language_with_every_resource(out: Path):
    for lang in ("zh", "en"):
        bundle = json.loads((out / lang / "bundle.json").read_text(encoding="utf-8"))
        resources = _resources(out / lang)
        assert bundle["type"] == "collection" and len(bundle["entry"]) == len(resources)
        urls = {entry["fullUrl"] for entry in bundle["entry"]}
        base = SITE_URL + ("" if lang == "zh" else "en/") + "fhir/2018/"
        assert all(url.startswith(base) for url in urls)
        for entry in bundle["entry"]:
            resource = entry["resource"]
            assert entry["fullUrl"] == resource["url"] == f"{base}{resource['resourceType']}/{resource['id']}"
            assert resource["version"] == "2018"
        # Every canonical a resource points at is in the bundle.
        text = json.dumps(bundle)
        pointed = {value for key in ("definitionCanonical", "resource")
                   for value in _values(bundle, key) if isinstance(value, str)}
        assert pointed and pointed <= urls, pointed - urls
        assert "None" not in text


def _values(node, key):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            yield from _values(v, key)
    elif isinstance(node, list):
        for item in node:
            yield from _values(item, key)


def test_plan_definition_carries_the_chapters_logic(out: Path, manual):
    for lang in ("zh", "en"):
        for chapter_id, chapter in manual.chapters[lang].items():
            meta = chapter.meta
            plan = json.loads((out / lang / f"PlanDefinition-{chapter_id}.json").read_text(encoding="utf-8"))
            assert plan["type"]["coding"][0]["code"] == "eca-rule" and plan["title"] == meta.title
            referrals = plan["action"][0]["action"]
            assert [a["id"] for a in referrals] == [r.id for r in meta.referrals]
            for action, referral in zip(referrals, meta.referrals, strict=True):
                assert action["priority"] in PRIORITIES
                assert action["code"][0]["coding"][0]["code"] == referral.urgency
                assert action["timingTiming"]["code"]["text"] == referral.time_frame
                if referral.signs:
                    condition = action["condition"][0]["expression"]
                    assert condition["language"] == "text/fhirpath" and "Observation" in condition["expression"]
                assert len(action.get("action", [])) == len(referral.pre_referral)
            assert len(plan["extension"]) == len(meta.danger_signs)  # one named expression per sign
            if meta.recommendations:
                graded = plan["action"][1]["action"]
                for action, recommendation in zip(graded, meta.recommendations, strict=True):
                    urls = {e["url"].rsplit("-", 1)[-1] for e in action.get("extension", [])}
                    assert ("strengthOfRecommendation" in urls) == (recommendation.strength != "practice-statement")
                    assert ("qualityOfEvidence" in urls) == (recommendation.certainty != "not-graded")


def test_doses_become_dosage_with_route_interval_and_maximum(out: Path, manual):
    fever = manual.chapters["en"]["fever"].meta
    dose = fever.doses[0]
    activity = json.loads((out / "en" / f"ActivityDefinition-{dose.id}.json").read_text(encoding="utf-8"))
    assert activity["kind"] == "MedicationRequest"
    dosage = activity["dosage"][0]
    assert dosage["route"]["coding"][0]["system"] == "http://snomed.info/sct"
    if dose.per_kg:
        assert dosage["doseAndRate"][0]["doseQuantity"]["value"] == dose.per_kg
    assert dosage["maxDosePerAdministration"]["value"] == dose.max_single
    assert "timing" in dosage and dosage["text"]
    r4b.get_fhir_model_class("Dosage").model_validate(dosage)


def test_same_numbers_in_both_languages_and_stable_output(out: Path, tmp_path: Path):
    zh, en = _resources(out / "zh"), _resources(out / "en")
    assert zh.keys() == en.keys()
    for name in zh:
        if name.startswith("ActivityDefinition") and "dosage" in zh[name]:
            strip = [{k: v for k, v in d.items() if k != "text"} for d in zh[name]["dosage"]]
            assert strip == [{k: v for k, v in d.items() if k != "text"} for d in en[name]["dosage"]]
    again = run_fhir(tmp_path, "--site-url", SITE_URL, "--lang", "en")
    assert again.returncode == 0, again.stderr
    for path in (out / "en").glob("*.json"):
        assert (tmp_path / "2018" / "en" / path.name).read_bytes() == path.read_bytes()


def test_without_site_url_it_says_what_to_do(tmp_path: Path):
    result = run_fhir(tmp_path)
    assert result.returncode == 1
    assert "site_url is not set" in result.stderr and "--site-url" in result.stderr and "Traceback" not in result.stderr
