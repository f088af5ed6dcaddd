"""Cross-checks over the loaded manual: ids, links between items, languages, review dates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from ..clinical import levels_check
from ..clinical.rules import check_clinical
from ..diagnostics import Diagnostic, error, promote_warnings, warning
from ..flowchart.fences import find_fences
from ..flowchart.graph import REFERRALS
from ..flowchart.parse import parse as parse_chart
from ..flowchart.validate import leads_to
from ..flowchart.validate import validate as validate_chart
from ..markup import source as content_html
from ..preview import Memo, digest, remembered
from ..scaffold import PLACEHOLDER
from ..search.synonyms import load_synonyms
from ..translation_marks import MARKER, fingerprint, pending_texts, source_marks
from ..yamlpos import FieldPath, format_path
from . import model
from .loader import Chapter, LoadResult, Manual, load_manual

ITEM_KINDS = ("danger_signs", "referrals", "recommendations", "doses")
# A number followed by a dose unit. Latin units end where letters end; CJK units have no word boundary
# after them (每次15毫克每千克), so none is required.
_DOSE = re.compile(
    r"\d\s*(?:(?:mg|mcg|μg|µg|ug|IU|mL|ml)(?![A-Za-z])|(?:g|mmol)\s*/\s*kg"
    r"|毫克|微克|毫升|国际单位|(?:克|毫摩尔|单位)\s*(?:/|每)\s*(?:千克|公斤|kg))",
    re.IGNORECASE,
)
_H1 = re.compile(r"^#\s", re.MULTILINE)


def check(manual_dir: Path, *, languages: tuple[str, ...] = ("zh", "en"), root: Path | None = None,
          today: dt.date | None = None, strict: bool = False, memo: Memo | None = None,
) -> tuple[Manual, list[Diagnostic]]:
    """Load and validate the whole manual; every problem at once. ``memo``: the preview's memory of the last
    build (``cloudpeds.preview``): unchanged chapters are neither parsed nor checked again."""
    loaded: LoadResult = load_manual(manual_dir, languages=languages, root=root, memo=memo)
    loaded.manual.synonyms, synonym_problems = load_synonyms(manual_dir / "synonyms.yml",
                                                             root or manual_dir.parent)
    diagnostics = loaded.diagnostics + synonym_problems + validate(loaded.manual, today=today or dt.date.today(),
                                                                   memo=memo)
    diagnostics += check_clinical(loaded.manual, manual_dir, root or manual_dir.parent)
    from .parent_advice import check_parent_advice

    diagnostics += check_parent_advice(loaded.manual, manual_dir, root or manual_dir.parent)
    diagnostics = _root_causes_first(loaded.manual, diagnostics)
    if strict:
        diagnostics = promote_warnings(diagnostics)
    return loaded.manual, sorted(set(diagnostics))


def _root_causes_first(manual: Manual, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A bibliography file that did not load makes every citation of it unknown: report the file's own
    error, and instead of the follow-on "unknown reference" errors say how many there were."""
    if not manual.unloaded_references:
        return diagnostics
    follow_on = [d for d in diagnostics if d.message.startswith("unknown reference ")]
    if not follow_on:
        return diagnostics
    kept = [d for d in diagnostics if d not in follow_on]
    first = min((d for d in kept if d.path in manual.unloaded_references), default=None)
    if first is None:
        return diagnostics
    note = (f"{first.hint}; " if first.hint else "") + (
        f"{len(follow_on)} \"unknown reference\" error(s) that follow from this are not shown: fix this first")
    return [d for d in kept if d is not first] + [dataclasses.replace(first, hint=note)]


def validate(manual: Manual, *, today: dt.date, memo: Memo | None = None) -> list[Diagnostic]:
    found: list[Diagnostic] = list(_check_groups(manual))
    context = chapter_context(manual, today) if memo is not None else ""
    for lang in manual.languages:
        chapters = manual.chapters.get(lang, {})
        found += _check_unique_ids(list(chapters.values()))
        for chapter in chapters.values():
            # A chapter's checks read the chapter and, from the rest of the manual, only what chapter_context names.
            found += remembered(memo, "check-chapter", lambda c=chapter: digest(context, c.digest, c.path),
                                lambda c=chapter: list(_check_chapter(c, manual, today)))
    found += _check_translations(manual, memo)
    return found


