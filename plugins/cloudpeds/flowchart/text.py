"""Estimated text widths and line wrapping for node labels, for Chinese and Latin text.

Estimates are deliberately generous (a CJK character is 1 em, Latin letters 0.6–0.72 em), so a
label measured here fits its box with any of the fonts in our system font stack.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_NARROW = set("iljtf.,:;|!'()[]` ")
# Chinese line-breaking rules: these never start a line (they hang at the end of the previous one).
_NO_LINE_START = set("，。、；：？！）》」』】〉…—,.;:?!)%°")
_TOKEN = re.compile(r"[A-Za-z0-9\u00C0-\u024F%°./+\-–≥≤<>=~]+|\s+|.", re.DOTALL)


@functools.lru_cache(maxsize=8192)
def char_em(char: str) -> float:
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char in _NARROW:
        return 0.34
    if char.isupper() or char.isdigit() or char in "%°mwMW@≥≤":
        return 0.72
    return 0.6


def width(text: str, font_size: float) -> float:
    return sum(map(char_em, text)) * font_size


def wrap(text: str, max_width: float, font_size: float) -> list[str]:
    """Greedy wrap: breaks anywhere in CJK text, between Latin words, inside over-long words."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for token in _TOKEN.findall(paragraph):
            candidate = current + token
            hangs = token in _NO_LINE_START and current.strip()
            if hangs or width(candidate.rstrip(), font_size) <= max_width:
                current = candidate
                continue
            if current.strip():
                lines.append(current.rstrip())
            current = token.lstrip()
            while width(current, font_size) > max_width:  # a single over-long word
                cut = len(current)
                while cut > 1 and width(current[:cut], font_size) > max_width:
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        if current.strip() or not lines:
            lines.append(current.strip())
    return lines
