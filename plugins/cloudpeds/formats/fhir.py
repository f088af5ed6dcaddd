"""The clinical decision logic as FHIR clinical guideline resources (CPG-on-FHIR, as WHO SMART Guidelines use it).

Per chapter and language:

- a ``PlanDefinition`` of type ``eca-rule``: each referral is an action (the urgency level as its code and
  priority, the time frame as its timing) whose applicability condition is the chapter's danger signs for it, as
  FHIRPath over ``Observation``s (the sign itself: an Observation coded with the sign's id and ``value = true``;
  a finding: an Observation with the finding's code and ``value = true``; a
  threshold: the measure's Observation with a ``Quantity`` beyond the cut-off, in UCUM units; an age-banded table:
  one term per row, with ``%age`` in days); its pre-referral treatments are sub-actions. Recommendations are a
  second group of actions with the CPG extensions for strength and quality of evidence; sources are
  ``relatedArtifact`` citations. Ages go into ``useContext`` (``age``, a Range in UCUM ``d``).
- an ``ActivityDefinition`` per referral (kind ``ServiceRequest``) and per pre-referral treatment (kind
  ``MedicationRequest`` with its ``dosage`` when the step gives a dose of the chapter, else ``Task``); every dose
  of the chapter also becomes a ``MedicationRequest`` ActivityDefinition whose ``Dosage`` carries route, dose per kg
  (or by weight or age band), interval, maximum single dose and maximum per 24 h.
- a ``Citation`` per reference cited (Citation exists from FHIR R4B 4.3.0 on; the PlanDefinition's
  ``relatedArtifact`` carries the same references for plain R4 consumers). ``ArtifactAssessment`` is R5 only and is
  not written: strength and certainty sit on the recommendation actions instead.

All of one language in one ``Bundle`` (type ``collection``) per edition. Canonical URLs are stable:
``<site_url>/fhir/<edition>/<Type>/<id>`` (other languages under ``<site_url>/<lang>/fhir/…``, like their pages),
``version`` is the edition. The resources are plain dicts (no FHIR library at run time); the tests validate each
one with ``fhir.resources.R4B``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..manual.model import ChapterMeta, Reference
from .common import EditionRef, cited_references
from .jsonld import LANGUAGE_TAGS

FHIR_VERSION = "4.3.0"  # R4B, the version the tests validate against (see module docstring)
PLAN_TYPE = "http://terminology.hl7.org/CodeSystem/plan-definition-type"
STRENGTH_EXT = "http://hl7.org/fhir/StructureDefinition/cqf-strengthOfRecommendation"
QUALITY_EXT = "http://hl7.org/fhir/StructureDefinition/cqf-qualityOfEvidence"
STRENGTH_SYSTEM = "http://terminology.hl7.org/CodeSystem/recommendation-strength"
QUALITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/evidence-quality"
USAGE_SYSTEM = "http://terminology.hl7.org/CodeSystem/usage-context-type"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"

#: Our urgency levels → FHIR request priority (routine | urgent | asap | stat).
PRIORITY = {"emergency": "stat", "urgent": "urgent", "routine": "routine", "observe": "routine",
            "treat-home": "routine", "home": "routine"}
STATUS = {"draft": "draft", "trial": "active", "current": "active", "withdrawn": "retired"}
STRENGTH = {"strong": "strong", "conditional": "weak"}
QUALITY = {"high": "high", "moderate": "moderate", "low": "low", "very-low": "very-low"}
#: LOINC codes of measures that have a well-known one (others only carry the manual's own code).
MEASURE_LOINC = {"temperature": "8310-5", "respiratory_rate": "9279-1", "heart_rate": "8867-4",
                 "spo2": "59408-5", "weight": "29463-7"}
UCUM_UNITS = {"°C": "Cel", "/min": "/min", "%": "%", "s": "s", "min": "min", "h": "h", "d": "d",
              "μmol/L": "umol/L", "mg/dL": "mg/dL", "mmol/L": "mmol/L", "w": "wk", "mo": "mo", "y": "a",
              "kg": "kg", "mg": "mg", "mL": "mL"}
#: SNOMED CT route codes (Route of administration value set); others (ng) go as text.
ROUTES = {"oral": ("26643006", "Oral route"), "rectal": ("37161004", "Per rectum"),
          "im": ("78421000", "Intramuscular route"), "iv": ("47625008", "Intravenous route"),
          "sc": ("34206005", "Subcutaneous route"), "intranasal": ("46713006", "Nasal route"),
          "buccal": ("54471007", "Buccal route"), "inhaled": ("447694001", "Respiratory tract route"),
          "nebulised": ("447694001", "Respiratory tract route"), "io": ("60213007", "Intraosseous route")}
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def fhir_id(text: str) -> str:
    """A FHIR id (``[A-Za-z0-9-.]{1,64}``): the text itself when it fits, else a prefix and a short hash."""
    if _FHIR_ID.match(text):
        return text
    clean = re.sub(r"[^A-Za-z0-9\-.]", "-", text)
    return f"{clean[:52]}-{hashlib.sha256(text.encode()).hexdigest()[:11]}"


@dataclass(frozen=True)
class Target:
    """Where the resources of one language of one edition live."""

    site_url: str
    edition: EditionRef
    lang: str
    default_lang: str

    @property
    def base(self) -> str:
        prefix = "" if self.lang == self.default_lang else f"{self.lang}/"
        return f"{self.site_url.rstrip('/')}/{prefix}fhir/{self.edition.version}/"

    def url(self, resource_type: str, resource_id: str) -> str:
        return f"{self.base}{resource_type}/{resource_id}"

    def code_system(self, name: str) -> str:
        return f"{self.site_url.rstrip('/')}/fhir/CodeSystem/{name}"  # language- and edition-neutral


def _days(age) -> float:
    return round(age.days, 4)


def _age_range(band) -> dict:
    return {"low": {"value": _days(band.start), "unit": "d", "system": UCUM, "code": "d"},
            "high": {"value": _days(band.end), "unit": "d", "system": UCUM, "code": "d"}}


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _measure_obs(measure: str, target: Target) -> str:
    codes = [f"(system = {_quote(target.code_system('measures'))} and code = {_quote(measure)})"]
    if measure in MEASURE_LOINC:
        codes.append(f"(system = {_quote(LOINC)} and code = {_quote(MEASURE_LOINC[measure])})")
    return f"Observation.where(code.coding.exists({' or '.join(codes)}))"


def _threshold_expr(measure: str, op: str, value: float, unit: str, target: Target) -> str:
    ucum = UCUM_UNITS.get(unit, unit)
    return (f"{_measure_obs(measure, target)}.value.ofType(Quantity)"
            f".where(code = {_quote(ucum)} and value {op} {value:g}).exists()")


def sign_expression(sign, vocabulary, target: Target) -> str:
    """FHIRPath over the child's Observations that is true when the sign is present (ages: `full_sign_expression`)."""
    terms: list[str] = []
    system = _quote(target.code_system("findings"))
    for code in sign.findings:
        terms.append(f"Observation.where(code.coding.exists(system = {system} and code = {_quote(code)}) "
                     f"and value = true).exists()")
    for entry in ([sign.threshold] if sign.threshold else []) + list(sign.thresholds):
        if getattr(entry, "table", None):
            table = vocabulary.tables.get(entry.table) if vocabulary else None
            if table is None:
                continue
            unit = vocabulary.measures[table.measure].unit if table.measure in vocabulary.measures else ""
            rows = []
            for row in table.rows:
                check = _threshold_expr(table.measure, table.op, row.value, unit, target)
                if row.age is not None:
                    rows.append(f"(%age >= {_days(row.age.start):g} and %age < {_days(row.age.end):g} and {check})")
                else:
                    rows.append(f"(%ageHours >= {row.hours:g} and {check})")
            terms.append("(" + " or ".join(rows) + ")")
        else:
            terms.append(_threshold_expr(entry.measure, entry.op, entry.value, entry.unit, target))
    # The sign itself observed (coded with its id): enough for an ``any`` sign, the only term of a sign with no
    # findings or thresholds.
    itself = (f"Observation.where(code.coding.exists(system = {_quote(target.code_system('danger-signs'))} "
              f"and code = {_quote(sign.id)}) and value = true).exists()")
    if sign.match == "all" and terms:
        return " and ".join(terms)
    return " or ".join([itself, *terms])


