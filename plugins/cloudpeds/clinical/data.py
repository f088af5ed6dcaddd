"""The manual's clinical data files, loaded together: vocabulary, formulary and case tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from .cases import LoadedCases, load_cases
from .findings import Vocabulary, load_vocabulary
from .medicines import Formulary, load_formulary

FINDINGS_FILE = "findings.yml"
MEDICINES_FILE = "medicines.yml"
CASES_DIR = "cases"


@dataclass
class ClinicalData:
    vocabulary: Vocabulary | None
    formulary: Formulary | None
    cases: list[LoadedCases] = field(default_factory=list)


def load_clinical(manual_dir: Path, root: Path, diagnostics: list[Diagnostic]) -> ClinicalData:
    """manual/findings.yml, manual/medicines.yml and manual/cases/*.yml (each optional)."""
    return ClinicalData(
        load_vocabulary(manual_dir / FINDINGS_FILE, root, diagnostics),
        load_formulary(manual_dir / MEDICINES_FILE, root, diagnostics),
        load_cases(manual_dir / CASES_DIR, root, diagnostics),
    )