def chapter_context(manual: Manual, today: dt.date) -> str:
    """What one chapter's checks read from the rest of the manual, as a digest (the preview's key)."""
    return digest(today, repr(manual.groups), repr(sorted(manual.references.items())), sorted(manual.unloaded),
                  *(sorted(manual.chapters.get(lang, {})) for lang in manual.languages))


def _at(chapter: Chapter, path: FieldPath, severity, message: str, hint: str = "",
        *, key: bool = False) -> Diagnostic:
    line, col = chapter.where(path, key=key)
    return severity(chapter.path, line, col, format_path(path), message, hint)


def _items(chapter: Chapter) -> Iterator[tuple[str, int, object]]:
    for kind in ITEM_KINDS:
        for index, item in enumerate(getattr(chapter.meta, kind)):
            yield kind, index, item


def _item_paths(chapter: Chapter) -> Iterator[tuple[FieldPath, object]]:
    """Every item that has an id, with the path of its id: the item lists, then the act-now steps."""
    for kind, index, item in _items(chapter):
        yield (kind, index, "id"), item
    for index, step in enumerate(chapter.meta.act_now.steps if chapter.meta.act_now else []):
        yield ("act_now", "steps", index, "id"), step


def _check_groups(manual: Manual) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for index, group in enumerate(manual.groups):
        line, col = manual.group_positions.of(("groups", index, "id"))
        if group.id in seen:
            yield error(manual.groups_path, line, col, f"groups[{index}].id",
                        f"group id {group.id!r} is used twice", "give each group its own id")
        seen.add(group.id)
        for lang in manual.languages:
            if lang not in group.title:
                yield warning(manual.groups_path, line, col, f"groups[{index}].title",
                              f"no {lang} title", f"add `{lang}: …` to the title")


def _check_unique_ids(chapters: list[Chapter]) -> Iterator[Diagnostic]:
    first_seen: dict[str, tuple[Chapter, FieldPath]] = {}
    for chapter in sorted(chapters, key=lambda c: c.path):
        for path, item in _item_paths(chapter):
            if item.id in first_seen:
                other, other_path = first_seen[item.id]
                line, _ = other.where(other_path)
                yield _at(chapter, path, error, f"id {item.id!r} is already used at {other.path}:{line}",
                          "ids must be unique in the whole manual; rename one of them")
            else:
                first_seen[item.id] = (chapter, path)


