"""The clinical safety rules run by ``cloudpeds check``; each has a stable code, a file:line and a hint.

CP2xx findings and thresholds, CP3xx doses, CP4xx flowchart logic, CP5xx case tests (CP1xx, the urgency
scale, lives with the flowchart and referral checks). A rule is waived only per item, with a reason that
readers see (``waivers: [{rule: CP401, reason: …}]``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..diagnostics import Diagnostic, error, warning
from ..yamlpos import FieldPath, format_path
from .cases import run_cases
from .data import ClinicalData, load_clinical
from .doses import bands_for_ages
from .flowlogic import check_flow_logic
from .types import waived

#: Every rule: code → (severity, one line for the editor's guide).
RULES: dict[str, tuple[str, str]] = {
    "CP201": ("error", "unknown finding code, measure or threshold table; unit that does not fit the measure"),
    "CP202": ("error", "a sign's text does not state the values of its threshold table for its ages"),
    "CP204": ("error", "a value beyond a cited source's threshold table (with a triage) meets no sign of that "
                       "colour at some age"),
    "CP203": ("error", "the same finding has another triage for the same age band in another chapter, "
                       "and neither sign gives a triage_reason"),
    "CP301": ("error", "a dose without route, interval, maximum or source; unknown drug or formulation"),
    "CP302": ("error", "a dose whose table or bands exceed its maximum"),
    "CP303": ("error", "a weight or age band with no dose inside the dose's age range"),
    "CP304": ("error", "a dose for ages its source does not cover, without a `reason`"),
    "CP305": ("error", "a per-kg dose stated in treatment text without a structured `dose` (no maximum)"),
    "CP401": ("error", "a path that a child with a red sign can take ends in no emergency disposition"),
    "CP402": ("error", "a home or observe disposition is reachable at ages where no green sign applies"),
    "CP403": ("error", "a flowchart node or body text states another urgency word than the item it links"),
    "CP501": ("error", "a case test's expectation differs from what the evaluator decides"),
    "CP502": ("error", "a case file that cannot be run (unknown chapter, finding, dose or age)"),
}


def check_clinical(manual, manual_dir: Path, root: Path) -> list[Diagnostic]:
    """Load the clinical data files and run every rule over the manual. Nothing is held back: a rule that does
    not apply to an item is waived on that item, with a reason its readers see (``waivers:``)."""
    problems: list[Diagnostic] = []
    data = load_clinical(manual_dir, root, problems)
    return problems + run_rules(manual, data)


def run_rules(manual, data: ClinicalData) -> list[Diagnostic]:
    """Every rule over every chapter and case; ``manual.clinical`` keeps the data for the renderer."""
    diagnostics: list[Diagnostic] = []
    manual.clinical = data
    reference_memo: dict = {}
    for lang in manual.languages:
        for chapter in manual.chapters.get(lang, {}).values():
            diagnostics += list(check_chapter_vocabulary(chapter, data))
            diagnostics += list(check_chapter_doses(chapter, data, manual))
            diagnostics += list(check_dose_tables(chapter))
            diagnostics += list(check_table_texts(chapter, data))
            diagnostics += list(check_reference_tables(chapter, data, reference_memo))
            if data.vocabulary is not None:
                diagnostics += list(check_flow_logic(chapter))
    diagnostics += list(check_cross_chapter_triage(manual))
    if data.vocabulary is not None:
        diagnostics += run_cases(manual, data.cases, data.vocabulary)
    return diagnostics


def at(chapter, path: FieldPath, message: str, hint: str, code: str, *, severe: bool = True) -> Diagnostic:
    line, col = chapter.where(path)
    make = error if severe else warning
    return make(chapter.path, line, col, format_path(path), message, hint, code=code)


def check_chapter_vocabulary(chapter, data: ClinicalData) -> Iterator[Diagnostic]:
    vocabulary = data.vocabulary
    if vocabulary is None:
        return
    for index, sign in enumerate(chapter.meta.danger_signs):
        if waived(sign, "CP201"):
            continue
        for f_index, code in enumerate(sign.findings):
            if code not in vocabulary.findings:
                yield at(chapter, ("danger_signs", index, "findings", f_index), f"unknown finding {code!r}",
                         _suggest(code, vocabulary.findings, "add it to manual/findings.yml or fix the code"),
                         "CP201")
        literal = [(("danger_signs", index, "threshold"), sign.threshold)] if sign.threshold else []
        for t_index, entry in enumerate(sign.thresholds):
            path = ("danger_signs", index, "thresholds", t_index)
            if entry.table is not None:
                if entry.table not in vocabulary.tables:
                    yield at(chapter, (*path, "table"), f"unknown threshold table {entry.table!r}",
                             _suggest(entry.table, vocabulary.tables, "tables are listed in manual/findings.yml"),
                             "CP201")
            else:
                literal.append((path, entry))
        for path, threshold in literal:
            if threshold.measure not in vocabulary.measures:
                yield at(chapter, (*path, "measure"), f"unknown measure {threshold.measure!r}",
                         "measures are listed in manual/findings.yml", "CP201")
            elif threshold.unit not in vocabulary.measures[threshold.measure].all_units() and \
                    _norm(threshold.unit) not in vocabulary.measures[threshold.measure].all_units():
                units = " or ".join(vocabulary.measures[threshold.measure].all_units())
                yield at(chapter, (*path, "unit"), f"unit {threshold.unit!r} does not fit {threshold.measure}",
                         f"use {units}", "CP201")


def check_chapter_doses(chapter, data: ClinicalData, manual) -> Iterator[Diagnostic]:
    formulary = data.formulary
    meta = chapter.meta
    dose_ids = {dose.id for dose in meta.doses}
    for index, dose in enumerate(meta.doses):
        path = ("doses", index)
        if waived(dose, "CP301"):
            continue
        missing = [name for name, ok in (
            ("route", dose.route is not None),
            ("interval", dose.interval is not None),
            ("sources", bool(dose.sources)),
            ("max_single", dose.max_single is not None or not dose.per_kg),
            ("max_24h or max_doses_24h", dose.single or dose.max_24h is not None or dose.max_doses_24h is not None),
        ) if not ok]
        for name in missing:
            yield at(chapter, path, f"dose {dose.id!r} has no {name}",
                     "a dose has route, interval, maximum and source, or it is not given", "CP301")
        for s_index, source in enumerate(dose.sources):
            if source not in manual.references:
                yield at(chapter, (*path, "sources", s_index), f"unknown reference {source!r}",
                         "add it to a file in manual/references/", "CP301")
        if formulary is None:
            continue
        medicine = formulary.medicines.get(dose.drug)
        if medicine is None:
            yield at(chapter, (*path, "drug"), f"unknown drug {dose.drug!r}",
                     _suggest(dose.drug, formulary.medicines, "add it to manual/medicines.yml"), "CP301")
            continue
        known = {f.id: f for f in medicine.formulations}
        for f_index, formulation_id in enumerate(dose.formulations):
            formulation = known.get(formulation_id)
            if formulation is None:
                yield at(chapter, (*path, "formulations", f_index),
                         f"{formulation_id!r} is not a formulation of {dose.drug}",
                         _suggest(formulation_id, known, f"formulations of {dose.drug}: {', '.join(known)}"),
                         "CP301")
            elif dose.route and dose.route not in formulation.routes:
                yield at(chapter, (*path, "formulations", f_index),
                         f"{formulation_id!r} is not given {dose.route}",
                         f"its routes: {', '.join(formulation.routes)}", "CP301")
    for r_index, referral in enumerate(meta.referrals):
        for s_index, step in enumerate(referral.pre_referral):
            if step.dose and step.dose not in dose_ids:
                yield at(chapter, ("referrals", r_index, "pre_referral", s_index, "dose"),
                         f"there is no dose {step.dose!r} in this chapter's `doses`",
                         _suggest(step.dose, dose_ids, "add it to `doses:`"), "CP301")
    for s_index, step in enumerate(meta.act_now.steps if meta.act_now else []):
        for d_index, dose_id in enumerate(step.doses):
            if dose_id not in dose_ids:
                yield at(chapter, ("act_now", "steps", s_index, "doses", d_index),
                         f"there is no dose {dose_id!r} in this chapter's `doses`",
                         _suggest(dose_id, dose_ids, "add it to `doses:`"), "CP301")


def _norm(unit: str) -> str:
    from .findings import normalise_unit

    return normalise_unit(unit)


def _suggest(value: str, choices, fallback: str) -> str:
    import difflib

    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else fallback


_PER_KG = re.compile(r"\d+(?:\.\d+)?\s*(?:mg|mL|ml|g|µg|μg|mcg|IU|毫克|毫升|微克)\s*/\s*(?:kg|千克|公斤)",
                     re.IGNORECASE)


def check_dose_tables(chapter) -> Iterator[Diagnostic]:
    """CP302 bands above the maximum, CP303 gaps in the bands, CP304 ages beyond the source, CP305 prose doses."""
    meta = chapter.meta
    for index, dose in enumerate(meta.doses):
        path = ("doses", index)
        start, end = dose_ages(dose, meta.age_range)
        if not waived(dose, "CP302"):
            yield from _above_maximum(chapter, path, dose)
        if not waived(dose, "CP303"):
            yield from _band_gaps(chapter, path, dose, start, end)
        if dose.source_ages and not dose.reason and not waived(dose, "CP304"):
            covered = dose.source_ages
            if start < covered.start.days - 1e-6 or end > covered.end.days + 1e-6:
                yield at(chapter, (*path, "source_ages"),
                         f"dose {dose.id!r} is given for ages {_age_text(start)}–{_age_text(end)} but its source "
                         f"covers {covered} only", "narrow `ages`, cite a source that covers them, or write a "
                         "`reason` (shown to readers)", "CP304")
    steps = [(("referrals", r, "pre_referral", s), step, referral.id)
             for r, referral in enumerate(meta.referrals) for s, step in enumerate(referral.pre_referral)]
    steps += [(("recommendations", r), rec, rec.id) for r, rec in enumerate(meta.recommendations)]
    steps += [(("act_now", "steps", s), step, step.id)
              for s, step in enumerate(meta.act_now.steps if meta.act_now else [])]
    for path, item, owner in steps:
        if not _names_dose(item) and (match := _PER_KG.search(item.text)):
            yield at(chapter, (*path, "text"),
                     f"{owner}: the text states a per-kg dose ({match.group(0)}) that is not a structured dose, "
                     "so it has no checked maximum, route or interval",
                     "add it to `doses:` (with max_single) and name it here with `dose: ID`", "CP305")


def _names_dose(item) -> bool:
    """A pre-referral step or recommendation names one ``dose``; an act-now step a list of ``doses``."""
    return bool(getattr(item, "dose", None) or getattr(item, "doses", None))


def dose_ages(dose, age_range) -> tuple[float, float]:
    """[start, end) in days of the ages a dose is for."""
    band = dose.ages or age_range
    return max(band.start.days, dose.min_age_days), band.end.days


def _age_text(days: float) -> str:
    for unit, size in (("y", 365.25), ("mo", 365.25 / 12), ("d", 1.0)):
        if days >= size and abs(days / size - round(days / size)) < 1e-6:
            return f"{round(days / size)}{unit}"
    return f"{days:g}d"


def _above_maximum(chapter, path, dose) -> Iterator[Diagnostic]:
    bands = [("by_weight", i, b.dose) for i, b in enumerate(dose.by_weight)]
    bands += [("by_age", i, b.dose) for i, b in enumerate(dose.by_age)]
    for key, i, amount in bands:
        if dose.max_single is not None and amount > dose.max_single + 1e-9:
            yield at(chapter, (*path, key, i, "dose"),
                     f"dose {dose.id!r}: {amount:g} {dose.unit} is above its max_single {dose.max_single:g}",
                     "lower the band's dose or correct the maximum", "CP302")
    largest = dose.max_single if dose.max_single is not None else max((a for _, _, a in bands), default=None)
    interval = dose.interval_hours
    per_day = dose.max_doses_24h or (int(24 // interval) if interval else None)
    if dose.max_24h is not None and largest is not None and per_day and largest * per_day > dose.max_24h + 1e-9:
        yield at(chapter, (*path, "max_24h"),
                 f"dose {dose.id!r}: {per_day} doses of up to {largest:g} {dose.unit} in 24 h exceed "
                 f"max_24h {dose.max_24h:g}", "give max_doses_24h so that doses × maximum ≤ max_24h", "CP302")


def _band_gaps(chapter, path, dose, start: float, end: float) -> Iterator[Diagnostic]:
    if dose.by_age:
        edges = sorted((b.age.start.days, b.age.end.days) for b in dose.by_age)
        gap = _first_gap(edges, start, end)
        if gap is not None:
            yield at(chapter, (*path, "by_age"),
                     f"dose {dose.id!r} has no dose for ages {_age_text(gap[0])}–{_age_text(gap[1])}, inside its "
                     f"ages {_age_text(start)}–{_age_text(end)}", "add an age band or narrow `ages`", "CP303")
    elif dose.by_weight:
        low = max([b for b, _ in bands_for_ages(start, end)] + [0])
        weights = [(lo, hi) for lo, hi in bands_for_ages(start, end)]
        wanted = (max(min(lo for lo, _ in weights), dose.min_weight_kg or 0), max(hi for _, hi in weights)) \
            if weights else (0, low)
        edges = sorted((b.from_kg, b.to_kg) for b in dose.by_weight)
        gap = _first_gap(edges, *wanted)
        if gap is not None:
            yield at(chapter, (*path, "by_weight"),
                     f"dose {dose.id!r} has no dose for {gap[0]:g}–<{gap[1]:g} kg, a weight of children aged "
                     f"{_age_text(start)}–{_age_text(end)}", "add a weight band, or narrow `ages` or "
                     "`min_weight_kg`", "CP303")


def _first_gap(edges: list[tuple[float, float]], start: float, end: float) -> tuple[float, float] | None:
    reach = start
    for low, high in edges:
        if low > reach + 1e-6:
            return reach, min(low, end)
        reach = max(reach, high)
        if reach >= end - 1e-6:
            return None
    return (reach, end) if reach < end - 1e-6 else None


def check_table_texts(chapter, data: ClinicalData) -> Iterator[Diagnostic]:
    """CP202: a sign that uses a threshold table states each of the table's values for the sign's ages."""
    if data.vocabulary is None:
        return
    for index, sign in enumerate(chapter.meta.danger_signs):
        if waived(sign, "CP202"):
            continue
        for t_index, entry in enumerate(sign.thresholds):
            table = data.vocabulary.tables.get(entry.table) if entry.table else None
            if table is None:
                continue
            rows = [row for row in table.rows if table.by == "hours"
                    or any(overlaps_band(row.age, band) for band in sign.age_bands)]
            missing = [f"{row.value:g}" for row in rows if f"{row.value:g}" not in sign.text]
            if missing and table.by == "age":
                yield at(chapter, ("danger_signs", index, "thresholds", t_index),
                         f"sign {sign.id!r} uses table {table.id!r} but its text does not state "
                         f"{', '.join(missing)}", "write every cut-off of the table for the sign's ages in "
                         "the text, so readers see the same numbers the evaluator uses", "CP202")


def overlaps_band(band, other) -> bool:
    return band.start.days < other.end.days - 1e-9 and other.start.days < band.end.days - 1e-9


def check_cross_chapter_triage(manual) -> Iterator[Diagnostic]:
    """CP203: one finding, two chapters, another triage for the same age band, and no triage_reason."""
    lang = manual.default_language
    uses: dict[str, list[tuple[object, int, object]]] = {}
    for chapter in manual.in_language(lang):
        for index, sign in enumerate(chapter.meta.danger_signs):
            if sign.match == "all" or sign.triage == "green":
                continue
            for code in sign.findings:
                uses.setdefault(code, []).append((chapter, index, sign))
    for code, found in sorted(uses.items()):
        for i, (chapter, index, sign) in enumerate(found):
            for other_chapter, other_index, other in found[:i]:
                if other_chapter is chapter or other.triage == sign.triage:
                    continue
                if sign.triage_reason or other.triage_reason or waived(sign, "CP203") or waived(other, "CP203"):
                    continue
                common = [str(b) for b in sign.age_bands if any(overlaps_band(b, o) for o in other.age_bands)]
                if not common:
                    continue
                line, _ = other_chapter.where(("danger_signs", other_index, "id"))
                yield at(chapter, ("danger_signs", index, "findings"),
                         f"finding {code!r} is {sign.triage} in {sign.id!r} but {other.triage} in {other.id!r} "
                         f"({other_chapter.path}:{line}) for ages {', '.join(common)}",
                         "use one triage for the finding, or give `triage_reason` saying why this chapter differs",
                         "CP203")


_TRIAGE_RANK = {"red": 0, "amber": 1, "green": 2}


def check_reference_tables(chapter, data: ClinicalData, memo: dict | None = None) -> Iterator[Diagnostic]:
    """CP204: for each threshold table with a `triage` whose source the chapter cites, a value just beyond the
    cut-off must meet a sign of that colour or worse at every age of the table inside the chapter's range.
    Evaluated with the evaluator's own sign test, on a child with only that measure. Everything it reads is
    language-neutral, so ``memo`` (chapter id → problems) lets the other language versions reuse the result."""
    if data.vocabulary is None:
        return
    memo = {} if memo is None else memo
    if chapter.id not in memo:
        memo[chapter.id] = list(_reference_table_problems(chapter.meta, data.vocabulary))
    for path, message, hint in memo[chapter.id]:
        yield at(chapter, path, message, hint, "CP204")


def _reference_table_problems(meta, vocabulary) -> Iterator[tuple[tuple, str, str]]:
    from .evaluate import Child, in_bands, sign_condition

    cited = list(meta.references)
    for table in vocabulary.tables.values():
        source = next((s for s in table.sources if s in cited), None)
        if table.triage is None or source is None or any(
                w.rule == "CP204" and w.table in (None, table.id) for w in meta.waivers):
            continue
        for age_days, label, cutoff in _table_samples(table, meta.age_range):
            value = _beyond(cutoff, table.op)
            child = Child(age_days, None, {table.measure: value})
            caught = any(_TRIAGE_RANK[sign.triage] <= _TRIAGE_RANK[table.triage] and in_bands(sign.age_bands, age_days)
                         and sign_condition(sign, child, vocabulary) and not waived(sign, "CP204")
                         for sign in meta.danger_signs)
            if not caught:
                unit = vocabulary.measures[table.measure].unit
                yield (("references", cited.index(source)),
                       f"{meta.id}: at {label} a {table.measure.replace('_', ' ')} of {value:g} {unit} is beyond "
                       f"{source}'s {table.id} cut-off ({table.op} {cutoff:g}) but meets no {table.triage} sign "
                       "of this chapter", f"add `thresholds: [{{table: {table.id}}}]` to the {table.triage} sign "
                       "that covers it (and state the values in its text)")
                break


def _beyond(cutoff: float, op: str) -> float:
    """The first value past the cut-off at the precision a clinician reads (0.1 °C, 1 /min, 1 μmol/L)."""
    import math

    step = 10 ** (math.floor(math.log10(abs(cutoff))) - 2) if cutoff else 0.01
    return round({">": cutoff + step, ">=": cutoff, "<": cutoff - step, "<=": cutoff}[op], 6)


def _table_samples(table, age_range) -> Iterator[tuple[float, str, float]]:
    """(age in days, label, cut-off) at the start and middle of each row inside the chapter's ages."""
    low, high = age_range.start.days, age_range.end.days
    if table.by == "age":
        for row in table.rows:
            start, end = max(row.age.start.days, low), min(row.age.end.days, high)
            if start < end - 1e-9:
                for age in (start, (start + end) / 2):
                    yield age, f"age {_age_text(age) if age == start else f'{age:.0f} days'}", row.value
    else:
        for row in table.rows:
            age = row.hours / 24
            if low <= age < high - 1e-9:
                yield age, f"{row.hours:g} hours of age", table.cutoff(age)
