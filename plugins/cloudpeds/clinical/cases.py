"""Case tests (manual/cases/<chapter>.yml): vignettes with an expected result, run through the evaluator.

Like WHO SMART Guidelines' test scenarios: each case is a child (age, weight, measures, findings) and what
the chapter's data must decide for it (triage, urgency, referral, signs, path, doses). ``cloudpeds check``
runs every case and reports a mismatch at the case's file:line (rule CP501).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal

from pydantic import Field

from ..diagnostics import Diagnostic
from .evaluate import Child, chapter_graph, evaluate
from .types import Id, PlainText, Strict, Words

Level = Literal["emergency", "urgent", "routine", "observe", "treat-home", "home"]


class Expectation(Strict):
    """What the chapter must decide. Only the keys given are compared."""

    triage: Literal["red", "amber", "green", "none"] | None = None
    urgency: Level | None = None
    referral: Id | Literal["none"] | None = None
    #: Danger sign ids that must be among those met (others may be met too).
    signs: list[Id] | None = None
    #: Danger sign ids that must not be met.
    not_signs: list[Id] | None = None
    #: The flowchart path, node ids from the start to the disposition.
    path: list[str] | None = None
    #: Dose id → amount in the dose's unit (mg, or mL for a dose in mL); ``null`` = no dose for this child.
    doses: dict[str, float | None] | None = None


class Case(Strict):
    id: Id
    title: PlainText | Words
    sources: list[Id] = Field(min_length=1)
    #: ``21d``, ``40h``, ``3mo``, ``2y``.
    age: str
    #: Kilograms (``3.5``), or with a unit (``3500g``).
    weight: float | str | None = None
    #: Measure code → value in the default unit, or with a unit (``15mg/dL``).
    measures: dict[str, float | str] = Field(default_factory=dict)
    findings: list[Id] = Field(default_factory=list)
    expect: Expectation


class CaseFile(Strict):
    chapter: Id
    cases: list[Case] = Field(min_length=1)


@dataclass
class LoadedCases:
    path: str
    chapter: str
    cases: list[Case]
    positions: object
    index: dict[str, int] = field(default_factory=dict)

    def where(self, case_index: int, *rest: str | int) -> tuple[int, int]:
        return self.positions.of(("cases", case_index, *rest))


def load_cases(cases_dir: Path, root: Path, diagnostics: list[Diagnostic]) -> list[LoadedCases]:
    """Every manual/cases/*.yml; the file name must be the chapter id."""
    from ..diagnostics import display_path, error
    from ..manual.loader import load_yaml_model

    loaded: list[LoadedCases] = []
    if not cases_dir.is_dir():
        return loaded
    seen: dict[str, str] = {}
    for path in sorted(cases_dir.glob("*.yml")):
        result = load_yaml_model(path, CaseFile, root, diagnostics)
        if result is None:
            continue
        data, positions = result
        shown = display_path(path, root)
        if data.chapter != path.stem:
            line, col = positions.of(("chapter",))
            diagnostics.append(error(shown, line, col, "chapter",
                                     f"the file is named {path.name} but tests chapter {data.chapter!r}",
                                     f"name it {data.chapter}.yml", code="CP502"))
        cases = LoadedCases(shown, data.chapter, data.cases, positions)
        for index, case in enumerate(data.cases):
            if case.id in seen:
                line, col = cases.where(index, "id")
                diagnostics.append(error(shown, line, col, f"cases[{index}].id",
                                         f"case id {case.id!r} is already used in {seen[case.id]}",
                                         "give each case its own id", code="CP502"))
            seen[case.id] = shown
            cases.index[case.id] = index
        loaded.append(cases)
    return loaded


def child_of(case: Case, vocabulary) -> Child:
    """The case's child in default units; raises ``BadValue`` (from findings) with a one-line message."""
    from .findings import BadValue

    unknown = [code for code in case.findings if code not in vocabulary.findings]
    if unknown:
        raise BadValue(f"unknown finding {unknown[0]!r}")
    measures = {}
    for name, value in case.measures.items():
        if name in ("age", "weight"):
            raise BadValue(f"give {name} as the case's `{name}`, not under measures")
        measures[name] = vocabulary.parse_value(name, value)
    weight = vocabulary.parse_value("weight", case.weight) if case.weight is not None else None
    return Child(vocabulary.parse_value("age", case.age), weight, measures, frozenset(case.findings))


def run_cases(manual, loaded: list[LoadedCases], vocabulary) -> list[Diagnostic]:
    """Every case through the evaluator, in every language of its chapter; CP501 for each mismatch."""
    from ..diagnostics import error
    from .findings import BadValue

    found: list[Diagnostic] = []
    for cases in loaded:
        chapters = {lang: manual.chapters.get(lang, {}).get(cases.chapter) for lang in manual.languages}
        chapters = {lang: chapter for lang, chapter in chapters.items() if chapter is not None}
        if not chapters:
            line, col = cases.positions.of(("chapter",))
            found.append(error(cases.path, line, col, "chapter", f"there is no chapter {cases.chapter!r}",
                               "the file tests the chapter named by `chapter:`", code="CP502"))
            continue
        graphs = {lang: chapter_graph(chapter) for lang, chapter in chapters.items()}
        # Language versions agree on every neutral field (checked elsewhere); when their charts also have
        # the same shape, one evaluation stands for all of them.
        shapes = {lang: chart_shape(graph) for lang, graph in graphs.items()}
        meta = next(iter(chapters.values())).meta
        for index, case in enumerate(cases.cases):
            problem = partial(_problem, cases, index)
            try:
                child = child_of(case, vocabulary)
            except BadValue as exc:
                found.append(problem(str(exc), "see manual/findings.yml for codes, units and ranges"))
                continue
            if not in_range(meta.age_range, child.age_days):
                found.append(problem(f"age {case.age} is outside the chapter's age range {meta.age_range}",
                                     "test the ages the chapter covers", "age"))
                continue
            unknown = list(_unknown_ids(case.expect, meta))
            for key, value in unknown:
                found.append(problem(f"{value!r} is not a {key} of chapter {cases.chapter}",
                                     "expect ids of this chapter", "expect", key))
            if unknown:
                continue
            results = {}
            for lang, chapter in chapters.items():
                same = next((other for other in results if shapes[other] == shapes[lang]), None)
                results[lang] = results[same] if same else evaluate(chapter.meta, graphs[lang], vocabulary, child)
            for key, expected, got_by_lang in _compare(case.expect, results):
                tags = sorted({got for got in got_by_lang.values()})
                got = tags[0] if len(tags) == 1 else "; ".join(f"{lang}: {g}" for lang, g in got_by_lang.items())
                found.append(problem(f"case {case.id!r}: expected {key} {expected}, got {got}",
                                     _explain(results), "expect", key, code="CP501"))
    return found


def _problem(cases: LoadedCases, index: int, message: str, hint: str, *where: str | int,
             code: str = "CP502") -> Diagnostic:
    from ..diagnostics import error

    line, col = cases.where(index, *where)
    field_name = f"cases[{index}]" + "".join(f".{part}" for part in where)
    return error(cases.path, line, col, field_name, message, hint, code=code)


def chart_shape(graph) -> object:
    """What the evaluator reads from a chart: kinds, links, edges with Yes/No answers (not the words)."""
    from .evaluate import NO, YES

    if graph is None:
        return None

    def answer(label: str | None) -> str:
        text = (label or "").strip().lower().rstrip("?？。.")
        return "yes" if text in YES else "no" if text in NO else text

    return (graph.start, tuple((n.id, n.kind, tuple(n.links)) for n in graph.nodes.values()),
            tuple((e.source, e.target, answer(e.label)) for e in graph.edges))


def in_range(band, age_days: float) -> bool:
    """Whether an age is inside a half-open age band [start, end)."""
    return band.start.days - 1e-9 <= age_days < band.end.days - 1e-9


def _unknown_ids(expect: Expectation, meta):
    referrals = {r.id for r in meta.referrals}
    signs = {s.id for s in meta.danger_signs}
    doses = {d.id for d in meta.doses}
    if expect.referral not in (None, "none") and expect.referral not in referrals:
        yield "referral", expect.referral
    for sign_id in [*(expect.signs or []), *(expect.not_signs or [])]:
        if sign_id not in signs:
            yield "signs", sign_id
    for dose_id in expect.doses or {}:
        if dose_id not in doses:
            yield "doses", dose_id


def _compare(expect: Expectation, results: dict):
    """(key, expected text, {lang: got text}) for each expectation that some language misses."""
    import math

    def check(key: str, expected_text: str, ok, got) -> tuple | None:
        misses = {lang: got(result) for lang, result in results.items() if not ok(result)}
        return (key, expected_text, misses) if misses else None

    checks = []
    if expect.triage is not None:
        checks.append(check("triage", expect.triage, lambda r: r.triage == expect.triage, lambda r: r.triage))
    if expect.urgency is not None:
        checks.append(check("urgency", expect.urgency, lambda r: r.urgency == expect.urgency,
                            lambda r: str(r.urgency)))
    if expect.referral is not None:
        want = None if expect.referral == "none" else expect.referral
        checks.append(check("referral", expect.referral, lambda r: r.referral == want,
                            lambda r: r.referral or "none"))
    if expect.signs is not None:
        checks.append(check("signs", ", ".join(expect.signs), lambda r: set(expect.signs) <= set(r.signs),
                            lambda r: ", ".join(r.signs) or "no sign met"))
    if expect.not_signs is not None:
        checks.append(check("not_signs", "none of " + ", ".join(expect.not_signs),
                            lambda r: not set(expect.not_signs) & set(r.signs),
                            lambda r: ", ".join(sorted(set(expect.not_signs) & set(r.signs)))))
    if expect.path is not None:
        checks.append(check("path", " → ".join(expect.path), lambda r: r.path == expect.path,
                            lambda r: " → ".join(r.path)))
    for dose_id, amount in (expect.doses or {}).items():
        def got_amount(result, dose_id=dose_id):
            return next((d.amount for d in result.doses if d.id == dose_id), None)

        def ok(result, amount=amount, got_amount=got_amount):
            got = got_amount(result)
            if amount is None or got is None:
                return got is None and amount is None
            return math.isclose(got, amount, rel_tol=1e-3, abs_tol=0.01)

        checks.append(check("doses", f"{dose_id} {amount if amount is not None else 'none'}", ok,
                            lambda r, got_amount=got_amount: f"{got_amount(r):g}" if got_amount(r) is not None
                            else "no dose"))
    return [c for c in checks if c]


def _explain(results: dict) -> str:
    result = next(iter(results.values()))
    signs = ", ".join(result.signs) or "none"
    hint = f"the evaluator met signs: {signs}; path {' → '.join(result.path) or '(no chart)'}"
    if result.unevaluated:
        hint += f"; not evaluable (no findings or thresholds): {', '.join(result.unevaluated)}"
    return hint