def _check_chapter(chapter: Chapter, manual: Manual, today: dt.date) -> Iterator[Diagnostic]:
    meta = chapter.meta
    group_ids = [group.id for group in manual.groups]
    if manual.groups and meta.group not in group_ids:
        yield _at(chapter, ("group",), error, f"unknown group {meta.group!r}",
                  _suggest(meta.group, group_ids, "groups are listed in manual/groups.yml"))

    for index, band in enumerate(meta.age_bands):
        if not meta.age_range.contains(band):
            yield _at(chapter, ("age_bands", index), error,
                      f"age band {band} lies outside the chapter's age_range {meta.age_range}",
                      "widen age_range or fix the band")

    prefix = f"{meta.id}-"
    for id_path, item in _item_paths(chapter):
        if not item.id.startswith(prefix):
            yield _at(chapter, id_path, error, f"item id {item.id!r} must start with {prefix!r}",
                      f"rename it to {with_chapter_prefix(item.id, meta.id)}")
        elif _repeats_chapter_id(item.id[len(prefix):], meta.id):
            yield _at(chapter, id_path, warning,
                      f"item id {item.id!r} repeats the chapter id",
                      f"rename it to {with_chapter_prefix(item.id[len(prefix):], meta.id)}")

    sign_ids = [sign.id for sign in meta.danger_signs]
    for index, sign in enumerate(meta.danger_signs):
        for band_index, band in enumerate(sign.age_bands):
            if not meta.age_range.contains(band):
                yield _at(chapter, ("danger_signs", index, "age_bands", band_index), error,
                          f"age band {band} lies outside the chapter's age_range {meta.age_range}",
                          "a danger sign applies within the chapter's ages")
        if sign.threshold and sign.threshold.value_text() not in sign.text:
            # An error: the page would show the text's number while the logic uses the threshold's.
            yield _at(chapter, ("danger_signs", index, "threshold", "value"), error,
                      f"the threshold says {threshold_text(sign.threshold)} but the text does not say "
                      f"{sign.threshold.value_text()}",
                      "the text and the threshold must say the same number; fix the wrong one")

    for index, referral in enumerate(meta.referrals):
        for sign_index, sign_id in enumerate(referral.signs):
            if sign_id not in sign_ids:
                yield _at(chapter, ("referrals", index, "signs", sign_index), error,
                          f"{sign_id!r} is not a danger sign of this chapter",
                          _suggest(sign_id, sign_ids, "list ids from danger_signs"))
        for step_index, step in enumerate(referral.pre_referral):
            if _DOSE.search(step.text) and not step.sources:
                yield _at(chapter, ("referrals", index, "pre_referral", step_index, "text"), error,
                          "this treatment states a dose but cites no source",
                          "add `sources:` with the reference that gives this dose")
    yield from levels_check.check_chapter(chapter)  # CP101, CP102: the urgency scale
    for index, step in enumerate(meta.act_now.steps if meta.act_now else []):
        if _DOSE.search(step.text) and not step.sources and not step.doses:
            yield _at(chapter, ("act_now", "steps", index, "text"), error,
                      "this treatment states a dose but cites no source",
                      "add `sources:` with the reference that gives this dose")

    for index, recommendation in enumerate(meta.recommendations):
        if _DOSE.search(recommendation.text) and not recommendation.sources:
            yield _at(chapter, ("recommendations", index, "text"), error,
                      "this recommendation states a dose but cites no source",
                      "add `sources:` with the reference that gives this dose")

    yield from _check_citations(chapter, manual)
    yield from _check_flowcharts(chapter)
    yield from _check_body_doses(chapter)
    yield from _check_placeholders(chapter)

    known = set(manual.chapters.get(chapter.lang, {})) | {
        chapter_id for chapters in manual.chapters.values() for chapter_id in chapters}
    for index, related in enumerate(meta.related):
        if related == meta.id:
            yield _at(chapter, ("related", index), error, "a chapter cannot be related to itself",
                      "remove it")
        elif related not in known:
            yield _at(chapter, ("related", index), error, f"there is no chapter {related!r}",
                      _suggest(related, sorted(known), "related lists chapter ids"))

    if meta.next_review_due <= meta.last_reviewed:
        yield _at(chapter, ("next_review_due",), error, "next_review_due is not after last_reviewed",
                  "set the date of the next review")
    elif meta.next_review_due < today:
        yield _at(chapter, ("next_review_due",), warning,
                  f"the review was due on {meta.next_review_due.isoformat()}",
                  "review the chapter and update last_reviewed and next_review_due")

    yield from content_html.diagnostics(chapter.body, chapter.path, chapter.body_line)
    if match := _H1.search(chapter.body):
        line = chapter.body_line + chapter.body[: match.start()].count("\n")
        yield warning(chapter.path, line, 1, "body", "the body has a level-1 heading",
                      "the title comes from `title`; start sections with ##")


def _check_body_doses(chapter: Chapter) -> Iterator[Diagnostic]:
    """The body is prose and cannot cite a source for a dose: a dose there is an error at its line."""
    for number, line in enumerate(chapter.body.splitlines()):
        if match := _DOSE.search(line):
            yield error(chapter.path, chapter.body_line + number, match.start() + 1, "body",
                        f"the text states a dose ({match.group()}…) where no source can be cited",
                        "give the dose in a recommendation or pre-referral step with `sources:`, "
                        "and refer to it from the text")


def _check_placeholders(chapter: Chapter) -> Iterator[Diagnostic]:
    """Placeholders left from `cloudpeds new` (【待填写】 / [TO FILL IN]): a warning, an error with --strict."""
    marks = tuple(PLACEHOLDER.values())
    stack: list[tuple[FieldPath, object]] = [((), chapter.meta.model_dump())]
    found: list[FieldPath] = []
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*path, key), item) for key, item in value.items())
        elif isinstance(value, list | tuple):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
        elif isinstance(value, str) and any(mark in value for mark in marks):
            found.append(path)
    for path in sorted(found, key=lambda p: chapter.where(p)):
        yield _at(chapter, path, warning, "a placeholder is left in this text",
                  "write the real text; `cloudpeds check --strict` and `cloudpeds publish` refuse placeholders")
    for number, line in enumerate(chapter.body.splitlines()):
        if columns := [line.index(mark) + 1 for mark in marks if mark in line]:
            yield warning(chapter.path, chapter.body_line + number, min(columns), "body",
                          "a placeholder is left in the text",
                          "write the real text; `cloudpeds check --strict` and `cloudpeds publish` refuse placeholders")


