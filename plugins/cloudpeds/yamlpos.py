"""YAML loading that keeps where every value stands in the file.

PyYAML's composer already records a start mark for every node; we build the Python value and a
map from field path (``("danger_signs", 2, "triage")``) to (line, column), 1-based. The C
loader is used when present: a manual of 1,000 files must load in well under a second.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

FieldPath = tuple[str | int, ...]


@dataclass
class Positions:
    """Field path → (line, col), both 1-based, already shifted to the file's coordinates."""

    values: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    default: tuple[int, int] = (1, 1)

    def of(self, path: FieldPath, *, key: bool = False) -> tuple[int, int]:
        """Where ``path`` is, or its nearest ancestor that exists (e.g. for a missing field)."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), self.default)


class DuplicateKey(Exception):
    def __init__(self, path: FieldPath, line: int, col: int):
        self.path, self.line, self.col = path, line, col
        super().__init__(f"duplicate key {path[-1]!r}")


@dataclass
class LoadedYaml:
    data: object
    positions: Positions
    duplicates: list[DuplicateKey]


_constructor = yaml.constructor.SafeConstructor()


def load(text: str, *, line_offset: int = 0) -> LoadedYaml:
    """Parse one YAML document. Raises ``yaml.YAMLError`` (with marks) on malformed input."""
    node = yaml.compose(text, Loader=_Loader)
    positions = Positions(default=(1 + line_offset, 1))
    duplicates: list[DuplicateKey] = []
    if node is None:
        return LoadedYaml(None, positions, duplicates)
    data = _build(node, (), positions, duplicates, line_offset)
    return LoadedYaml(data, positions, duplicates)


def _mark(node: yaml.Node, line_offset: int) -> tuple[int, int]:
    return node.start_mark.line + 1 + line_offset, node.start_mark.column + 1


def _build(
    node: yaml.Node,
    path: FieldPath,
    positions: Positions,
    duplicates: list[DuplicateKey],
    line_offset: int,
) -> object:
    positions.values[path] = _mark(node, line_offset)
    if isinstance(node, yaml.MappingNode):
        result: dict[object, object] = {}
        for key_node, value_node in _pairs(node):
            key = _constructor.construct_object(key_node, deep=True)
            key = key if isinstance(key, (str, int)) else str(key)
            child = (*path, key)
            if key in result:
                duplicates.append(DuplicateKey(child, *_mark(key_node, line_offset)))
            positions.keys[child] = _mark(key_node, line_offset)
            result[key] = _build(value_node, child, positions, duplicates, line_offset)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*path, index), positions, duplicates, line_offset)
            for index, item in enumerate(node.value)
        ]
    return _constructor.construct_object(node, deep=True)


def _pairs(node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    # Merge keys (<<) are rare in front matter; flatten them like PyYAML does.
    _constructor.flatten_mapping(node)
    yield from node.value


def format_path(path: FieldPath) -> str:
    """``("danger_signs", 2, "triage")`` → ``danger_signs[2].triage``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
