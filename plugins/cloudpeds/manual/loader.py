"""Read the manual's sources (groups, bibliography, chapters) into the model.

Every problem becomes a :class:`~cloudpeds.diagnostics.Diagnostic` with the file and line;
loading never stops at the first one.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .. import frontmatter, sourcetext, yamlpos
from ..clinical.doses import AgeDose, Dose, WeightDose
from ..clinical.types import Waiver
from ..diagnostics import Diagnostic, display_path, error
from ..messages import shown_value
from ..preview import Memo, digest
from . import model

M = TypeVar("M", bound=BaseModel)

CHAPTER_FILE = re.compile(r"^(?P<id>[^.]+)\.(?P<lang>[A-Za-z-]+)\.md$")


@dataclass
class Chapter:
    """One language version of a chapter: its validated front matter and Markdown body."""

    meta: model.ChapterMeta
    lang: str
    body: str
    path: str
    positions: yamlpos.Positions
    body_line: int
    #: SHA-256 of the file's text: names this version in the preview's memory (cloudpeds.preview).
    digest: str = ""
    #: SHA-256 of its front matter alone: the quick-reference pages and the symptom grid show only that.
    front_digest: str = ""

    @property
    def id(self) -> str:
        return self.meta.id

    def where(self, path: yamlpos.FieldPath, *, key: bool = False) -> tuple[int, int]:
        return self.positions.of(path, key=key)


@dataclass
class Manual:
    """The whole manual in every language."""

    languages: tuple[str, ...]
    groups: list[model.Group]
    references: dict[str, model.Reference]
    chapters: dict[str, dict[str, Chapter]] = field(default_factory=dict)
    groups_path: str = "manual/groups.yml"
    group_positions: yamlpos.Positions = field(default_factory=yamlpos.Positions)
    #: (lang, chapter id) of chapter files that exist but did not load (their errors are reported).
    unloaded: set[tuple[str, str]] = field(default_factory=set)
    #: Search synonym groups from manual/synonyms.yml (a cloudpeds.search.synonyms.Synonyms).
    synonyms: object = None
    #: Findings vocabulary, formulary and case tests (a cloudpeds.clinical.data.ClinicalData), set by check.
    clinical: object = None
    #: Bibliography files that did not load (their errors are reported; citations of them are unknown).
    unloaded_references: list[str] = field(default_factory=list)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def chapter(self, lang: str, chapter_id: str) -> Chapter | None:
        return self.chapters.get(lang, {}).get(chapter_id)

    def in_language(self, lang: str) -> list[Chapter]:
        """Chapters of one language in reading order: by group, then order, then id."""
        group_rank = {group.id: rank for rank, group in enumerate(self.groups)}
        return sorted(
            self.chapters.get(lang, {}).values(),
            key=lambda c: (group_rank.get(c.meta.group, len(group_rank)), c.meta.order, c.id),
        )

    def group_title(self, group_id: str, lang: str) -> str:
        for group in self.groups:
            if group.id == group_id:
                return group.title.get(lang) or group.title.get(self.default_language) or group_id
        return group_id


@dataclass
class LoadResult:
    manual: Manual
    diagnostics: list[Diagnostic]


_KNOWN_FIELDS = sorted(
    {name for cls in (model.ChapterMeta, model.DangerSign, model.Referral, model.Recommendation,
                      model.Treatment, model.Threshold, model.SignThreshold, model.Reference, model.Group,
                      Dose, WeightDose, AgeDose, Waiver, model.ActNow, model.ActNowStep)
     for name in cls.model_fields}
)


def load_manual(manual_dir: Path, *, languages: Iterable[str] = ("zh", "en"),
                root: Path | None = None, memo: Memo | None = None) -> LoadResult:
    """Load ``manual_dir`` (groups.yml, references/*.yml, chapters/*.md). With a ``memo`` (the preview), a
    chapter file whose bytes did not change since the last build is not parsed again."""
    root = root or manual_dir.parent
    languages = tuple(languages)
    diagnostics: list[Diagnostic] = []

    groups_file = manual_dir / "groups.yml"
    groups_doc = load_yaml_model(groups_file, model.Groups, root, diagnostics)
    groups = groups_doc[0].groups if groups_doc else []
    manual = Manual(languages, groups, {}, {lang: {} for lang in languages},
                    groups_path=display_path(groups_file, root),
                    group_positions=groups_doc[1] if groups_doc else yamlpos.Positions())

    for ref_file in sorted((manual_dir / "references").glob("*.yml")):
        loaded = load_yaml_model(ref_file, model.Bibliography, root, diagnostics)
        if not loaded:
            manual.unloaded_references.append(display_path(ref_file, root))
            continue
        bibliography, positions = loaded
        for index, reference in enumerate(bibliography.references):
            if reference.id in manual.references:
                line, col = positions.of(("references", index, "id"))
                diagnostics.append(error(
                    display_path(ref_file, root), line, col, f"references[{index}].id",
                    f"reference id {reference.id!r} is already used in another bibliography file",
                    "give each reference one id in one file"))
            manual.references[reference.id] = reference

    for path in sorted((manual_dir / "chapters").glob("*.md")):
        chapter = _load_chapter_remembered(path, languages, root, diagnostics, memo)
        if chapter is not None:
            manual.chapters[chapter.lang][chapter.id] = chapter
        elif name := CHAPTER_FILE.match(path.name):
            manual.unloaded.add((name["lang"], name["id"]))
    return LoadResult(manual, diagnostics)


def _load_chapter_remembered(path: Path, languages: tuple[str, ...], root: Path,
                             diagnostics: list[Diagnostic], memo: Memo | None) -> Chapter | None:
    if memo is None:
        return _load_chapter(path, languages, root, diagnostics)
    try:
        key = digest(path, path.read_bytes(), languages, root)
    except OSError:
        return _load_chapter(path, languages, root, diagnostics)

    def load() -> tuple[Chapter | None, list[Diagnostic]]:
        found: list[Diagnostic] = []
        return _load_chapter(path, languages, root, found), found
    chapter, found = memo.remember("chapter", key, load)
    diagnostics += found
    return chapter


def _load_chapter(path: Path, languages: tuple[str, ...], root: Path,
                  diagnostics: list[Diagnostic]) -> Chapter | None:
    shown = display_path(path, root)
    name = CHAPTER_FILE.match(path.name)
    if not name or name["lang"] not in languages:
        diagnostics.append(error(shown, 1, 1, "", "a chapter file is named ID.LANG.md",
                                 f"rename it, e.g. fever.{languages[0]}.md; languages: {', '.join(languages)}"))
        return None
    text = _read(path, shown, diagnostics)
    if text is None:
        return None
    parts = frontmatter.split(text)
    if parts.front_matter is None:
        diagnostics.append(error(shown, 1, 1, "", "the chapter has no YAML front matter",
                                 "start the file with a line `---`, the fields, then another `---`"))
        return None
    if not parts.closed:
        diagnostics.append(error(shown, 1, 1, "", "the front matter is not closed",
                                 "end the front matter with a line `---`"))
        return None
    loaded = _parse_yaml(parts.front_matter, shown, diagnostics, line_offset=parts.front_matter_line - 1)
    if loaded is None:
        return None
    data, positions = loaded
    if data is None:
        diagnostics.append(error(shown, parts.front_matter_line, 1, "", "the front matter is empty",
                                 "write the chapter's fields between the two `---` lines (see the editor's guide)"))
        return None
    if not isinstance(data, dict):
        diagnostics.append(error(shown, *positions.of(()), "", "the front matter must be a mapping of fields",
                                 "write `field: value` lines"))
        return None
    if _controls(parts.body, parts.body_line, shown, diagnostics):
        return None
    meta = _validate(model.ChapterMeta, data, positions, shown, diagnostics)
    if meta is None:
        return None
    if meta.id != name["id"]:
        diagnostics.append(error(shown, *positions.of(("id",)), "id",
                                 f"the id {meta.id!r} differs from the file name {name['id']!r}",
                                 f"rename the file to {meta.id}.{name['lang']}.md or change the id"))
    return Chapter(meta, name["lang"], parts.body, shown, positions, parts.body_line,
                   digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                   front_digest=hashlib.sha256(parts.front_matter.encode("utf-8")).hexdigest())


def _controls(body: str, body_line: int, shown: str, diagnostics: list[Diagnostic]) -> bool:
    """Report a control character (NUL …) in a Markdown body; True if there is one."""
    found = sourcetext.find_control(body)
    if found is not None:
        line, col, char = found
        diagnostics.append(error(shown, body_line + line - 1, col, "body",
                                 f"the text contains the control character {char}, which is not allowed",
                                 sourcetext.CONTROL_HINT))
    return found is not None


def _string_controls(data: object, positions: yamlpos.Positions, shown: str,
                     diagnostics: list[Diagnostic]) -> bool:
    """Report control characters written as escapes ("\\0") in string values; True if there are any."""
    found = False
    stack: list[tuple[yamlpos.FieldPath, object]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*path, str(key)), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
        elif isinstance(value, str) and (control := sourcetext.find_control(value)):
            found = True
            diagnostics.append(error(shown, *positions.of(path), yamlpos.format_path(path),
                                     f"the text contains the control character {control[2]}, which is not allowed",
                                     "remove the escape (\\0, \\x01 …) from the text"))
    return found


def _read(path: Path, shown: str, diagnostics: list[Diagnostic]) -> str | None:
    try:
        return sourcetext.read_source(path)
    except sourcetext.SourceTextError as exc:
        diagnostics.append(error(shown, exc.line, exc.col, "", exc.message, exc.hint))
    except OSError as exc:
        diagnostics.append(error(shown, 1, 1, "", f"cannot read the file: {exc.strerror}", ""))
    return None


def _parse_yaml(text: str, shown: str, diagnostics: list[Diagnostic], *,
                line_offset: int = 0) -> tuple[object, yamlpos.Positions] | None:
    try:
        loaded = yamlpos.load(text, line_offset=line_offset)
    except yaml.YAMLError as exc:
        line, col, message, hint = yamlpos.describe_error(exc, text, line_offset)
        diagnostics.append(error(shown, line, col, "", message, hint))
        return None
    if _string_controls(loaded.data, loaded.positions, shown, diagnostics):
        return None
    for duplicate in loaded.duplicates:
        diagnostics.append(error(shown, duplicate.line, duplicate.col, yamlpos.format_path(duplicate.path),
                                 "this field is given twice", "keep one of them"))
    return loaded.data, loaded.positions


def load_yaml_model(path: Path, cls: type[M], root: Path,
                     diagnostics: list[Diagnostic]) -> tuple[M, yamlpos.Positions] | None:
    shown = display_path(path, root)
    if not path.exists():
        diagnostics.append(error(shown, 1, 1, "", "the file is missing", "create it (see the editor's guide)"))
        return None
    text = _read(path, shown, diagnostics)
    if text is None:
        return None
    loaded = _parse_yaml(text, shown, diagnostics)
    if loaded is None:
        return None
    data, positions = loaded
    if data is None:
        diagnostics.append(error(shown, 1, 1, "", "the file is empty",
                                 "write its fields (see the editor's guide), or delete the file"))
        return None
    if not isinstance(data, dict):
        diagnostics.append(error(shown, *positions.of(()), "", "the file must be a mapping of fields",
                                 "write `field: value` lines (see the editor's guide)"))
        return None
    result = _validate(cls, data, positions, shown, diagnostics)
    return (result, positions) if result is not None else None


def _validate(cls: type[M], data: object, positions: yamlpos.Positions, shown: str,
              diagnostics: list[Diagnostic]) -> M | None:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        for item in exc.errors(include_url=False):
            diagnostics.append(_diagnostic_from_pydantic(item, positions, shown))
        return None


def _pattern_problem(value: object, pattern: str) -> tuple[str, str]:
    """What a value that does not match a field's pattern is not, and how to write it."""
    from ..editions.model import VERSION_PATTERN

    if pattern == model.ID_PATTERN:
        return (f"{value!r} is not a valid id",
                "ids use lowercase letters, digits and hyphens, e.g. fever-ds-young-infant")
    if pattern == VERSION_PATTERN:
        return (f"{value!r} is not a valid edition version",
                "the version names the edition's folder: letters, digits, dots, hyphens and underscores, "
                "starting with a letter or digit, e.g. 2026 or 2026.1")
    if pattern.startswith("^https?://"):
        return f"{value!r} is not a web address", "write the whole address, starting with https:// (or http://)"
    return f"{value!r} does not have the required form", f"it must match {pattern}"


def _diagnostic_from_pydantic(item: dict, positions: yamlpos.Positions, shown: str) -> Diagnostic:
    loc = tuple(part for part in item["loc"] if not (isinstance(part, str) and part[:1].isupper()))
    kind = item["type"]
    field_name = yamlpos.format_path(loc)
    value = item.get("input")
    hint = ""
    if kind == "missing":
        message = f"required field `{loc[-1]}` is missing"
        field_name = yamlpos.format_path(loc[:-1]) or "(top level)"
        hint = f"add `{loc[-1]}: …` (see the editor's guide)"
        line, col = positions.of(loc[:-1])
    elif kind == "extra_forbidden":
        message = f"unknown field `{loc[-1]}`"
        close = difflib.get_close_matches(str(loc[-1]), _KNOWN_FIELDS, n=1)
        hint = f"did you mean `{close[0]}`?" if close and close[0] != loc[-1] else \
            "remove it or check the editor's guide"
        line, col = positions.of(loc, key=True)
    elif kind == "literal_error":
        expected = item.get("ctx", {}).get("expected", "")
        message = f"{shown_value(value)} is not allowed here"
        hint = f"use one of {expected}"
        line, col = positions.of(loc)
        if loc and loc[-1] == "[key]":  # a mapping's key that is not one of the allowed ones
            field_name = yamlpos.format_path(loc[:-1])
            line, col = positions.of(loc[:-1], key=True)
    elif kind == "string_pattern_mismatch":
        message, hint = _pattern_problem(value, item.get("ctx", {}).get("pattern", ""))
        line, col = positions.of(loc)
    elif kind in ("too_short",):
        message = "must not be empty"
        hint = "add at least one entry"
        line, col = positions.of(loc)
    else:
        message = re.sub(r"^(Value error|Assertion failed), ", "", item["msg"])
        if kind.endswith("_type") or kind.endswith("_parsing"):
            message = f"{message} (got {shown_value(value)})"
        line, col = positions.of(loc)
    return error(shown, line, col, field_name, message, hint)
