"""What the bedside page shows for one child, computed in Python: the reference the browser's twin
(``theme/assets/bedside-core.js``) must reproduce exactly.

The browser stores a child as ``{v: 1, ageDays, age: {value, unit}, gestationWeeks?, hoursOfAge?, weightKg?,
measures: {code: number}, findings: [codes], touched}`` (measures in the vocabulary's default units) and
evaluates it against ``clinical/<chapter>.json``. Here the same child goes through the Python evaluator
(``evaluate.evaluate``) and the dose code (``doses.dose_for``, ``doses.measurable``,
``dosetable.quantity_text``); ``parity.py`` generates the cases both sides are compared on.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import i18n
from .doses import Dose, dose_for, measurable
from .dosetable import formulations_for, number, quantity_text
from .evaluate import Child, evaluate
from .medicines import Formulary, Formulation

STORAGE_VERSION = 1
AGE_UNITS = ("d", "w", "mo", "y")

#: Why a dose has no amount for this child: the reason code for the words of ``dose_for``'s reasons.
REASON_CODES = (("under the minimum age", "min_age"), ("outside the ages", "ages"),
                ("under the minimum weight", "min_weight"), ("weight needed", "weight"),
                ("no age band", "no_band"), ("no weight band", "no_band"))
#: The words of a dose line, per language, from cloudpeds.i18n (bedside-core.js has the same table: the
#: parity test compares the lines).
WORDS = {lang: {"open": i18n.t("punct.open", lang), "close": i18n.t("punct.close", lang),
                **{key: i18n.t(f"child.dose.{key}", lang)
                   for key in ("capped", "list", "min_age", "ages", "min_weight", "weight", "no_band")}}
         for lang in ("zh", "en")}


def child_from_stored(data: Mapping) -> Child:
    """The evaluator's child from the browser's stored format."""
    measures = {str(code): float(value) for code, value in (data.get("measures") or {}).items()}
    if data.get("gestationWeeks") is not None:
        measures.setdefault("gestational_age", float(data["gestationWeeks"]))
    weight = data.get("weightKg")
    return Child(float(data["ageDays"]), None if weight is None else float(weight), measures,
                 frozenset(data.get("findings") or ()))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def reason_code(reason: str) -> str | None:
    if not reason:
        return None
    return next((code for start, code in REASON_CODES if reason.startswith(start)), "no_band")


def dose_card(dose: Dose, formulations: list[Formulation], drug_name: Mapping[str, str] | None,
              child: Child) -> dict:
    """One dose for this child: amount, whether capped at the maximum, the measurable amount of each
    formulation and a line of text per language."""
    result = dose_for(dose, age_days=child.age_days, weight_kg=child.weight_kg)
    amount = result.amount
    volumes = []
    for formulation in formulations:
        quantity = measurable(amount, dose.unit, formulation, dose.max_single) if amount is not None else None
        volumes.append({"formulation": formulation.id, "quantity": quantity,
                        "text": {lang: quantity_text(quantity, dose.unit, formulation, lang) for lang in WORDS}})
    reason = reason_code(result.reason)
    text = {}
    for lang, words in WORDS.items():
        drug = (drug_name or {}).get(lang) or dose.drug
        if amount is None:
            text[lang] = f"{drug}{words['open']}{words[reason]}{words['close']}"
            continue
        line = f"{drug} {number(amount)} {dose.unit}"
        if result.capped:
            line += f"{words['open']}{words['capped']} {number(dose.max_single)} {dose.unit}{words['close']}"
        measured = [f"{volume['text'][lang]} {formulation.label.get(lang)}"
                    for volume, formulation in zip(volumes, formulations, strict=True)
                    if volume["quantity"] is not None]
        if measured:
            line += " = " + words["list"].join(measured)
        text[lang] = line
    return {"id": dose.id, "drug": dose.drug, "amount": _round(amount), "unit": dose.unit,
            "capped": result.capped, "max": dose.max_single, "reason": reason, "volumes": volumes, "text": text}


def result(meta, graph, vocabulary, formulary: Formulary | None, child: Child,
           names: Mapping[str, Mapping[str, str]] | None = None) -> dict:
    """The bedside result for one child: the evaluator's answer, the referral's words and this child's doses
    (every dose the chapter has for this age and weight, and the referral's pre-transfer doses).
    ``names``: referral id → {"target": {lang: …}, "time_frame": {lang: …}} (the chapter's versions)."""
    evaluation = evaluate(meta, graph, vocabulary, child)
    doses = {dose.id: dose for dose in meta.doses}

    def card(dose: Dose) -> dict:
        medicine = formulary.medicines.get(dose.drug) if formulary else None
        return dose_card(dose, formulations_for(dose, medicine),
                         medicine.name.model_dump() if medicine else None, child)

    referral = next((r for r in meta.referrals if r.id == evaluation.referral), None)
    words = (names or {}).get(evaluation.referral or "", {})
    return {
        "signs": evaluation.signs, "unevaluated": evaluation.unevaluated, "triage": evaluation.triage,
        "urgency": evaluation.urgency, "referral": evaluation.referral, "path": evaluation.path,
        "referralUrgency": referral.urgency if referral else None,
        "target": dict(words.get("target", {})) or None, "timeFrame": dict(words.get("time_frame", {})) or None,
        "doses": [card(doses[d.id]) for d in evaluation.doses],
        "preTransfer": [card(doses[step.dose]) for step in (referral.pre_referral if referral else [])
                        if step.dose in doses],
    }
