"""Split a Markdown source into its YAML front matter and its body, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass

_FENCE = "---"
_END_FENCES = ("---", "...")


@dataclass(frozen=True)
class Split:
    front_matter: str | None
    body: str
    front_matter_line: int  # 1-based line of the first front-matter line
    body_line: int  # 1-based line of the first body line
    closed: bool = True


def split(text: str) -> Split:
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != _FENCE:
        return Split(None, text, 1, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _END_FENCES:
            return Split("".join(lines[1:index]), "".join(lines[index + 1 :]), 2, index + 2)
    return Split("".join(lines[1:]), "", 2, len(lines) + 1, closed=False)
