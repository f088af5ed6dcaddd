"""The clinical safety rules run by ``cloudpeds check``; each has a stable code, a file:line and a hint.

CP2xx findings and thresholds, CP3xx doses, CP4xx flowchart logic, CP5xx case tests (CP1xx, the urgency
scale, lives with the flowchart and referral checks). A rule is waived only per item, with a reason that
readers see (``waivers: [{rule: CP401, reason: …}]``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..diagnostics import Diagnostic, error, warning
from ..yamlpos import FieldPath, format_path
from .baseline import load_baseline, split
from .cases import run_cases
from .data import ClinicalData, load_clinical
from .types import waived

#: Every rule: code → (severity, one line for the editor's guide).
RULES: dict[str, tuple[str, str]] = {
    "CP201": ("error", "unknown finding code, measure or threshold table; unit that does not fit the measure"),
    "CP202": ("warning", "a sign's text does not state the values of its threshold table for its ages"),
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


def check_clinical(manual, manual_dir: Path, root: Path, *, baseline: bool = True) -> list[Diagnostic]:
    """Load the clinical data files and run every rule over the manual; findings listed in
    manual/clinical-baseline.yml are held back (``baseline=False`` reports them too)."""
    problems: list[Diagnostic] = []
    data = load_clinical(manual_dir, root, problems)
    found = run_rules(manual, data)
    known = load_baseline(manual_dir, root, problems) if baseline else []
    report, held = split(found, known)
    manual.clinical_baseline_held = held
    return problems + report


def run_rules(manual, data: ClinicalData) -> list[Diagnostic]:
    """Every rule over every chapter and case; ``manual.clinical`` keeps the data for the renderer."""
    diagnostics: list[Diagnostic] = []
    manual.clinical = data
    for lang in manual.languages:
        for chapter in manual.chapters.get(lang, {}).values():
            diagnostics += list(check_chapter_vocabulary(chapter, data))
            diagnostics += list(check_chapter_doses(chapter, data, manual))
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


def _norm(unit: str) -> str:
    from .findings import normalise_unit

    return normalise_unit(unit)


def _suggest(value: str, choices, fallback: str) -> str:
    import difflib

    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else fallback
