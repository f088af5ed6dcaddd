"""What a translation in progress leaves in a chapter file, and how to read it back: the ``[to translate]``
mark and the ``# zh:<fingerprint>`` comment beside each translated text. A leaf module (stdlib and PyYAML),
so that the manual's checks and pages can read what ``cloudpeds translate`` writes without importing it.
"""

from __future__ import annotations

import hashlib
import re

import yaml

#: Put in front of a text that still needs translating; the check and the page look for it.
MARKER = "[to translate]"
#: Top-level lists of free words (their items need not match the source's one for one).
FREE_LISTS = ("synonyms", "authors", "reviewers")


def fingerprint(words: object) -> str:
    """A short hash of a source text (or list of words), written beside its translation as ``# zh:1a2b3c4d``."""
    text = "\n".join(str(w) for w in words) if isinstance(words, list) else str(words)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def source_marks(front_matter: str, source: str) -> dict[tuple, str]:
    """Field path → the fingerprint written on its line (``# zh:1a2b3c4d``): what each text was translated from."""
    if f"{source}:" not in front_matter:
        return {}  # never written by translate: nothing to compose
    try:
        root = yaml.compose(front_matter, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines = front_matter.splitlines()
    pattern = re.compile(rf"#\s*{re.escape(source)}:([0-9a-f]{{8}})\b")
    marks: dict[tuple, str] = {}

    def walk(node: yaml.Node, path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                walk(value_node, (*path, key_node.value))
        elif isinstance(node, yaml.SequenceNode) and not (len(path) == 1 and path[0] in FREE_LISTS):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))
        else:
            line = lines[node.end_mark.line] if node.end_mark.line < len(lines) else ""
            found = pattern.search(line[node.end_mark.column:])
            if found:
                marks[path] = found.group(1)

    if root is not None:
        walk(root, ())
    return marks


def pending_texts(meta: object) -> list[str]:
    """Dotted paths of the texts of a loaded chapter model that are still marked [to translate]."""
    found: list[str] = []
    _collect(getattr(meta, "model_dump", lambda: meta)(), "", found)
    return found


def _collect(value: object, path: str, found: list[str]) -> None:
    if isinstance(value, str) and value.startswith(MARKER):
        found.append(path)
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(item, f"{path}.{key}" if path else str(key), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect(item, f"{path}[{index}]", found)
