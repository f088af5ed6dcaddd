"""The words of the referral handover note (转诊单) and of the act-now doses, one script per chapter.

``clinical/<chapter>.note.js`` is loaded on first use (the note's button, or a child set on a page with an act-now
block), as a script so that it also loads from ``file://``, beside the evaluator's data ``clinical/<chapter>.js``
(`export.script_text`, for ``CloudpedsBedside``). It carries, per language, the words the note writes: the chapter's
title, its signs, referrals (target, time frame), doses (drug, route), the urgency scale, the measures with the units
a doctor writes in that language, and the note's own strings.
Nothing of a patient is in it: the note is made on the phone and goes nowhere.
"""

from __future__ import annotations

import json

from .. import i18n
from .export import chapter_versions
from .medicines import ROUTE_WORDS
from .urgency import LEVELS

#: Measures in the order the note lists them.
NOTE_MEASURES = ("temperature", "respiratory_rate", "heart_rate", "spo2", "capillary_refill", "glucose",
                 "bilirubin", "weight_loss", "duration")
#: Units as written in each language (a Chinese note: 38.2 ℃, 52 次/分).
UNIT_WORDS: dict[str, dict[str, str]] = {
    "zh": {"°C": "℃", "/min": "次/分", "s": "秒", "%": "%", "h": "小时", "min": "分钟", "d": "天", "kg": "kg",
           "mmol/L": "mmol/L", "μmol/L": "μmol/L", "mg/dL": "mg/dL"},
    "en": {"°C": "°C", "/min": "/min", "s": "s", "%": "%", "h": "h", "min": "min", "d": "d", "kg": "kg",
           "mmol/L": "mmol/L", "μmol/L": "μmol/L", "mg/dL": "mg/dL"},
}
DATA_GLOBAL = "cpNoteData"
#: The QR encoder (npm qrcode-generator, MIT) under node_modules, copied into the site as assets/vendor/qrcode.js.
QR_ENCODER = "qrcode-generator/dist/qrcode.js"


def note_path(chapter_id: str) -> str:
    return f"clinical/{chapter_id}.note.js"


def language_words(chapter, formulary, lang: str) -> dict:
    meta = chapter.meta
    doses = {}
    for dose in meta.doses:
        medicine = formulary.medicines.get(dose.drug) if formulary else None
        doses[dose.id] = {
            "drug": medicine.name.get(lang) if medicine else dose.drug,
            "indication": dose.indication,
            "route": ROUTE_WORDS[dose.route][lang] if dose.route else "",
        }
    return {
        "title": meta.title,
        "signs": [{"id": s.id, "text": s.text, "triage": s.triage} for s in meta.danger_signs],
        "referrals": [{"id": r.id, "urgency": r.urgency, "target": r.target, "time_frame": r.time_frame,
                       "signs": list(r.signs)} for r in meta.referrals],
        "doses": doses,
        "levels": {lv.id: {"shape": lv.shape, "word": lv.word[lang], "rank": lv.rank} for lv in LEVELS},
        "units": UNIT_WORDS[lang],
        "words": {key.removeprefix("note."): i18n.t(key, lang) for key in i18n.STRINGS
                  if key.startswith(("note.", "punct.", "act_now"))},
    }


def note_data(versions: dict, vocabulary, formulary) -> dict:
    """``versions``: language → the chapter's versions (the same structure, words per language)."""
    first = next(iter(versions.values()))
    act_now = first.meta.act_now
    return {
        "chapter": first.meta.id,
        "measures": [m for m in NOTE_MEASURES if m in vocabulary.measures],
        "act_now": [{"id": step.id, "doses": list(step.doses)} for step in act_now.steps] if act_now else [],
        "lang": {lang: language_words(chapter, formulary, lang) for lang, chapter in versions.items()},
    }


def note_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("\u2028", "\\u2028").replace(
        "\u2029", "\\u2029")  # JSON allows them raw; older script engines end a line there
    return f"(self.{DATA_GLOBAL}=self.{DATA_GLOBAL}||{{}})[{json.dumps(data['chapter'])}]={text};\n"


def note_files(manual) -> dict[str, str]:
    """Site path → script text, one per chapter (empty when the manual has no clinical vocabulary)."""
    clinical = getattr(manual, "clinical", None)
    vocabulary = getattr(clinical, "vocabulary", None)
    if vocabulary is None:
        return {}
    files = {}
    for chapter_id, versions in chapter_versions(manual):
        files[note_path(chapter_id)] = note_script(note_data(versions, vocabulary, clinical.formulary))
    return files