def _ages_expression(bands) -> str:
    return " or ".join(f"(%age >= {_days(b.start):g} and %age < {_days(b.end):g})" for b in bands)


def full_sign_expression(sign, vocabulary, target: Target) -> str:
    """The sign within its age bands (``%age``: the child's age in days, given by the engine)."""
    return f"({_ages_expression(sign.age_bands)}) and ({sign_expression(sign, vocabulary, target)})"


def _citation_artifacts(ref_ids, references: dict[str, Reference], target: Target) -> list[dict]:
    out = []
    for ref in ref_ids:
        reference = references.get(ref)
        if reference is None:
            continue
        artifact = {"type": "citation", "label": ref, "display": reference.title,
                    "resource": target.url("Citation", fhir_id(ref))}
        if reference.url:
            artifact["url"] = reference.url
        out.append(artifact)
    return out


def dosage(dose, lang: str, drug_name: str) -> dict:
    """A FHIR Dosage: route, dose (per kg, or by weight or age band as text and ranges), interval, maxima."""
    unit = dose.unit
    parts = [drug_name]
    data: dict = {"sequence": 1}
    if dose.route:
        code, display = ROUTES.get(dose.route, (None, dose.route))
        data["route"] = {"coding": [{"system": SNOMED, "code": code, "display": display}]} if code else \
            {"text": dose.route}
        parts.append(dose.route)
    if dose.per_kg:
        per_kg = f"{unit}/kg"
        data["doseAndRate"] = [{"doseQuantity": {"value": dose.per_kg, "unit": per_kg, "system": UCUM,
                                                 "code": per_kg}}]
        parts.append(f"{dose.per_kg:g} {per_kg}")
    elif dose.by_weight:
        parts.append("; ".join(f"{b.from_kg:g}–{b.to_kg:g} kg: {b.dose:g} {unit}" for b in dose.by_weight))
    elif dose.by_age:
        parts.append("; ".join(f"{b.age.code}: {b.dose:g} {unit}" for b in dose.by_age))
    hours = dose.interval_hours
    if hours:
        data["timing"] = {"repeat": {"frequency": 1, "period": hours, "periodUnit": "h",
                                     **({"count": dose.max_doses} if dose.max_doses else {})}}
        parts.append(f"every {hours:g} h")
    elif dose.single:
        data["timing"] = {"repeat": {"count": 1}}
        parts.append("once")
    if dose.max_single:
        data["maxDosePerAdministration"] = {"value": dose.max_single, "unit": unit, "system": UCUM, "code": unit}
        parts.append(f"max {dose.max_single:g} {unit} per dose")
    if dose.max_24h:
        data["maxDosePerPeriod"] = {"numerator": {"value": dose.max_24h, "unit": unit, "system": UCUM, "code": unit},
                                    "denominator": {"value": 1, "unit": "d", "system": UCUM, "code": "d"}}
        parts.append(f"max {dose.max_24h:g} {unit} per 24 h")
    elif dose.max_doses_24h and hours:
        parts.append(f"max {dose.max_doses_24h} doses per 24 h")
    data["text"] = ", ".join(parts)
    return data


