"""YAML loading that keeps where every value stands in the file.

PyYAML's composer already records a start mark for every node; we build the Python value and a
map from field path (``("danger_signs", 2, "triage")``) to (line, column), 1-based. The C
loader is used when present: a manual of 1,000 files must load in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

FieldPath = tuple[str | int, ...]


@dataclass
class Positions:
    """Field path → (line, col), both 1-based, already shifted to the file's coordinates.

    Computed on first use: most files have no problem to report, and walking the node tree of
    a thousand files costs more than loading them."""

    _values: dict[FieldPath, tuple[int, int]] | None = None
    _keys: dict[FieldPath, tuple[int, int]] | None = None
    default: tuple[int, int] = (1, 1)
    source: tuple[str, int] | None = None  # (text, line offset) to compute the positions from

    @property
    def values(self) -> dict[FieldPath, tuple[int, int]]:
        self._compute()
        return self._values  # type: ignore[return-value]

    @property
    def keys(self) -> dict[FieldPath, tuple[int, int]]:
        self._compute()
        return self._keys  # type: ignore[return-value]

    def _compute(self) -> None:
        if self._values is not None:
            return
        self._values, self._keys = {}, {}
        if self.source is not None:
            text, line_offset = self.source
            node = yaml.compose(text, Loader=_Loader)
            if node is not None:
                _walk(node, (), self._values, self._keys, line_offset)

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


class _DuplicateCheckingLoader(_Loader):  # type: ignore[misc, valid-type]
    """The fast loader, noting keys given twice in a mapping (YAML keeps the last silently)."""

    def construct_mapping(self, node, deep=False):
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                self.cp_duplicates.append(key_node)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load(text: str, *, line_offset: int = 0) -> LoadedYaml:
    """Parse one YAML document. Raises ``yaml.YAMLError`` (with marks) on malformed input."""
    loader = _DuplicateCheckingLoader(text)
    loader.cp_duplicates = []
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    positions = Positions(default=(1 + line_offset, 1), source=(text, line_offset))
    duplicates = [DuplicateKey(_key_path(positions, node, line_offset), *_mark(node, line_offset))
                  for node in loader.cp_duplicates]
    return LoadedYaml(data, positions, duplicates)


def _key_path(positions: Positions, key_node: yaml.Node, line_offset: int) -> FieldPath:
    line_col = _mark(key_node, line_offset)
    for path, where in positions.keys.items():
        if where == line_col:
            return path
    return (key_node.value,)


def _mark(node: yaml.Node, line_offset: int) -> tuple[int, int]:
    return node.start_mark.line + 1 + line_offset, node.start_mark.column + 1


def _walk(node: yaml.Node, path: FieldPath, values: dict, keys: dict, line_offset: int) -> None:
    values[path] = _mark(node, line_offset)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            child = (*path, key)
            keys[child] = _mark(key_node, line_offset)
            _walk(value_node, child, values, keys, line_offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), values, keys, line_offset)


def format_path(path: FieldPath) -> str:
    """``("danger_signs", 2, "triage")`` → ``danger_signs[2].triage``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
