"""Domain first, MkDocs last: only cloudpeds.adapters may import mkdocs or material."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "plugins" / "cloudpeds"
FORBIDDEN = ("mkdocs", "material")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_domain_modules_do_not_import_mkdocs():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "adapters" in path.relative_to(PACKAGE).parts:
            continue
        for name in imported_modules(path):
            if name.split(".")[0] in FORBIDDEN:
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_the_check_finds_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from mkdocs.plugins import BasePlugin\nimport material.plugins\n")
    assert {n.split(".")[0] for n in imported_modules(bad)} == {"mkdocs", "material"}
