"""Two editions of the test manual that differ in exactly five known ways, and publishing them.

Edition 2 differs from edition 1 in: a threshold (38.5 → 38 °C, in the sign's text too), a danger sign added
(fever-ds-reduced-activity), a referral's urgency (fever-ref-5-days routine → urgent), a chapter added
(cough) and a flowchart edge (the "no" arrow relabelled).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import CHAPTER_ZH, GROUPS, REFERENCES, ROOT, english

EDITIONS = {
    1: """\
  - version: "2018"
    number: 1
    label: {zh: 2018 试行版, en: 2018 trial edition}
    date: 2018-06-01
    status: trial
""",
    2: """\
  - version: "2019"
    number: 2
    label: {zh: 2019 版, en: 2019 edition}
    date: 2019-09-01
    status: current
""",
}


REFERRAL_5_DAYS = """\
  - id: fever-ref-5-days
    urgency: {urgency}
    target: {target}
    time_frame: {time_frame}
    criteria: [{criteria}]
"""
REDUCED_ACTIVITY = """\
  - id: fever-ds-reduced-activity
    text: {text}
    triage: amber
    age_bands: [0d-28d, 28d-3mo, 3mo-5y]
"""
WORDS = {
    "zh": {"target": "上级医院儿科", "time_frame": "24 小时内", "criteria": "发热 ≥ 5 天",
           "text": "活动减少，对外界反应差"},
    "en": {"target": "Paediatric clinic", "time_frame": "Within 24 hours", "criteria": "Fever for 5 days or more",
           "text": "Reduced activity, not responding normally to social cues"},
}


def chapter(lang: str, *, edition: int) -> str:
    """The fever chapter as in edition 1 or 2 (both with the referral for fever ≥ 5 days)."""
    text = CHAPTER_ZH if lang == "zh" else english(CHAPTER_ZH)
    urgency = "routine" if edition == 1 else "urgent"
    text = text.replace("recommendations:\n", REFERRAL_5_DAYS.format(urgency=urgency, **WORDS[lang])
                        + "recommendations:\n")
    if edition == 1:
        text = text.replace("value: 38,", "value: 38.5,")
        for words in ("月龄 < 3 个月且体温 ≥ 38 °C\n", "Age < 3 months and temperature ≥ 38 °C\n"):
            text = text.replace(f"text: {words}", f"text: {words.replace('38', '38.5')}")
    else:
        text = text.replace("referrals:\n", REDUCED_ACTIVITY.format(**WORDS[lang]) + "referrals:\n")
        text = text.replace("|否|", "|否，且反应好|").replace("|No|", "|No, responds normally|")
    return text


def cough(lang: str) -> str:
    zh = (CHAPTER_ZH.replace("fever-", "cough-").replace("id: fever\n", "id: cough\n")
          .replace("title: 发热", "title: 咳嗽"))
    return zh if lang == "zh" else english(zh).replace("title: 咳嗽", "title: Cough")


def write_edition(manual: Path, number: int) -> None:
    for lang in ("zh", "en"):
        (manual / "chapters" / f"fever.{lang}.md").write_text(chapter(lang, edition=number), encoding="utf-8")
        if number == 2:
            (manual / "chapters" / f"cough.{lang}.md").write_text(cough(lang), encoding="utf-8")



def write_editions_file(manual: Path, up_to: int) -> None:
    (manual / "editions.yml").write_text("editions:\n" + "".join(EDITIONS[n] for n in range(1, up_to + 1)),
                                         encoding="utf-8")


def make_edition(project: Path, number: int) -> None:
    """Turn the project's manual into edition ``number`` (content and editions.yml)."""
    write_edition(project / "manual", number)
    write_editions_file(project / "manual", number)


def publish(project: Path, version: str, releases: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "cloudpeds.cli", "publish", version, "-f", str(project / "mkdocs.yml"),
                           "--releases-dir", str(releases), *extra],
                          capture_output=True, text=True, env=env, check=False, timeout=600)


def publish_two_editions(project: Path) -> tuple[Path, Path]:
    """A buildable project (real theme and mkdocs.yml) with editions 2018 and 2019 published into
    ``project/releases``; the working copy is left as edition 2019."""
    manual = project / "manual"
    (manual / "chapters").mkdir(parents=True)
    (manual / "references").mkdir()
    (manual / "groups.yml").write_text(GROUPS, encoding="utf-8")
    (manual / "synonyms.yml").write_text("groups:\n  - [发热, 发烧, fever]\n", encoding="utf-8")
    (manual / "references" / "core.yml").write_text(REFERENCES, encoding="utf-8")
    shutil.copytree(ROOT / "theme", project / "theme")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    releases = project / "releases"
    make_edition(project, 1)
    result = publish(project, "2018", releases)
    assert result.returncode == 0, result.stderr
    make_edition(project, 2)
    # The new amber sign is not yet in the flow chart (a warning): linking it would be a sixth change.
    result = publish(project, "2019", releases, "--allow-warnings")
    assert result.returncode == 0, result.stderr
    assert "Published 2019 版 · 2019 edition" in result.stdout
    return project, releases