def _check_flowcharts(chapter: Chapter) -> Iterator[Diagnostic]:
    meta = chapter.meta
    known = {sign.id: "danger sign" for sign in meta.danger_signs}
    known |= {referral.id: "referral" for referral in meta.referrals}
    known |= {rec.id: "recommendation" for rec in meta.recommendations}
    fences = find_fences(chapter.body)
    if not fences:
        yield warning(chapter.path, chapter.body_line, 1, "body", "the chapter has no flow chart",
                      "end the chapter with its ```flowchart of diagnosis and treatment (see the editor's guide)")
        return
    linked: set[str] = set()
    linked_to_referral: set[str] = set()
    for fence in fences:
        graph, parse_errors = parse_chart(fence.source)
        problems = [*parse_errors] if parse_errors else validate_chart(graph, known)
        for problem in problems:
            line = chapter.body_line + fence.first_line + problem.line - 1
            yield error(chapter.path, line, problem.col + fence.indent, "flowchart", problem.message, problem.hint)
        if parse_errors:
            continue
        for node in graph.nodes.values():
            linked.update(node.links)
            if node.text is not None and leads_to(graph, node.id, REFERRALS):
                linked_to_referral.update(node.links)
    # IMCI: a red (pink) sign means referral; an amber (yellow) one may be treated on site.
    for index, sign in enumerate(meta.danger_signs):
        if sign.triage == "red" and sign.id not in linked_to_referral:
            yield _at(chapter, ("danger_signs", index, "id"), warning,
                      f"red danger sign {sign.id!r} leads to no referral node in the flow chart",
                      f'add `click NODE "#{sign.id}"` to the node that checks it, on a path to a referral')
        elif sign.triage == "amber" and sign.id not in linked:
            yield _at(chapter, ("danger_signs", index, "id"), warning,
                      f"amber danger sign {sign.id!r} is not checked in the flow chart",
                      f'add `click NODE "#{sign.id}"` to the node that checks it')


def _check_citations(chapter: Chapter, manual: Manual) -> Iterator[Diagnostic]:
    meta = chapter.meta
    known = sorted(manual.references)
    cited: list[tuple[FieldPath, str]] = [(("references", i), ref) for i, ref in enumerate(meta.references)]
    for index, recommendation in enumerate(meta.recommendations):
        cited += [(("recommendations", index, "sources", i), ref) for i, ref in enumerate(recommendation.sources)]
    for index, referral in enumerate(meta.referrals):
        for step_index, step in enumerate(referral.pre_referral):
            cited += [(("referrals", index, "pre_referral", step_index, "sources", i), ref)
                      for i, ref in enumerate(step.sources)]
    for index, step in enumerate(meta.act_now.steps if meta.act_now else []):
        cited += [(("act_now", "steps", index, "sources", i), ref) for i, ref in enumerate(step.sources)]
    for path, ref in cited:
        if ref not in manual.references:
            yield _at(chapter, path, error, f"unknown reference {ref!r}",
                      _suggest(ref, known, "add it to a file in manual/references/"))


def _check_translations(manual: Manual, memo: Memo | None = None) -> Iterator[Diagnostic]:
    default = manual.default_language
    ids = {lang: set(manual.chapters.get(lang, {})) for lang in manual.languages}
    for lang in manual.languages[1:]:
        for chapter_id in sorted(ids[default] - ids[lang]):
            if (lang, chapter_id) in manual.unloaded:
                continue  # that version has errors of its own
            chapter = manual.chapters[default][chapter_id]
            yield _at(chapter, ("id",), warning, f"translation gap: no {lang} version of this chapter",
                      f"add manual/chapters/{chapter_id}.{lang}.md")
        for chapter_id in sorted(ids[lang] - ids[default]):
            if (default, chapter_id) in manual.unloaded:
                continue
            chapter = manual.chapters[lang][chapter_id]
            yield _at(chapter, ("id",), warning, f"translation gap: no {default} version of this chapter",
                      f"add manual/chapters/{chapter_id}.{default}.md")
        for chapter_id in sorted(ids[default] & ids[lang]):
            master, other = manual.chapters[default][chapter_id], manual.chapters[lang][chapter_id]
            yield from remembered(memo, "check-translation", lambda m=master, o=other: digest(m.digest, o.digest),
                                  lambda m=master, o=other: _compare_translation(m, o))


def _compare_translation(master: Chapter, other: Chapter) -> list[Diagnostic]:
    return [*_compare_versions(master, other), *_pending_translation(other), *_stale_texts(master, other)]