def _drug_name(dose, formulary, lang: str) -> str:
    medicine = formulary.medicines.get(dose.drug) if formulary else None
    return medicine.name.get(lang) if medicine else dose.drug


def chapter_resources(meta: ChapterMeta, *, lang: str, references: dict[str, Reference], vocabulary, formulary,
                      target: Target) -> list[dict]:
    """The PlanDefinition, ActivityDefinitions and Citations of one language version of a chapter."""
    edition = target.edition
    common = {"version": edition.version, "status": STATUS[meta.status], "language": LANGUAGE_TAGS.get(lang, lang),
              **({"date": edition.date.isoformat()} if edition.date else {})}
    doses = {dose.id: dose for dose in meta.doses}
    activities: list[dict] = []

    def dose_activity(dose) -> dict:
        resource_id = fhir_id(dose.id)  # ids are unique across the manual and start with the chapter's
        activity = {"resourceType": "ActivityDefinition", "id": resource_id,
                    "url": target.url("ActivityDefinition", resource_id), **common,
                    "name": _name(resource_id), "title": f"{_drug_name(dose, formulary, lang)}: {dose.indication}",
                    "kind": "MedicationRequest", "intent": "proposal",
                    "productCodeableConcept": {"coding": [{"system": target.code_system("medicines"),
                                                           "code": dose.drug}],
                                               "text": _drug_name(dose, formulary, lang)},
                    "dosage": [dosage(dose, lang, _drug_name(dose, formulary, lang))],
                    "relatedArtifact": _citation_artifacts(dose.sources, references, target)}
        if dose.ages or dose.min_age:
            low = dose.ages.start.days if dose.ages else dose.min_age_days
            context = {"low": {"value": round(low, 4), "unit": "d", "system": UCUM, "code": "d"}}
            if dose.ages:
                context["high"] = _age_range(dose.ages)["high"]
            activity["useContext"] = [{"code": {"system": USAGE_SYSTEM, "code": "age"}, "valueRange": context}]
        if not activity["relatedArtifact"]:
            del activity["relatedArtifact"]
        return activity

    dose_resources = {dose.id: dose_activity(dose) for dose in meta.doses}
    activities += dose_resources.values()

    signs = {sign.id: sign for sign in meta.danger_signs}
    referral_actions = []
    for referral in meta.referrals:
        ref_id = fhir_id(referral.id)
        priority = PRIORITY[referral.urgency]
        level = {"coding": [{"system": target.code_system("urgency"), "code": referral.urgency}]}
        activities.append({"resourceType": "ActivityDefinition", "id": ref_id,
                           "url": target.url("ActivityDefinition", ref_id), **common, "name": _name(ref_id),
                           "title": referral.target, "kind": "ServiceRequest", "intent": "proposal",
                           "priority": priority, "code": level,
                           "description": f"{referral.target} ({referral.time_frame})",
                           "timingTiming": {"code": {"text": referral.time_frame}}})
        sub_actions = []
        for index, step in enumerate(referral.pre_referral, start=1):
            if step.dose and step.dose in doses:
                canonical = dose_resources[step.dose]["url"]
            else:
                step_id = fhir_id(f"{ref_id}-step-{index}")
                activities.append({"resourceType": "ActivityDefinition", "id": step_id,
                                   "url": target.url("ActivityDefinition", step_id), **common,
                                   "name": _name(step_id), "title": step.text, "kind": "Task", "intent": "proposal",
                                   "priority": priority, "description": step.text,
                                   **({"relatedArtifact": _citation_artifacts(step.sources, references, target)}
                                      if step.sources else {})})
                canonical = activities[-1]["url"]
            sub_actions.append({"id": f"{referral.id}-step-{index}", "title": step.text,
                                "definitionCanonical": canonical})
        conditions = []
        if referral.signs:
            terms = [f"({full_sign_expression(signs[s], vocabulary, target)})" for s in referral.signs if s in signs]
            conditions.append({"kind": "applicability", "expression": {
                "language": "text/fhirpath", "description": "; ".join(signs[s].text for s in referral.signs
                                                                      if s in signs),
                "expression": " or ".join(terms) or "false"}})
        if referral.criteria:
            conditions.append({"kind": "applicability", "expression": {
                "language": "text/plain", "description": "; ".join(referral.criteria),
                "expression": "; ".join(referral.criteria)}})
        action = {"id": referral.id, "title": referral.target, "description": referral.time_frame,
                  "code": [level], "priority": priority, "condition": conditions,
                  "timingTiming": {"code": {"text": referral.time_frame}},
                  "definitionCanonical": target.url("ActivityDefinition", ref_id)}
        if sub_actions:
            action["action"] = sub_actions
        referral_actions.append(action)

    actions = [{"id": "referrals", "title": "referrals", "selectionBehavior": "any", "action": referral_actions}]
    recommendations = []
    for recommendation in meta.recommendations:
        action = {"id": recommendation.id, "title": recommendation.text, "description": recommendation.text,
                  "documentation": _citation_artifacts(recommendation.sources, references, target)}
        extensions = []
        if recommendation.strength in STRENGTH:
            extensions.append({"url": STRENGTH_EXT, "valueCodeableConcept": {
                "coding": [{"system": STRENGTH_SYSTEM, "code": STRENGTH[recommendation.strength]}],
                "text": recommendation.strength}})
        if recommendation.certainty in QUALITY:
            extensions.append({"url": QUALITY_EXT, "valueCodeableConcept": {
                "coding": [{"system": QUALITY_SYSTEM, "code": QUALITY[recommendation.certainty]}],
                "text": recommendation.certainty}})
        if extensions:
            action["extension"] = extensions
        if not action["documentation"]:
            del action["documentation"]
        if recommendation.dose and recommendation.dose in dose_resources:
            action["definitionCanonical"] = dose_resources[recommendation.dose]["url"]
        recommendations.append(action)
    if recommendations:
        actions.append({"id": "recommendations", "title": "recommendations", "selectionBehavior": "any",
                        "action": recommendations})

    plan = {"resourceType": "PlanDefinition", "id": fhir_id(meta.id), "url": target.url("PlanDefinition", meta.id),
            **common, "name": _name(meta.id), "title": meta.title,
            "type": {"coding": [{"system": PLAN_TYPE, "code": "eca-rule"}]},
            "useContext": [{"code": {"system": USAGE_SYSTEM, "code": "age"}, "valueRange": _age_range(meta.age_range)}],
            "lastReviewDate": meta.last_reviewed.isoformat(),
            "relatedArtifact": _citation_artifacts(cited_references(meta), references, target),
            "action": actions}
    if meta.summary:
        plan["description"] = meta.summary
    if meta.status == "trial":
        plan["experimental"] = True
    if not plan["relatedArtifact"]:
        del plan["relatedArtifact"]
    # The signs as named expressions, for engines that evaluate them one by one.
    plan["extension"] = [{"url": "http://hl7.org/fhir/StructureDefinition/cqf-expression", "valueExpression": {
        "name": _name(sign.id), "language": "text/fhirpath", "description": sign.text,
        "expression": full_sign_expression(sign, vocabulary, target)}}
        for sign in meta.danger_signs]
    return [plan, *activities]


