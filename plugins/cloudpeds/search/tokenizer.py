"""The search tokenizer. theme/assets/search-core.js implements the same definition;
tests/fixtures/tokenizer-vectors.json holds the cases both must agree on.

Definition:
1. Normalise with NFKC (full-width → half-width, ℃ → °C), then lowercase.
2. Scan left to right for, in this order of preference at each position:
   - a run of CJK ideographs → its overlapping character bigrams (a 1-character run: itself);
   - a number ``[0-9]+(\\.[0-9]+)?``;
   - a Latin word: a letter (a–z, à–ɏ) followed by letters and digits (``spo2``, ``ng143``);
   - a unit symbol ``°c``, ``°f`` or ``%``.
   Everything else separates tokens.
Stemming of Latin words happens afterwards, in lunr's pipeline (``cpStem``), never on CJK.
"""

from __future__ import annotations

import functools
import re
import unicodedata

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(rf"[{CJK}]+|[0-9]+(?:\.[0-9]+)?|[a-z\u00e0-\u024f][a-z0-9\u00e0-\u024f]*|°[cf]|%")
# The same alternatives with the CJK run as its own group, so the scan says which kind it found.
_SCAN = re.compile(rf"([{CJK}]+)|([0-9]+(?:\.[0-9]+)?|[a-z\u00e0-\u024f][a-z0-9\u00e0-\u024f]*|°[cf]|%)")
_CJK_RUN = re.compile(rf"^[{CJK}]+$")
LATIN_WORD = re.compile(r"^[a-z\u00e0-\u024f][a-z0-9\u00e0-\u024f]*$")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def is_cjk(token: str) -> bool:
    return bool(_CJK_RUN.match(token))


@functools.lru_cache(maxsize=65_536)
def tokenize(text: str) -> tuple[str, ...]:
    """The tokens of ``text`` (cached: the indexer asks for the same text more than once)."""
    tokens: list[str] = []
    for run, other in _SCAN.findall(normalise(text)):
        if other:
            tokens.append(other)
        elif len(run) == 1:
            tokens.append(run)
        else:
            tokens += [run[i:i + 2] for i in range(len(run) - 1)]
    return tuple(tokens)