def _stale_texts(master: Chapter, other: Chapter) -> Iterator[Diagnostic]:
    """Texts whose source text changed after `cloudpeds translate` wrote them (their ``# zh:…`` fingerprint)."""
    front_matter = other.positions.source[0] if other.positions.source else ""
    for path, mark in sorted(source_marks(front_matter, master.lang).items(), key=str):
        master_path = _same_item_path(other.meta, master.meta, path)
        try:
            current = _resolve(master.meta, master_path) if master_path else None
        except (AttributeError, IndexError, KeyError, TypeError):
            current = None
        if current is not None and fingerprint(current) != mark:
            line, _ = master.where(master_path)
            yield _at(other, path, warning,
                      f"translation out of date: {master.path}:{line} changed after this text was translated",
                      f"run `cloudpeds translate {master.meta.id}`: it marks the text [to translate] with the "
                      "new words and the old translation")


def _same_item_path(meta: model.ChapterMeta, master: model.ChapterMeta, path: FieldPath) -> FieldPath | None:
    if len(path) >= 2 and isinstance(path[1], int) and isinstance(path[0], str):
        items = getattr(meta, path[0], None)
        if not isinstance(items, list) or path[1] >= len(items) or not hasattr(items[path[1]], "id"):
            return path
        item_id = items[path[1]].id
        for index, item in enumerate(getattr(master, path[0], [])):
            if getattr(item, "id", None) == item_id:
                return (path[0], index, *path[2:])
        return None
    return path


def _pending_translation(chapter: Chapter) -> Iterator[Diagnostic]:
    pending = pending_texts(chapter.meta)
    if pending:
        line, col = chapter.where(_parse_dotted(pending[0]))
        yield warning(chapter.path, line, col, pending[0],
                      f"translation pending: {len(pending)} text(s) still marked {MARKER}",
                      "translate each marked text and delete the mark; the page shows a notice until then")
    if MARKER in chapter.body:
        line = chapter.body_line + chapter.body[: chapter.body.index(MARKER)].count("\n")
        yield warning(chapter.path, line, 1, "body", f"translation pending: the body is marked {MARKER}",
                      "replace it with the translated text")


def translation_notes(manual: Manual, chapter: Chapter) -> list[str]:
    """What a reader of this language version should know: texts not translated yet, and fields that
    disagree with the default language's version (which is the one that counts). Empty when in step."""
    if chapter.lang == manual.default_language:
        return []
    notes = [d.field for d in _pending_translation(chapter)]
    master = manual.chapter(manual.default_language, chapter.id)
    if master is not None:
        notes += [d.field for d in _compare_versions(master, chapter)]
        notes += [d.field for d in _stale_texts(master, chapter)]
    return notes


def _parse_dotted(dotted: str) -> FieldPath:
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", dotted):
        parts.append(int(index) if index else name)
    return tuple(parts)


def _compare_versions(master: Chapter, other: Chapter) -> Iterator[Diagnostic]:
    for name in model.LANGUAGE_NEUTRAL[None]:
        yield from _compare_field(master, other, (name,))
    for kind in ITEM_KINDS:
        master_items = {item.id: index for index, item in enumerate(getattr(master.meta, kind))}
        other_items = {item.id: index for index, item in enumerate(getattr(other.meta, kind))}
        for item_id in sorted(master_items.keys() - other_items.keys()):
            yield _at(master, (kind, master_items[item_id], "id"), warning,
                      f"translation gap: {item_id!r} is missing from {other.path}",
                      f"add it to the {other.lang} version")
        for item_id in sorted(other_items.keys() - master_items.keys()):
            yield _at(other, (kind, other_items[item_id], "id"), warning,
                      f"translation gap: {item_id!r} is missing from {master.path}",
                      f"add it to the {master.lang} version")
        for item_id in sorted(master_items.keys() & other_items.keys()):
            for name in model.LANGUAGE_NEUTRAL[kind]:
                yield from _compare_field(master, other, (kind, master_items[item_id], name),
                                          (kind, other_items[item_id], name))
    yield from _compare_act_now(master, other)


