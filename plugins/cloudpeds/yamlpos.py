"""YAML loading that keeps where every value stands in the file.

PyYAML's composer already records a start mark for every node; we build the Python value and a
map from field path (``("danger_signs", 2, "triage")``) to (line, column), 1-based. The C
loader is used when present: a manual of 1,000 files must load in well under a second.

The composed document is bounded before anything is built from it: an alias repeats a whole subtree
without repeating its text, so ten lines of nested aliases ("billion laughs") stand for 10⁹ nodes, and
an alias inside its own anchor (``x: &a [*a]``) for an endless one. :func:`load` counts the nodes as
they would be with every alias followed (each shared node once, so the count itself is cheap) and
raises :class:`LimitError` at the node that passes a limit. The limits are far above any real file
(the largest sample chapter has fewer than 500 nodes) and listed in the editor's guide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

FieldPath = tuple[str | int, ...]

#: Nodes of one YAML document with every alias followed (keys, values and list items each count).
MAX_NODES = 100_000
#: Alias uses (``*name``) in one YAML document.
MAX_ALIASES = 1_000
#: Nesting depth of one YAML document with every alias followed.
MAX_DEPTH = 50


class YamlProblem(yaml.YAMLError):
    """A problem at a place in the document, said for an editor; ``line``/``col`` are 1-based."""

    def __init__(self, message: str, hint: str, line: int, col: int):
        self.message, self.hint, self.line, self.col = message, hint, line, col
        super().__init__(f"{line}:{col}: {message}")


class LimitError(YamlProblem):
    """The document passes one of the limits above, or contains itself."""


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
            if node is not None:  # already bounded by load()
                _walk(node, self._values, self._keys, line_offset)

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
        if not isinstance(node, yaml.MappingNode):  # e.g. `!!set [1]`: PyYAML's own marked error
            return super().construct_mapping(node, deep=deep)
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                self.cp_duplicates.append(key_node)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node, deep=False):
        """Values YAML recognises but Python cannot make (``2026-02-30``, month 13) are errors at their node."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, AttributeError, ArithmeticError, LookupError) as exc:
            line, col = node.start_mark.line + 1 + self.cp_line_offset, node.start_mark.column + 1
            value = node.value if isinstance(node, yaml.ScalarNode) else ""
            if node.tag == "tag:yaml.org,2002:timestamp":
                why = f" ({exc})" if isinstance(exc, ValueError) else ""
                raise YamlProblem(f"{value!r} is not a real date{why}",
                                  "write an existing date as YYYY-MM-DD, e.g. 2026-02-28", line, col) from None
            raise YamlProblem(f"{value!r} cannot be read as {node.tag.rsplit(':', 1)[-1]} ({exc})",
                              "write a plain value", line, col) from None