def citation(reference: Reference, target: Target) -> dict:
    resource_id = fhir_id(reference.id)
    data: dict = {"resourceType": "Citation", "id": resource_id, "url": target.url("Citation", resource_id),
                  "version": target.edition.version, "name": _name(reference.id), "title": reference.title,
                  "status": "active",
                  "citedArtifact": {"title": [{"text": reference.title}],
                                    "version": {"value": reference.version}}}
    if reference.publisher:
        data["citedArtifact"]["publicationForm"] = [{"publishedIn": {"publisher": {"display": reference.publisher}}}]
    if reference.url:
        data["citedArtifact"]["webLocation"] = [{"url": reference.url}]
    return data


def _name(text: str) -> str:
    """A computer-friendly name (``fever-ref-1`` → ``FeverRef1``), as FHIR's ``name`` asks."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", text) if part) or "Item"


def edition_resources(manual, *, lang: str, target: Target) -> dict[str, list[dict]]:
    """Chapter id → its resources in ``lang``; the Citations under the key ``""``."""
    clinical = getattr(manual, "clinical", None)
    vocabulary = getattr(clinical, "vocabulary", None)
    formulary = getattr(clinical, "formulary", None)
    out: dict[str, list[dict]] = {}
    cited: list[str] = []
    for chapter in manual.in_language(lang):
        out[chapter.id] = chapter_resources(chapter.meta, lang=lang, references=manual.references,
                                            vocabulary=vocabulary, formulary=formulary, target=target)
        cited += [ref for ref in cited_references(chapter.meta) if ref not in cited]
    out[""] = [citation(manual.references[ref], target) for ref in cited if ref in manual.references]
    return out


def bundle(resources: list[dict], target: Target) -> dict:
    edition = target.edition
    data = {"resourceType": "Bundle", "id": fhir_id(f"cloudpeds-{edition.version}-{target.lang}"),
            "identifier": {"system": target.base, "value": f"{edition.version}-{target.lang}"},
            "type": "collection", "entry": [{"fullUrl": r["url"], "resource": r} for r in resources]}
    if edition.date:
        data["timestamp"] = f"{edition.date.isoformat()}T00:00:00Z"
    return data


def write_fhir(manual, out_dir: Path, *, site_url: str, edition: EditionRef,
               languages: tuple[str, ...] | None = None) -> list[Path]:
    """``<out>/<edition>/<lang>/<Type>-<id>.json`` for every resource and ``bundle.json``; the files written."""
    written: list[Path] = []
    for lang in languages or manual.languages:
        target = Target(site_url, edition, lang, manual.default_language)
        folder = out_dir / edition.version / lang
        folder.mkdir(parents=True, exist_ok=True)
        per_chapter = edition_resources(manual, lang=lang, target=target)
        everything = [r for resources in per_chapter.values() for r in resources]
        for resource in everything:
            path = folder / f"{resource['resourceType']}-{resource['id']}.json"
            path.write_text(json.dumps(resource, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            written.append(path)
        path = folder / "bundle.json"
        path.write_text(json.dumps(bundle(everything, target), ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
