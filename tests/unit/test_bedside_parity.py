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
