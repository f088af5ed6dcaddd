"""The twin's parity cases: the sample manual's clinical JSON (as the build exports it) and the generated
cases with the Python results (cloudpeds.clinical.parity), written into a folder; and the comparison."""

from __future__ import annotations

import json
from pathlib import Path

from cloudpeds.clinical import parity
from cloudpeds.clinical.export import export_files
from cloudpeds.manual.validate import check

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "theme" / "assets" / "bedside-core.js"


def write_parity_files(folder: Path) -> int:
    """clinical/<chapter>.json and cases.json in ``folder``; returns the number of cases."""
    manual, _ = check(ROOT / "manual", root=ROOT)
    for name, text in export_files(manual).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return parity.write(manual, folder / "cases.json")


def load_cases(folder: Path) -> list[dict]:
    return json.loads((folder / "cases.json").read_text(encoding="utf-8"))


def differences(expected: object, got: object, where: str = "") -> list[str]:
    """Where two JSON values differ (numbers compared as numbers: 9.0 == 9)."""
    if isinstance(expected, dict) and isinstance(got, dict):
        return [d for key in expected for d in differences(expected[key], got.get(key, "<missing>"), f"{where}.{key}")]
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return [f"{where}: {len(expected)} items expected, got {len(got)}: {got!r}"]
        pairs = enumerate(zip(expected, got, strict=True))
        return [d for i, (e, g) in pairs for d in differences(e, g, f"{where}[{i}]")]
    if isinstance(expected, bool) or isinstance(got, bool) or not isinstance(expected, (int, float)) \
            or not isinstance(got, (int, float)):
        return [] if expected == got else [f"{where}: expected {expected!r}, got {got!r}"]
    return [] if float(expected) == float(got) else [f"{where}: expected {expected!r}, got {got!r}"]


def mismatches(cases: list[dict], results: list[dict]) -> list[str]:
    wrong = []
    assert len(cases) == len(results)
    for case, got in zip(cases, results, strict=True):
        found = differences(case["expected"], got)
        if found:
            wrong.append(f"{case['chapter']} {json.dumps(case['child'])}: {found[:3]}")
    return wrong
