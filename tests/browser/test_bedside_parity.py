"""The browser's evaluator in a Chromium page gives the Python evaluator's results on the generated parity
cases (the Node run: tests/unit/test_bedside_parity.py)."""

from __future__ import annotations

import json

from ..bedside_support import CORE, load_cases, mismatches, write_parity_files


def test_chromium_gives_the_python_results(browser_context, tmp_path):
    count = write_parity_files(tmp_path)
    assert count >= 500
    cases = load_cases(tmp_path)
    chapters = {path.stem: json.loads(path.read_text(encoding="utf-8"))
                for path in (tmp_path / "clinical").glob("*.json")}
    page = browser_context.new_page()
    try:
        page.set_content("<!doctype html><title>bedside parity</title>")
        page.add_script_tag(content=CORE.read_text(encoding="utf-8"))
        results = page.evaluate(
            "([chapters, cases]) => cases.map((c) => self.CloudpedsBedside.evaluate(chapters[c.chapter], c.child))",
            [chapters, [{"chapter": c["chapter"], "child": c["child"]} for c in cases]])
    finally:
        page.close()
    wrong = mismatches(cases, results)
    assert not wrong, f"{len(wrong)} of {len(cases)} cases differ:\n" + "\n".join(wrong[:10])
