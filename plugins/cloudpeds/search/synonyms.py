"""Synonym groups (manual/synonyms.yml): colloquial ↔ clinical ↔ English terms, applied at index time."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from .. import sourcetext, yamlpos
from ..diagnostics import Diagnostic, display_path, error, warning
from .tokenizer import normalise, tokenize


@dataclass
class Synonyms:
    groups: list[list[str]] = field(default_factory=list)
    _by_term: dict[str, int] = field(default_factory=dict)
    #: Which terms :meth:`expand` adds (all when None); every term still counts as found in a text.
    adds: Callable[[str], bool] | None = None

    def add_group(self, terms: list[str]) -> None:
        self.__dict__.pop("_lookup", None)
        cleaned = [normalise(term).strip() for term in terms if str(term).strip()]
        known = [self._by_term[t] for t in cleaned if t in self._by_term]
        if known:  # chapter synonyms join the group their title or a synonym already belongs to
            index = known[0]
            for term in cleaned:
                if term not in self._by_term:
                    self.groups[index].append(term)
                    self._by_term[term] = index
            return
        self.groups.append(cleaned)
        for term in cleaned:
            self._by_term[term] = len(self.groups) - 1

    @cached_property
    def _lookup(self) -> dict[str, list[tuple[str, frozenset[str], re.Pattern[str] | None]]]:
        """Terms keyed by their first search token. A term can only occur in a text whose tokens
        include all of the term's tokens, so each text checks only a few candidates."""
        table: dict[str, list[tuple[str, frozenset[str], re.Pattern[str] | None]]] = {}
        for term in self._by_term:
            tokens = tokenize(term)
            if not tokens:
                continue
            # Latin terms match whole words only ("fit" is not in "benefit").
            pattern = re.compile(rf"\b{re.escape(term)}\b") if term.isascii() else None
            table.setdefault(tokens[0], []).append((term, frozenset(tokens), pattern))
        return table

    def present(self, text: str) -> set[str]:
        """The terms of any group that occur in ``text``."""
        haystack = normalise(text)
        tokens = set(tokenize(text))
        found: set[str] = set()
        for token in tokens:
            for term, needed, pattern in self._lookup.get(token, ()):
                if needed <= tokens and (pattern.search(haystack) if pattern else term in haystack):
                    found.add(term)
        return found

    def group_of(self, term: str) -> list[str]:
        index = self._by_term.get(normalise(term).strip())
        return list(self.groups[index]) if index is not None else []

    def expand(self, text: str) -> list[str]:
        """Terms of every group that has a member in ``text`` (the members present excluded)."""
        present = self.present(text)
        groups = sorted({self._by_term[term] for term in present})
        return [term for index in groups for term in self.groups[index]
                if term not in present and (self.adds is None or self.adds(term))]


def load_synonyms(path: Path, root: Path) -> tuple[Synonyms, list[Diagnostic]]:
    shown = display_path(path, root)
    synonyms, problems = Synonyms(), []
    if not path.exists():
        return synonyms, [warning(shown, 1, 1, "", "no synonyms file; search will not know 发烧 = 发热",
                                  "create manual/synonyms.yml (see the editor's guide)")]
    try:
        text = sourcetext.read_source(path)
    except sourcetext.SourceTextError as exc:
        return synonyms, [error(shown, exc.line, exc.col, "", exc.message, exc.hint)]
    except OSError as exc:
        return synonyms, [error(shown, 1, 1, "", f"cannot read the file: {exc.strerror}", "")]
    try:
        loaded = yamlpos.load(text)
    except yaml.YAMLError as exc:
        line, col, message, hint = yamlpos.describe_error(exc, text)
        return synonyms, [error(shown, line, col, "", message,
                                hint if isinstance(exc, yamlpos.YamlProblem) else
                                f"{hint}; each group is a list: - [发热, 发烧, fever]")]
    if loaded.data is None:
        return synonyms, [error(shown, 1, 1, "", "the file is empty",
                                "write groups: followed by one list of terms per line, e.g. - [发热, 发烧, fever]")]
    groups = loaded.data.get("groups") if isinstance(loaded.data, dict) else None
    if not isinstance(groups, list):
        return synonyms, [error(shown, 1, 1, "groups", "expected a list `groups:`",
                                "write groups: followed by one list of terms per line")]
    seen: dict[str, tuple[int, int]] = {}
    for index, group in enumerate(groups):
        line, col = loaded.positions.of(("groups", index))
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(t, (str, int)) for t in group):
            problems.append(error(shown, line, col, f"groups[{index}]", "a group is a list of at least two terms",
                                  "write - [发热, 发烧, fever]"))
            continue
        for term in group:
            key = normalise(str(term)).strip()
            if key in seen:
                problems.append(warning(shown, line, col, f"groups[{index}]",
                                        f"{term!r} is already in the group on line {seen[key][0]}",
                                        "a term belongs to one group; merge the groups"))
            seen[key] = (line, col)
        synonyms.add_group([str(term) for term in group])
    return synonyms, problems
