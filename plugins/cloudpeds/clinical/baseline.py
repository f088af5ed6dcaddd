"""Known clinical findings accepted for now (manual/clinical-baseline.yml).

When a new rule finds faults in content written before it, the faults are listed here (with the review
item that describes them) so that the build keeps working while the content is corrected; every entry is a
promise to fix, not a waiver: waivers with a reason live on the item itself. A finding matches an entry when
its rule code and file are the entry's and its message names the entry's item id. Entries that no longer
match anything are ignored; delete them when the content is fixed.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from ..diagnostics import Diagnostic
from .types import PlainText, Strict

BASELINE_FILE = "clinical-baseline.yml"


class Known(Strict):
    rule: str = Field(pattern=r"^CP[2-5][0-9][0-9]$")
    file: str
    item: str
    #: The clinical review's item (e.g. F3, C1) or a short note.
    review: PlainText | None = None


class BaselineFile(Strict):
    known: list[Known] = Field(default_factory=list)


def load_baseline(manual_dir: Path, root: Path, diagnostics: list[Diagnostic]) -> list[Known]:
    from ..manual.loader import load_yaml_model

    path = manual_dir / BASELINE_FILE
    if not path.exists():
        return []
    loaded = load_yaml_model(path, BaselineFile, root, diagnostics)
    return loaded[0].known if loaded else []


def accepted(diagnostic: Diagnostic, known: list[Known]) -> bool:
    return any(diagnostic.code == entry.rule and diagnostic.path == entry.file and entry.item in diagnostic.message
               for entry in known)


def split(diagnostics: list[Diagnostic], known: list[Known]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(diagnostics to report, diagnostics accepted by the baseline)."""
    report, held = [], []
    for diagnostic in diagnostics:
        (held if diagnostic.code and accepted(diagnostic, known) else report).append(diagnostic)
    return report, held
