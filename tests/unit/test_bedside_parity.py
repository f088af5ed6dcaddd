"""The browser's evaluator (theme/assets/bedside-core.js, run by Node) gives the Python evaluator's results on
the generated cases of cloudpeds.clinical.parity: every chapter, ages at every band edge, weights at dose
edges and caps, measures at the cut-offs, findings. (tests/browser/test_bedside_parity.py: the same in
Chromium.)"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from ..bedside_support import ROOT, load_cases, mismatches, write_parity_files

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


@pytest.fixture(scope="module")
def parity_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bedside")
    write_parity_files(folder)
    return folder


def test_node_gives_the_python_results(parity_folder):
    cases = load_cases(parity_folder)
    assert len(cases) >= 500
    assert len({case["chapter"] for case in cases}) == len(list((parity_folder / "clinical").glob("*.json")))
    run = subprocess.run(["node", str(ROOT / "tests" / "node" / "bedside_parity.js"),
                          str(parity_folder / "clinical"), str(parity_folder / "cases.json")],
                         capture_output=True, text=True, check=True)
    wrong = mismatches(cases, json.loads(run.stdout))
    assert not wrong, f"{len(wrong)} of {len(cases)} cases differ:\n" + "\n".join(wrong[:10])


def test_cases_cover_every_level_and_capped_doses(parity_folder):
    cases = load_cases(parity_folder)
    urgencies = {case["expected"]["urgency"] for case in cases}
    assert {"emergency", "urgent", "routine", "observe", "home"} <= urgencies
    doses = [dose for case in cases for dose in case["expected"]["doses"]]
    assert any(dose["capped"] for dose in doses) and any(not dose["capped"] for dose in doses)
    assert any(dose["reason"] for case in cases for dose in case["expected"]["preTransfer"])
    assert any(volume["quantity"] for dose in doses for volume in dose["volumes"])


def test_diazepam_for_18_and_25_kg_in_python_and_node(parity_folder):
    """The sample's rectal diazepam is 0.5 mg/kg, max 10 mg: 18 kg is 9 mg (1.8 mL of 10 mg/2 mL), not capped;
    25 kg is capped at 10 mg (2 mL)."""
    from cloudpeds.clinical.bedside import child_from_stored, dose_card
    from cloudpeds.clinical.dosetable import formulations_for
    from cloudpeds.manual.validate import check

    manual, _ = check(ROOT / "manual", root=ROOT)
    chapter = manual.chapters["zh"]["convulsions"]
    dose = next(d for d in chapter.meta.doses if d.id == "convulsions-dose-diazepam-rectal")
    medicine = manual.clinical.formulary.medicines["diazepam"]
    cards = {}
    for weight in (18, 25):
        child = {"v": 1, "ageDays": 4 * 365.25, "age": {"value": 4, "unit": "y"}, "weightKg": weight,
                 "measures": {}, "findings": [], "touched": 0}
        cards[weight] = dose_card(dose, formulations_for(dose, medicine), medicine.name.model_dump(),
                                  child_from_stored(child))
        script = ("const core = require(process.argv[1]); const data = require(process.argv[2]);"
                  "const dose = data.doses.find((d) => d.id === 'convulsions-dose-diazepam-rectal');"
                  "process.stdout.write(JSON.stringify(core.doseFor(dose, JSON.parse(process.argv[3]))));")
        run = subprocess.run(["node", "-e", script, str(ROOT / "theme" / "assets" / "bedside-core.js"),
                              str(parity_folder / "clinical" / "convulsions.json"), json.dumps(child)],
                             capture_output=True, text=True, check=True)
        assert json.loads(run.stdout) == json.loads(json.dumps(cards[weight]))
    assert (cards[18]["amount"], cards[18]["capped"], cards[18]["volumes"][0]["quantity"]) == (9, False, 1.8)
    assert (cards[25]["amount"], cards[25]["capped"], cards[25]["volumes"][0]["quantity"]) == (10, True, 2)
    assert cards[25]["text"]["zh"].startswith("地西泮 10 mg（已达最大剂量 10 mg） = 2 mL")
    assert cards[25]["text"]["en"].startswith("Diazepam 10 mg (capped at 10 mg) = 2 mL")


def test_the_dose_words_are_the_i18n_words():
    from cloudpeds.clinical.bedside import WORDS

    run = subprocess.run(["node", "-e", "process.stdout.write(JSON.stringify(require(process.argv[1]).WORDS))",
                          str(ROOT / "theme" / "assets" / "bedside-core.js")], capture_output=True, text=True,
                         check=True)
    words = json.loads(run.stdout)
    assert {lang: {key: words[lang][key] for key in WORDS[lang]} for lang in WORDS} == WORDS
