"""The evaluator's data per chapter as JSON, for the browser (bedside tools evaluate the same rules).

``clinical/<chapter>.json`` holds everything ``evaluate`` reads: the chapter's signs (with thresholds in
the vocabulary's default units and table ids), referrals, doses, the flowchart's nodes and edges, and the
part of the vocabulary the chapter uses (finding labels, measures with units, tables). Ages are in days.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from .. import i18n
from ..manual import ages
from .dosetable import formulations_for
from .evaluate import NO, YES, chapter_graph
from .medicines import ROUTE_WORDS
from .urgency import as_json as urgency_json

EXPORT_DIR = "clinical"
FORMAT_VERSION = 1


def _band(band) -> list[float]:
    # Unrounded: the browser's evaluator (theme/assets/bedside-core.js) compares ages at band edges exactly
    # as the Python evaluator does.
    return [band.start.days, band.end.days]


def chapter_data(chapters: dict, vocabulary, formulary) -> dict:
    """``chapters``: language → the chapter's versions (same structure; labels per language)."""
    first = next(iter(chapters.values()))
    meta = first.meta
    tables: set[str] = set()
    findings: set[str] = set()
    signs = []
    for index, sign in enumerate(meta.danger_signs):
        thresholds = []
        for entry in ([sign.threshold] if sign.threshold else []) + list(sign.thresholds):
            if getattr(entry, "table", None):
                tables.add(entry.table)
                thresholds.append({"table": entry.table})
            elif entry.measure in vocabulary.measures:
                thresholds.append({"measure": entry.measure, "op": entry.op,
                                   "value": vocabulary.convert(entry.measure, entry.value, entry.unit)})
            else:  # the evaluator counts a threshold on an unknown measure as not met
                thresholds.append({"measure": entry.measure, "op": entry.op, "value": None})
        findings.update(sign.findings)
        signs.append({"id": sign.id, "triage": sign.triage, "age_bands": [_band(b) for b in sign.age_bands],
                      "findings": list(sign.findings), "thresholds": thresholds, "match": sign.match,
                      "text": {lang: c.meta.danger_signs[index].text for lang, c in chapters.items()}})
    chart = _chart(chapter_graph(first))
    doses = []
    for dose in meta.doses:
        data = dose.model_dump(mode="json", exclude={"indication", "reason", "waivers", "ages", "source_ages",
                                                      "by_age"})
        data["by_age"] = [{"age": _band(b.age), "dose": b.dose} for b in dose.by_age]
        data["ages"] = _band(dose.ages) if dose.ages else None
        data["min_age_days"] = dose.min_age_days
        drug = formulary.medicines.get(dose.drug) if formulary else None
        data["drug_name"] = drug.name.model_dump() if drug else None
        data["indication_text"] = {lang: _dose_in(c, dose.id).indication for lang, c in chapters.items()
                                   if _dose_in(c, dose.id) is not None}
        data["route_text"] = ROUTE_WORDS[dose.route] if dose.route else None
        data["formulations"] = [f.model_dump(mode="json") for f in formulations_for(dose, drug)]
        doses.append(data)
    measures = {code: {"unit": m.unit, "units": m.units, "range": list(m.range), "label": m.label.model_dump()}
                for code, m in vocabulary.measures.items()}
    return {
        "format": FORMAT_VERSION,
        "chapter": meta.id,
        "age_range": _band(meta.age_range),
        "age_bands": [{"band": _band(b), "label": {lang: ages.label(b, lang) for lang in chapters}}
                      for b in meta.age_bands],
        "signs": signs,
        "title": {lang: c.meta.title for lang, c in chapters.items()},
        "referrals": [_referral(index, r, chapters) for index, r in enumerate(meta.referrals)],
        "chart": chart,
        # Each language's own chart (labels, and in principle shape, may differ): the page walks its own.
        "charts": {lang: _chart(chapter_graph(c)) for lang, c in chapters.items()},
        "answers": {"yes": sorted(YES), "no": sorted(NO)},
        "doses": doses,
        "vocabulary": {
            "findings": {code: vocabulary.findings[code].label.model_dump()
                         for code in sorted(findings) if code in vocabulary.findings},
            "measures": measures,
            "tables": {tid: vocabulary.tables[tid].model_dump(mode="json", exclude={"rows"})
                       | {"rows": [{"age": _band(r.age) if r.age else None, "hours": r.hours, "value": r.value}
                                   for r in vocabulary.tables[tid].rows]}
                       for tid in sorted(tables) if tid in vocabulary.tables},
        },
        "urgency": urgency_json(),
    }


