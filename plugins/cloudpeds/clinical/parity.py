"""Cases on which the browser's evaluator must agree with the Python one (the twin's parity test).

Seeded: ages at and around every age-band edge a chapter uses (signs, doses, tables, its range), weights at
dose band edges and where a dose reaches its maximum, measures at and around every cut-off, random findings.
Each case carries the stored child (the browser's format) and the Python result (``bedside.result``).
"""

from __future__ import annotations

import json
import random

from .bedside import STORAGE_VERSION, child_from_stored, result
from .evaluate import chapter_graph

WEIGHTS = (0.8, 1.5, 2.4, 3.0, 3.5, 4.2, 6.0, 7.5, 10.0, 12.3, 15.0, 18.0, 20.0, 25.0, 33.3, 40.0, 52.0, 70.0)


def _edges(meta, vocabulary) -> list[float]:
    edges = {meta.age_range.start.days, meta.age_range.end.days}
    bands = [band for sign in meta.danger_signs for band in sign.age_bands]
    for dose in meta.doses:
        bands += [b.age for b in dose.by_age] + ([dose.ages] if dose.ages else [])
        edges.add(dose.min_age_days)
    for table_id in _tables(meta):
        table = vocabulary.tables.get(table_id)
        for row in table.rows if table else []:
            if row.age is not None:
                bands.append(row.age)
            if row.hours is not None:
                edges.add(row.hours / 24)
    for band in bands:
        edges.update((band.start.days, band.end.days))
    for sign in meta.danger_signs:
        for entry in ([sign.threshold] if sign.threshold else []) + list(sign.thresholds):
            if getattr(entry, "measure", None) == "age" and entry.value is not None:
                edges.add(vocabulary.convert("age", entry.value, entry.unit))
    return sorted(edges)


def _tables(meta) -> list[str]:
    return [entry.table for sign in meta.danger_signs for entry in sign.thresholds if entry.table]


def _cutoffs(meta, vocabulary, age_days: float) -> dict[str, list[float]]:
    """Measure → the cut-offs that matter at this age."""
    cutoffs: dict[str, list[float]] = {}
    for sign in meta.danger_signs:
        for entry in ([sign.threshold] if sign.threshold else []) + list(sign.thresholds):
            if getattr(entry, "table", None):
                table = vocabulary.tables.get(entry.table)
                cutoff = table.cutoff(age_days) if table else None
                if cutoff is not None:
                    cutoffs.setdefault(table.measure, []).append(cutoff)
            elif entry.measure in vocabulary.measures and entry.measure not in ("age", "weight"):
                cutoffs.setdefault(entry.measure, []).append(
                    vocabulary.convert(entry.measure, entry.value, entry.unit))
    return cutoffs


def _weights(meta) -> list[float]:
    weights = list(WEIGHTS)
    for dose in meta.doses:
        weights += [w for band in dose.by_weight for w in (band.from_kg, band.to_kg)]
        if dose.per_kg and dose.max_single:
            weights.append(dose.max_single / dose.per_kg)
        if dose.min_weight_kg:
            weights.append(dose.min_weight_kg)
    return sorted(set(weights))


def chapter_cases(meta, graph, vocabulary, formulary, names, rng: random.Random, count: int) -> list[dict]:
    edges = _edges(meta, vocabulary)
    low, high = meta.age_range.start.days, meta.age_range.end.days
    findings = sorted({code for sign in meta.danger_signs for code in sign.findings})
    weights = _weights(meta)
    cases = []
    for _ in range(count):
        pick = rng.random()
        if pick < 0.6:
            edge = rng.choice(edges)
            age = edge + rng.choice((0.0, 0.0, -0.25, 0.25, -1.0, 1.0, -1 / 24, 1 / 24))
        else:
            age = rng.uniform(low, high)
        age = round(min(max(age, 0.0), high - 1e-3), 6)
        child: dict = {"v": STORAGE_VERSION, "ageDays": age, "age": {"value": age, "unit": "d"},
                       "measures": {}, "findings": [], "touched": 0}
        if rng.random() < 0.85:
            child["weightKg"] = rng.choice(weights) if rng.random() < 0.7 else round(rng.uniform(1.0, 80.0), 2)
        if rng.random() < 0.15:
            child["gestationWeeks"] = rng.choice((34, 36, 37, 38, 40))
        for measure, values in _cutoffs(meta, vocabulary, age).items():
            if rng.random() < 0.4:
                cutoff = rng.choice(values)
                value = cutoff + rng.choice((0.0, 0.0, -0.1, 0.1, -1.0, 1.0, -5.0, 5.0))
                spec = vocabulary.measures[measure]
                child["measures"][measure] = round(min(max(value, spec.range[0]), spec.range[1]), 3)
        if findings:
            chance = rng.choice((0.0, 0.0, 0.03, 0.1, 0.3))
            child["findings"] = [code for code in findings if rng.random() < chance]
        expected = result(meta, graph, vocabulary, formulary, child_from_stored(child), names)
        cases.append({"chapter": meta.id, "child": child, "expected": expected})
    return cases


def generate(manual, *, seed: int = 14, per_chapter: int = 60) -> list[dict]:
    """``per_chapter`` cases for every chapter of the manual's default language (after ``validate.check``)."""
    clinical = manual.clinical
    rng = random.Random(seed)
    lang = manual.languages[0]
    cases: list[dict] = []
    for chapter_id in sorted(manual.chapters.get(lang, {})):
        chapter = manual.chapters[lang][chapter_id]
        names = {}
        for index, referral in enumerate(chapter.meta.referrals):
            versions = {code: manual.chapters[code][chapter_id].meta.referrals[index]
                        for code in manual.languages if chapter_id in manual.chapters.get(code, {})}
            names[referral.id] = {"target": {code: r.target for code, r in versions.items()},
                                  "time_frame": {code: r.time_frame for code, r in versions.items()}}
        cases += chapter_cases(chapter.meta, chapter_graph(chapter), clinical.vocabulary, clinical.formulary,
                               names, rng, per_chapter)
    return cases


def write(manual, path, **kwargs) -> int:
    cases = generate(manual, **kwargs)
    with open(path, "w", encoding="utf-8") as out:
        json.dump(cases, out, ensure_ascii=False)
    return len(cases)
