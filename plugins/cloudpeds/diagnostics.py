"""Problems found in the sources, reported all at once as ``file:line:col: severity: field: message``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one source file."""

    path: str
    line: int
    col: int
    severity: Severity
    field: str
    message: str
    hint: str = ""
    #: A clinical safety rule's stable code (``CP101``), listed in the editor's guide; empty for other checks.
    #: Ranges: CP1xx urgency scale, CP2xx findings and thresholds, CP3xx doses, CP4xx flowchart logic,
    #: CP5xx case tests.
    code: str = ""

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        field = f"{self.field}: " if self.field else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        code = f"[{self.code}] " if self.code else ""
        return f"{where}: {self.severity.value}: {code}{field}{self.message}{hint}"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def error(path: str, line: int, col: int, field: str, message: str, hint: str = "", code: str = "") -> Diagnostic:
    return Diagnostic(path, line, col, Severity.ERROR, field, message, hint, code)


def warning(path: str, line: int, col: int, field: str, message: str, hint: str = "", code: str = "") -> Diagnostic:
    return Diagnostic(path, line, col, Severity.WARNING, field, message, hint, code)


def display_path(path: Path, root: Path) -> str:
    """The path as an editor would type it: relative to the project when it is inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def promote_warnings(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """``--strict``: every warning becomes an error."""
    return [
        Diagnostic(d.path, d.line, d.col, Severity.ERROR, d.field, d.message, d.hint, d.code)
        for d in diagnostics
    ]


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def format_report(diagnostics: list[Diagnostic]) -> str:
    lines = [d.format() for d in sorted(diagnostics)]
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def format_json(diagnostics: list[Diagnostic]) -> str:
    return json.dumps([d.as_dict() for d in sorted(diagnostics)], ensure_ascii=False, indent=2)


class SourceError(Exception):
    """Raised by a build when the sources have errors; carries every diagnostic."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__(format_report(diagnostics))

    def __reduce__(self):
        """Pickled with its diagnostics (a forked build process sends it to the parent, `cloudpeds.parallel`)."""
        return type(self), (self.diagnostics,)
