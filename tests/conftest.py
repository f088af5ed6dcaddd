"""Shared fixtures: a small valid manual written into a temporary project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Messages are in the editor's language (LANG=zh_CN… gives Chinese): the tests read English unless they ask
# for Chinese (tests/integration/test_messages_zh.py), whatever the machine's locale. Children inherit it.
os.environ["CLOUDPEDS_LANG"] = "en"

GROUPS = """\
groups:
  - id: general
    title: {zh: 全身症状, en: General}
"""

REFERENCES = """\
references:
  - id: nice-ng143
    title: "Fever in under 5s: assessment and initial management (NG143)"
    publisher: NICE
    version: "2019"
    url: https://www.nice.org.uk/guidance/ng143
"""

CHAPTER_ZH = """\
---
id: fever
title: 发热
synonyms: [发烧]
group: general
status: trial
age_range: 0d-5y
age_bands: [0d-28d, 28d-3mo, 3mo-5y]
danger_signs:
  - id: fever-ds-young-infant
    text: 月龄 < 3 个月且体温 ≥ 38 °C
    triage: red
    age_bands: [0d-28d, 28d-3mo]
    threshold: {measure: temperature, op: ">=", value: 38, unit: "°C"}
  - id: fever-ds-green
    text: 反应好
    triage: green
    age_bands: [3mo-5y]
referrals:
  - id: fever-ref-emergency
    urgency: emergency
    target: 上级医院儿科急诊
    time_frame: 立即
    signs: [fever-ds-young-infant]
recommendations:
  - id: fever-rec-measure
    text: 用电子体温计测腋温。
    strength: strong
    certainty: not-graded
    sources: [nice-ng143]
references: [nice-ng143]
authors: [示例作者]
last_reviewed: 2026-09-01
next_review_due: 2027-09-01
---

## 基础

发热很常见。

## 诊疗流程图

```flowchart
flowchart TD
  A[测体温] --> B{月龄 < 3 个月且体温 ≥ 38 °C？}
  B -->|是| R[紧急转诊]:::emergency
  B -->|否| H(居家照护):::home
  click B "#fever-ds-young-infant"
  click R "#fever-ref-emergency"
```
"""


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text or bytes}`` under ``root`` (folders made as needed); return ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def english(zh: str) -> str:
    """The English version of CHAPTER_ZH: same ids and neutral fields, other words."""
    return (zh.replace("title: 发热", "title: Fever").replace("[发烧]", "[high temperature]")
            .replace("月龄 < 3 个月且体温 ≥ 38 °C", "Age < 3 months and temperature ≥ 38 °C")
            .replace("反应好", "Responds normally").replace("上级医院儿科急诊", "Paediatric ED")
            .replace("立即", "Immediately").replace("用电子体温计测腋温。", "Measure axillary temperature.")
            .replace("[示例作者]", "[Sample author]")
            .replace("## 基础\n\n发热很常见。", "## Basics\n\nFever is common.")
            .replace("测体温", "Measure temperature")
            .replace("月龄 < 3 个月且体温 ≥ 38 °C？", "Age < 3 months and ≥ 38 °C?")
            .replace("|是|", "|Yes|").replace("|否|", "|No|").replace("紧急转诊", "Refer now")
            .replace("居家照护", "Home care").replace("诊疗流程图", "Flow chart"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with a valid one-chapter manual in both languages."""
    manual = tmp_path / "manual"
    (manual / "chapters").mkdir(parents=True)
    (manual / "references").mkdir()
    (manual / "groups.yml").write_text(GROUPS, encoding="utf-8")
    (manual / "synonyms.yml").write_text("groups:\n  - [发热, 发烧, fever]\n", encoding="utf-8")
    (manual / "references" / "core.yml").write_text(REFERENCES, encoding="utf-8")
    (manual / "chapters" / "fever.zh.md").write_text(CHAPTER_ZH, encoding="utf-8")
    (manual / "chapters" / "fever.en.md").write_text(english(CHAPTER_ZH), encoding="utf-8")
    return tmp_path


@pytest.fixture
def site_project(project: Path) -> Path:
    """``project`` plus the real theme, content pages and mkdocs.yml: buildable with MkDocs."""
    shutil.copytree(ROOT / "theme", project / "theme")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    return project


def mkdocs_build(project: Path, site_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build`` as a user would; returns the finished process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir), *extra],
        capture_output=True, text=True, env=env, check=False, timeout=600,
    )


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real sample site, built once per test session with ``--strict``."""
    site = tmp_path_factory.mktemp("sample") / "site"
    result = mkdocs_build(ROOT, site, "--strict")
    assert result.returncode == 0, result.stderr
    return site