def load(text: str, *, line_offset: int = 0) -> LoadedYaml:
    """Parse one YAML document. Raises ``yaml.YAMLError`` (with marks) on malformed input."""
    loader = _DuplicateCheckingLoader(text)
    loader.cp_duplicates = []
    loader.cp_line_offset = line_offset
    try:
        node = loader.get_single_node()
        if node is not None:
            check_bounds(node, line_offset)
        try:
            data = loader.construct_document(node) if node is not None else None
        except (ValueError, TypeError, AttributeError, ArithmeticError, LookupError) as exc:
            raise YamlProblem(f"a value cannot be read ({type(exc).__name__}: {exc})",
                              "remove tags (!!…) and write plain values", *_mark(node, line_offset)) from None
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


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def check_bounds(root: yaml.Node, line_offset: int = 0) -> None:
    """Raise :class:`LimitError` if the document, aliases followed, passes a limit or contains itself.

    One depth-first pass in document order over the distinct nodes: a node reached again is an alias
    use (an anchor always comes before its aliases, so its size is known by then), and a node reached
    again while it is still open is an alias inside its own anchor."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    aliases = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            children = _children(node)
            size[key] = 1 + sum(size[id(child)] for child in children)
            depth[key] = 1 + max((depth[id(child)] for child in children), default=0)
            if size[key] > MAX_NODES:
                raise LimitError(
                    f"with its aliases followed this stands for {size[key]:,} values, more than the limit "
                    f"of {MAX_NODES:,} (MAX_NODES)",
                    "write the values out instead of repeating anchors (&name) with aliases (*name)",
                    *_mark(node, line_offset))
            if depth[key] > MAX_DEPTH:
                raise LimitError(f"the values are nested more than {MAX_DEPTH} levels deep (MAX_DEPTH)",
                                 "flatten the structure; no field of the manual nests that deep",
                                 *_mark(node, line_offset))
            continue
        if key in open_nodes:
            raise LimitError("an alias refers to the value that contains it (a recursive alias)",
                             "an alias (*name) may only repeat a value defined before it, not one it is part of",
                             *_mark(node, line_offset))
        if key in size:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise LimitError(f"more than {MAX_ALIASES:,} aliases (*name) in one file (MAX_ALIASES)",
                                 "write the values out instead of repeating them with aliases",
                                 *_mark(node, line_offset))
            continue
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)))


def _walk(root: yaml.Node, values: dict, keys: dict, line_offset: int) -> None:
    """Record the position of every field path; a shared (aliased) node is walked once, at its anchor."""
    walked: set[int] = set()
    stack: list[tuple[yaml.Node, FieldPath]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        values[path] = _mark(node, line_offset)
        if id(node) in walked:
            continue
        walked.add(id(node))
        if isinstance(node, yaml.MappingNode):
            pending = []
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
                child = (*path, key)
                keys[child] = _mark(key_node, line_offset)
                pending.append((value_node, child))
            stack.extend(reversed(pending))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(((item, (*path, index)) for index, item in reversed(list(enumerate(node.value)))))


def describe_error(exc: yaml.YAMLError, text: str, line_offset: int = 0) -> tuple[int, int, str, str]:
    """(line, col, message, hint) for any error :func:`load` raises on ``text``, in the file's coordinates."""
    if isinstance(exc, YamlProblem):
        return exc.line, exc.col, exc.message, exc.hint
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml (the C loader) counts UTF-8 bytes, PyYAML's own reader characters.
        before = text.encode("utf-8")[: exc.position].decode("utf-8", "replace") if _Loader is not yaml.SafeLoader \
            else text[: exc.position]
        line, col = before.count("\n") + 1 + line_offset, len(before) - (before.rfind("\n") + 1) + 1
        return (line, col, f"the text contains the control character U+{exc.character:04X}, which is not allowed",
                "remove it (it is invisible in most editors; retype the line)") if isinstance(exc.character, int) \
            else (line, col, f"malformed YAML: {exc.reason}", "save the file as UTF-8 text")
    if isinstance(exc, yaml.MarkedYAMLError):
        context, problem = exc.context or "", exc.problem or ""
        mark = exc.problem_mark or exc.context_mark
        hint = "check indentation, colons and quotes; quote text that contains ': ' or '#'"
        if context.startswith("while parsing a flow") and exc.context_mark is not None \
                and exc.problem_mark is not None and exc.problem_mark.line > exc.context_mark.line:
            bracket = "[" if "sequence" in context else "{"
            mark, context = exc.context_mark, ""
            problem = f"this {bracket} is not closed (YAML fails at line {exc.problem_mark.line + 1 + line_offset})"
            hint = f"close it with {']' if bracket == '[' else '}'} on the same line, e.g. [a, b]"
        elif "quoted scalar" in context and exc.context_mark is not None and "end of stream" in problem:
            mark, problem, context = exc.context_mark, "this quote is never closed", ""
            hint = "close the quote on the same line, or quote the whole text"
        elif "could not determine a constructor for the tag" in problem:
            tag = problem.rsplit(" ", 1)[-1].strip("'")
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            problem, hint = f"the tag {tag} is not allowed here", "remove the tag: sources hold plain text, " \
                "numbers, dates, lists and fields"
        line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
        col = (mark.column + 1) if mark else 1
        if mark is not None and (opened := _unclosed_quote(text, mark.line)) is not None:
            quote_line, quote_col = opened
            return (quote_line + 1 + line_offset, quote_col + 1,
                    f"malformed YAML: this quote is not closed on its line (YAML then fails at line {line})",
                    "close the quote on the same line")
        message = " ".join(filter(None, [context, problem])) or "malformed YAML"
        return line, col, f"malformed YAML: {message}", hint
    return 1 + line_offset, 1, f"malformed YAML: {exc}", ""


_OPENING_QUOTE = re.compile(r"""(?:^\s*-\s+|:\s+|^\s*-\s+[^:#]+:\s+)(["'])""")


def _unclosed_quote(text: str, error_line: int) -> tuple[int, int] | None:
    """(line, col), 0-based, of a value on one of the few lines before ``error_line`` that opens a quote
    and does not close it: the usual cause of a YAML error some lines further on."""
    lines = text.splitlines()
    for number in range(min(error_line, len(lines)) - 1, max(-1, error_line - 10), -1):
        match = _OPENING_QUOTE.search(lines[number])
        if match is None:
            continue
        quote, rest = match.group(1), lines[number][match.end():]
        closed = re.search(r'(?<!\\)"', rest) if quote == '"' else "'" in rest.replace("''", "")
        return None if closed else (number, match.start(1))
    return None


def format_path(path: FieldPath) -> str:
    """``("danger_signs", 2, "triage")`` → ``danger_signs[2].triage``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
