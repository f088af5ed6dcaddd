"""Reading an editor's text source (chapter, YAML file, caption, content page) with its limits.

A source is UTF-8 text below :data:`MAX_SOURCE_BYTES`, with no control characters but tab and line
ends. Every refusal says where and what to do: Chinese Windows editors save GBK/GB18030, which decodes
as nonsense rather than failing loudly later, so the hint names the conversion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: Bytes in one source file; the largest sample file (the editor's guide) is about 50 KB.
MAX_SOURCE_BYTES = 4 * 1024 * 1024

ICONV_HINT = "convert it to UTF-8, e.g. `iconv -f GB18030 -t UTF-8 {name} > {name}.utf8`, then replace the file"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class SourceTextError(Exception):
    """The file cannot be used as text; 1-based position, a message and a hint."""

    line: int
    col: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        return f"{self.line}:{self.col}: {self.message}"


def read_source(path: Path) -> str:
    """The file's text; raises :class:`SourceTextError` (too large, not UTF-8) or ``OSError``."""
    if path.is_dir():
        raise SourceTextError(1, 1, "this is a folder, not a file", "give the path of a file")
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise SourceTextError(1, 1, f"the file has {size:,} bytes, more than the limit of "
                              f"{MAX_SOURCE_BYTES:,} bytes for a source file (MAX_SOURCE_BYTES)",
                              "split it into several files; is it really a text source?")
    with open(path, "rb") as handle:
        data = handle.read(MAX_SOURCE_BYTES + 1)
    return decode(data, path.name)


def decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        binary = b"\x00" in data[:8192]
        what = "a binary file, not text" if binary else "not UTF-8 text (GBK/GB18030?)"
        if binary:
            line, col = 1, 1  # a position inside a binary file helps nobody
        raise SourceTextError(line, col, f"the file is {what}: byte 0x{data[exc.start]:02X} cannot be read as UTF-8",
                              "save it as UTF-8 text" if binary else ICONV_HINT.format(name=name)) from None


def find_control(text: str) -> tuple[int, int, str] | None:
    """(line, col, 'U+0000') of the first control character other than tab and line ends, or None."""
    match = _CONTROL.search(text)
    if match is None:
        return None
    before = text[: match.start()]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1, f"U+{ord(match.group()):04X}"


CONTROL_HINT = "remove it: it is invisible in most editors (retype the line, or search for \\x00)"
