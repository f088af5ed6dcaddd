"""Medicines and their formulations (manual/medicines.yml): what strength a product has, what can be measured."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from ..diagnostics import Diagnostic
from .types import Id, Strict, Words

Route = Literal["oral", "rectal", "buccal", "intranasal", "im", "iv", "io", "sc", "inhaled", "nebulised", "ng"]
ROUTE_WORDS: dict[str, dict[str, str]] = {
    "oral": {"zh": "口服", "en": "by mouth"},
    "rectal": {"zh": "直肠给药", "en": "rectal"},
    "buccal": {"zh": "颊黏膜给药", "en": "buccal"},
    "intranasal": {"zh": "鼻内给药", "en": "intranasal"},
    "im": {"zh": "肌内注射", "en": "IM"},
    "iv": {"zh": "静脉注射", "en": "IV"},
    "io": {"zh": "骨髓腔内", "en": "IO"},
    "sc": {"zh": "皮下注射", "en": "SC"},
    "inhaled": {"zh": "吸入", "en": "inhaled"},
    "nebulised": {"zh": "雾化吸入", "en": "nebulised"},
    "ng": {"zh": "鼻胃管", "en": "by nasogastric tube"},
}
Form = Literal["suspension", "syrup", "drops", "solution", "tablet", "dispersible-tablet", "suppository",
               "injection", "inhaler", "nebuliser-solution", "sachet", "gel"]


class Strength(Strict):
    """``{mg: 120, ml: 5}`` for a liquid (120 mg in 5 mL); ``{mg: 500}`` per tablet, puff or suppository."""

    mg: float = Field(gt=0)
    ml: float | None = Field(default=None, gt=0)

    @property
    def mg_per_ml(self) -> float | None:
        return self.mg / self.ml if self.ml else None


class Formulation(Strict):
    """One product form: its strength and the smallest amount that can be measured."""

    id: Id
    form: Form
    label: Words
    routes: list[Route] = Field(min_length=1)
    #: Absent for a product dosed by volume itself (ORS, 10 % glucose given as mL/kg).
    strength: Strength | None = None
    #: Liquids: the smallest volume step that can be measured with the syringe used (mL).
    step_ml: float | None = Field(default=None, gt=0)
    #: Solid units: the smallest fraction that can be given (0.5 = half a tablet; 1 = whole units only).
    split: float | None = Field(default=None, gt=0, le=1)

    @model_validator(mode="after")
    def _measurable(self) -> Formulation:
        liquid = self.strength is None or self.strength.ml is not None
        if liquid and self.step_ml is None:
            raise ValueError("a liquid needs `step_ml` (the smallest volume that can be measured)")
        if not liquid and self.split is None:
            raise ValueError("a tablet, suppository or puff needs `split` (1 = whole units, 0.5 = halves)")
        return self


class Medicine(Strict):
    id: Id
    name: Words
    formulations: list[Formulation] = Field(min_length=1)
    sources: list[Id] = Field(min_length=1)
    #: Free note shown under the dose tables (e.g. "elemental zinc").
    note: Words | None = None


class MedicinesFile(Strict):
    medicines: list[Medicine] = Field(min_length=1)


@dataclass
class Formulary:
    medicines: dict[str, Medicine]
    path: str = "manual/medicines.yml"
    positions: object = None

    def formulation(self, formulation_id: str) -> tuple[Medicine, Formulation] | None:
        for medicine in self.medicines.values():
            for formulation in medicine.formulations:
                if formulation.id == formulation_id:
                    return medicine, formulation
        return None


def load_formulary(path: Path, root: Path, diagnostics: list[Diagnostic]) -> Formulary | None:
    from ..diagnostics import display_path, error
    from ..manual.loader import load_yaml_model

    if not path.exists():
        return None
    loaded = load_yaml_model(path, MedicinesFile, root, diagnostics)
    if loaded is None:
        return None
    data, positions = loaded
    shown = display_path(path, root)
    formulary = Formulary({}, shown, positions)
    seen: set[str] = set()
    for index, medicine in enumerate(data.medicines):
        if medicine.id in formulary.medicines:
            line, col = positions.of(("medicines", index, "id"))
            diagnostics.append(error(shown, line, col, f"medicines[{index}].id", f"{medicine.id!r} is given twice",
                                     "give each medicine one entry", code="CP301"))
        formulary.medicines[medicine.id] = medicine
        for f_index, formulation in enumerate(medicine.formulations):
            if formulation.id in seen:
                line, col = positions.of(("medicines", index, "formulations", f_index, "id"))
                diagnostics.append(error(shown, line, col, f"medicines[{index}].formulations[{f_index}].id",
                                         f"formulation {formulation.id!r} is given twice",
                                         "formulation ids are unique in the file", code="CP301"))
            seen.add(formulation.id)
    return formulary