def _chart(graph) -> dict | None:
    if graph is None:
        return None
    return {"start": graph.start,
            "nodes": {n.id: {"kind": n.kind, "links": list(n.links)} for n in graph.nodes.values()},
            "edges": [{"source": e.source, "target": e.target, "label": e.label} for e in graph.edges]}


def _dose_in(chapter, dose_id: str):
    return next((dose for dose in chapter.meta.doses if dose.id == dose_id), None)


def _referral(index: int, referral, chapters: dict) -> dict:
    """A referral with its words per language: where, how fast, and what to do before transfer."""
    versions = {lang: c.meta.referrals[index] for lang, c in chapters.items() if index < len(c.meta.referrals)}
    return {"id": referral.id, "urgency": referral.urgency, "signs": list(referral.signs),
            "target": {lang: r.target for lang, r in versions.items()},
            "time_frame": {lang: r.time_frame for lang, r in versions.items()},
            "pre_referral": [{"dose": step.dose,
                              "text": {lang: r.pre_referral[i].text for lang, r in versions.items()
                                       if i < len(r.pre_referral)}}
                             for i, step in enumerate(referral.pre_referral)]}


def chapter_versions(manual) -> Iterator[tuple[str, dict]]:
    """Each chapter id (sorted) with its versions: language → chapter."""
    ids = {chapter_id for lang in manual.languages for chapter_id in manual.chapters.get(lang, {})}
    for chapter_id in sorted(ids):
        yield chapter_id, {lang: manual.chapters[lang][chapter_id] for lang in manual.languages
                           if chapter_id in manual.chapters.get(lang, {})}


def export_files(manual) -> dict[str, str]:
    """Site path → JSON text, one file per chapter (empty when the manual has no vocabulary)."""
    clinical = getattr(manual, "clinical", None)
    vocabulary = getattr(clinical, "vocabulary", None)
    if vocabulary is None:
        return {}
    files = {}
    for chapter_id, versions in chapter_versions(manual):
        data = chapter_data(versions, vocabulary, clinical.formulary)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        files[f"{EXPORT_DIR}/{chapter_id}.json"] = text
        files[script_path(chapter_id)] = script_text(chapter_id, text, manual.languages)
    return files


def script_path(chapter_id: str) -> str:
    """The same data as a script (``file://`` pages cannot fetch JSON; scripts are precached for offline)."""
    return f"{EXPORT_DIR}/{chapter_id}.js"


#: The UI strings the bedside script needs (it loads them with the chapter's data, not with every page).
BEDSIDE_STRING_PREFIXES = ("child.", "triage.", "urgency.", "punct.")


def script_text(chapter_id: str, data_json: str, languages) -> str:
    strings = {lang: {key: value for key, value in i18n.strings(lang).items()
                      if key.startswith(BEDSIDE_STRING_PREFIXES)} for lang in languages}
    payload = json.dumps(strings, ensure_ascii=False, separators=(",", ":"))
    body = f"{{data:{data_json},strings:{payload}}}"
    # JSON allows U+2028/U+2029 raw; older script engines end a line there
    body = body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"(self.cpClinical=self.cpClinical||{{}})[{json.dumps(chapter_id)}]={body};\n"
