"""`cloudpeds check` warns the editor at each quiz question whose manual item changed since the newest
published edition (the comparison that marks lessons "may be outdated")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from cloudpeds.editions import snapshot
from cloudpeds.editions.model import Editions
from cloudpeds.manual.loader import load_manual
from tests.conftest import ROOT

NEXT_EDITION = """\
  - version: "2019"
    number: 2
    label: {zh: 2019 版, en: 2019 edition}
    date: 2019-09-01
    status: current
"""


def check(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cloudpeds.cli", "check", "--project", str(project), *extra],
                          capture_output=True, text=True, check=False, timeout=600,
                          env={**os.environ, "CLOUDPEDS_LANG": "en"})


def test_check_warns_at_questions_whose_item_changed(tmp_path):
    project = tmp_path / "project"
    for folder in ("manual", "courses", "content"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")  # the live sessions' allowed stream hosts
    editions_file = project / "manual" / "editions.yml"
    # 2018 is published (its snapshot in releases/2018) with other words for the antipyretic recommendation;
    # the working copy is 2019.
    published = Editions.model_validate(yaml.safe_load(editions_file.read_text(encoding="utf-8"))).working
    data = snapshot.take(load_manual(project / "manual", root=project).manual, published)
    for lang in ("zh", "en"):
        rec = next(r for r in data["chapters"][lang]["fever"]["recommendations"] if r["id"] == "fever-rec-antipyretic")
        rec["text"] += " (earlier wording)"
    target = project / "releases" / "2018" / snapshot.SNAPSHOT_PATH
    target.parent.mkdir(parents=True)
    target.write_text(snapshot.dumps(data), encoding="utf-8")
    editions_file.write_text(editions_file.read_text(encoding="utf-8") + NEXT_EDITION, encoding="utf-8")

    result = check(project)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "may be out of date" in line]
    assert len(warnings) == 2, result.stderr
    assert all(line.startswith("courses/fever-in-the-community.yml:") and ": warning: " in line for line in warnings)
    assert any("question 'fq-antipyretic-purpose'" in line for line in warnings)
    assert any("question 'fq-paracetamol-dose'" in line for line in warnings)
    line = int(warnings[0].split(":")[1])
    source = (project / "courses" / "fever-in-the-community.yml").read_text(encoding="utf-8").splitlines()
    assert "fever-rec-antipyretic" in source[line - 1]
    # In Chinese, and an error under --strict.
    zh = subprocess.run([sys.executable, "-m", "cloudpeds.cli", "check", "--project", str(project), "--lang", "zh",
                         "--strict"], capture_output=True, text=True, check=False, timeout=600)
    assert zh.returncode == 1 and "可能已过时" in zh.stderr