def _compare_act_now(master: Chapter, other: Chapter) -> Iterator[Diagnostic]:
    """The act-now block: present in both versions, the same steps (by id) giving the same doses and sources."""
    mine, theirs = master.meta.act_now, other.meta.act_now
    if mine is None and theirs is None:
        return
    if mine is None or theirs is None:
        has, lacks = (master, other) if theirs is None else (other, master)
        yield _at(has, ("act_now",), warning, f"translation gap: 'act_now' is missing from {lacks.path}",
                  f"add it to the {lacks.lang} version", key=True)
        return
    master_steps = {step.id: index for index, step in enumerate(mine.steps)}
    other_steps = {step.id: index for index, step in enumerate(theirs.steps)}
    for step_id in sorted(master_steps.keys() - other_steps.keys()):
        yield _at(master, ("act_now", "steps", master_steps[step_id], "id"), warning,
                  f"translation gap: {step_id!r} is missing from {other.path}", f"add it to the {other.lang} version")
    for step_id in sorted(other_steps.keys() - master_steps.keys()):
        yield _at(other, ("act_now", "steps", other_steps[step_id], "id"), warning,
                  f"translation gap: {step_id!r} is missing from {master.path}", f"add it to the {master.lang} version")
    for step_id in sorted(master_steps.keys() & other_steps.keys()):
        for name in model.ACT_NOW_NEUTRAL:
            yield from _compare_field(master, other, ("act_now", "steps", master_steps[step_id], name),
                                      ("act_now", "steps", other_steps[step_id], name))


def _resolve(meta: model.ChapterMeta, path: FieldPath) -> object:
    value: object = meta
    for part in path:
        value = value[part] if isinstance(part, int) else getattr(value, part)
    return value


def _comparable(value: object) -> object:
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if hasattr(value, "code"):
        return value.code
    if hasattr(value, "model_dump"):
        return value.model_dump()
    return value


def _compare_field(master: Chapter, other: Chapter, path: FieldPath,
                   other_path: FieldPath | None = None) -> Iterator[Diagnostic]:
    other_path = other_path or path
    mine, theirs = _comparable(_resolve(master.meta, path)), _comparable(_resolve(other.meta, other_path))
    if mine != theirs:
        line, _ = master.where(path)
        # A warning, so that writing the default language first never stops the preview; --strict and
        # publish make it an error, and the page of this version shows a notice meanwhile.
        yield _at(other, other_path, warning,
                  f"translation out of date: differs from {master.path}:{line} "
                  f"({_short(theirs)} here, {_short(mine)} there)",
                  f"run `cloudpeds translate {master.meta.id}` to copy it from the {master.lang} version, "
                  "or fix the wrong one")


_OPERATORS = {">": ">", ">=": "≥", "<": "<", "<=": "≤"}
_ITEM_INFIXES = ("-ds-", "-ref-", "-rec-", "-dose-", "-act-")


def threshold_text(threshold: object) -> str:
    """A threshold as a doctor writes it: ``≥ 48 h``, ``> 60 /min``."""
    data = threshold.model_dump() if hasattr(threshold, "model_dump") else threshold
    if not isinstance(data, dict):
        return _number(data)
    op = _OPERATORS.get(str(data.get("op")), str(data.get("op", "")))
    return f"{op} {_number(data.get('value'))} {data.get('unit', '')}".strip()


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _short(value: object) -> str:
    if isinstance(value, dict) and {"op", "value"} <= value.keys():
        text = threshold_text(value)
    elif isinstance(value, list):
        text = ", ".join(_short(item) for item in value)
    elif value is None or value == "":
        text = "(none)"
    else:
        text = _number(value)
    return text if len(text) <= 60 else text[:57] + "..."


def with_chapter_prefix(item_id: str, chapter_id: str) -> str:
    """The id with the chapter's prefix: a wrong prefix before -ds-/-ref-/-rec-/-dose- is replaced, not kept."""
    for infix in _ITEM_INFIXES:
        if infix in item_id:
            return chapter_id + item_id[item_id.index(infix):]
    return f"{chapter_id}-{item_id}"


def _repeats_chapter_id(rest: str, chapter_id: str) -> bool:
    """``headache-headaches-ds-x``: what is left after the prefix starts with the chapter id again."""
    if any(rest.startswith(infix[1:]) for infix in _ITEM_INFIXES):
        return False
    head = "-".join(rest.split("-")[: chapter_id.count("-") + 1])
    return difflib.SequenceMatcher(None, head, chapter_id).ratio() >= 0.8


def _suggest(value: str, choices: list[str], fallback: str) -> str:
    """"Did you mean …?" only for a close match that names the same numbers: nice-ng51 is not nice-ng1."""
    numbers = re.findall(r"\d+", value)
    same_numbers = [choice for choice in choices if re.findall(r"\d+", choice) == numbers]
    close = difflib.get_close_matches(value, same_numbers, n=1, cutoff=0.75)
    return f"did you mean {close[0]!r}?" if close else fallback
