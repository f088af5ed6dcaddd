"""Find ```flowchart fences in a Markdown body, with the line each starts on."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*flowchart\b.*$")


@dataclass(frozen=True)
class Fence:
    source: str
    first_line: int  # 0-based index, within the body, of the first source line (after the opening fence)
    indent: int


def find_fences(body: str) -> list[Fence]:
    lines = body.splitlines()
    found, index = [], 0
    while index < len(lines):
        match = _OPEN.match(lines[index])
        if not match:
            index += 1
            continue
        fence, indent = match["fence"], len(match["indent"])
        end = index + 1
        while end < len(lines) and not lines[end].strip().startswith(fence):
            end += 1
        found.append(Fence("\n".join(line[indent:] for line in lines[index + 1:end]), index + 1, indent))
        index = end + 1
    return found


def replace_fences(body: str, render: Callable[[Fence], str | None]) -> str:
    """The body with each unindented ```flowchart fence replaced by ``render(fence)`` as a block of its own
    (blank lines around it); a fence for which ``render`` returns None stays as it is."""
    lines = body.splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        match = _OPEN.match(lines[index])
        if not match:
            out.append(lines[index])
            index += 1
            continue
        fence = match["fence"]
        end = index + 1
        while end < len(lines) and not lines[end].strip().startswith(fence):
            end += 1
        found = Fence("\n".join(lines[index + 1:end]), index + 1, len(match["indent"]))
        rendered = render(found) if not found.indent else None
        out += ["", rendered, ""] if rendered is not None else lines[index:end + 1]
        index = end + 1
    return "\n".join(out) + ("\n" if body.endswith("\n") else "")


def fenced_ranges(body: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of every fenced code block, of any language."""
    ranges, opener, start, offset = [], None, 0, 0
    for line in body.splitlines(keepends=True):
        stripped = line.strip()
        marker = re.match(r"(`{3,}|~{3,})", stripped)
        if opener is None and marker:
            opener, start = marker.group(1), offset
        elif opener is not None and stripped.startswith(opener):
            ranges.append((start, offset + len(line)))
            opener = None
        offset += len(line)
    if opener is not None:
        ranges.append((start, offset))
    return ranges
