"""Our own scripts parse as ES2017 (Chrome 61 / Safari 11: the floor of older WeChat kernels).

acorn (from npm, pinned in package-lock.json) parses every script under theme/assets/ with
``ecmaVersion: 2017``: optional chaining, ``??``, class fields and the like fail here, not on a doctor's
phone. Material's bundle is not ours and is not checked. Newer DOM APIs are a runtime matter:
tests/browser/test_old_engines.py removes them and uses the pages.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from ..conftest import ROOT

ASSETS = ROOT / "theme" / "assets"
ACORN = ROOT / "node_modules" / "acorn"

PARSE = """
const acorn = require(process.argv[1]);
const fs = require("fs");
const failures = [];
for (const file of JSON.parse(process.argv[2])) {
  try { acorn.parse(fs.readFileSync(file, "utf8"), {ecmaVersion: 2017, sourceType: "script"}); }
  catch (error) { failures.push(file + ":" + error.loc.line + ":" + (error.loc.column + 1) + ": " + error.message); }
}
process.stdout.write(JSON.stringify(failures));
"""


def _scripts() -> list[str]:
    return sorted(str(path) for path in ASSETS.rglob("*.js"))


def test_every_script_of_ours_parses_as_es2017() -> None:
    node = shutil.which("node")
    if node is None or not ACORN.exists():
        pytest.fail("node and node_modules/acorn are needed: run `npm ci`")
    scripts = _scripts()
    assert len(scripts) >= 7, scripts
    result = subprocess.run([node, "-e", PARSE, str(ACORN), json.dumps(scripts)], capture_output=True,
                            text=True, check=True)
    failures = json.loads(result.stdout)
    assert not failures, "not ES2017 (older WeChat kernels cannot run it):\n" + "\n".join(failures)


def test_the_parser_rejects_what_es2017_lacks(tmp_path) -> None:
    """The check is real: optional chaining (ES2020) fails it."""
    newer = tmp_path / "newer.js"
    newer.write_text("var a = window.b?.c;\n", encoding="utf-8")
    node = shutil.which("node")
    result = subprocess.run([node, "-e", PARSE, str(ACORN), json.dumps([str(newer)])], capture_output=True,
                            text=True, check=True)
    failures = json.loads(result.stdout)
    assert len(failures) == 1 and "newer.js:1:" in failures[0], failures
