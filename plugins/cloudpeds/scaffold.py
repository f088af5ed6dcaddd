"""``cloudpeds new chapter SLUG`` and ``cloudpeds new course SLUG``: new source files with every
required field and a comment on each.

What is decided: a new chapter passes ``cloudpeds check`` as written, with a warning per placeholder
(so it can be previewed at once), but is a ``draft`` whose texts start with the placeholder mark
(【待填写】 / [TO FILL IN]); ``check --strict`` makes those warnings errors, and ``cloudpeds publish``
refuses an edition that still has a draft chapter or a placeholder. A new
course fails the check on exactly one thing, its video, which only the editor can supply.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from .manual.model import ID_PATTERN

PLACEHOLDER = {"zh": "【待填写】", "en": "[TO FILL IN]"}

_CHAPTER = {
    "zh": """\
---
# 新章节。每个字段都必填，除非注释说“可选”。写好后运行 cloudpeds check。
# 本章为草稿（status: draft），带【待填写】的文字发布前必须改写：cloudpeds publish 会拒绝。
id: $slug                      # 章节 id：与文件名 $slug.zh.md 相同，小写字母、数字、连字符
title: 【待填写】章节标题        # 症状名称，如“发热”
synonyms: []                   # 可选：俗称，供搜索，如 [发烧, 高热]
group: $group                  # 身体系统，manual/groups.yml 中的 id：$groups
status: draft                  # draft（草稿）| trial（试行）| current（现行）| withdrawn（撤回）
order: 100                     # 在本组中的顺序，数字小的在前
summary: 【待填写】一句话概述    # 可选：在症状目录中显示
age_range: 0d-5y               # 本章适用年龄，如 0d-28d、3mo-5y（d 天，w 周，mo 月，y 岁）
age_bands: [0d-28d, 28d-3mo, 3mo-6mo, 6mo-12mo, 1y-5y]    # 标准年龄段（见编辑指南），均在 age_range 之内
danger_signs:                  # 危险征象：至少一项；red 红色 | amber 黄色 | green 绿色
  - id: $slug-ds-example       # 条目 id 以章节 id 开头
    text: 【待填写】危险征象
    triage: red
    age_bands: [0d-28d, 28d-3mo, 3mo-6mo, 6mo-12mo, 1y-5y]
    # threshold: {measure: temperature, op: ">=", value: 38, unit: "°C"}   # 可选：数值阈值（文字中须出现该数值）
referrals:                     # 转诊指征：至少一项；urgency: emergency | urgent | routine | observe | treat-home | home
  - id: $slug-ref-emergency
    urgency: emergency
    target: 【待填写】转往何处
    time_frame: 立即
    signs: [$slug-ds-example]  # 触发本转诊的危险征象 id（或用 criteria 写文字指征）
    pre_referral: []           # 可选：转诊前处理；写剂量时必须加 sources
recommendations: []            # 可选：推荐意见（text、strength、certainty、sources）
references: []                 # 本章引用的文献 id（manual/references/*.yml）
authors: [【待填写】编写者]     # 编写者，至少一人
reviewers: []                  # 可选：审校者
last_reviewed: $today          # 最近审校日期
next_review_due: $next_year    # 下次审校日期
related: []                    # 可选：相关章节 id
---

## 【待填写】诊疗要点

【待填写】正文用 Markdown 书写，以 ## 开始各节。

## 诊疗流程图

```flowchart
flowchart TD
  A[【待填写】评估] --> B{【待填写】有红色危险征象？}
  B -->|是| R[紧急转诊]:::emergency
  B -->|否| H(【待填写】居家照护与复诊):::home
  click B "#$slug-ds-example"
  click R "#$slug-ref-emergency"
```
""",
    "en": """\
---
# A new chapter. Every field is required unless its comment says optional. Then run cloudpeds check.
# It is a draft (status: draft); replace every [TO FILL IN] before publishing: cloudpeds publish refuses them.
id: $slug                      # the chapter id: the file name $slug.en.md; lowercase letters, digits, hyphens
title: "[TO FILL IN] title"    # the symptom, e.g. Fever
synonyms: []                   # optional: other words people search with, e.g. [high temperature]
group: $group                  # the body system, an id from manual/groups.yml: $groups
status: draft                  # draft | trial | current | withdrawn (the same in every language)
order: 100                     # order within the group, smaller first
summary: "[TO FILL IN] one sentence"   # optional: shown in the symptom grid
age_range: 0d-5y               # the ages the chapter covers, e.g. 0d-28d, 3mo-5y (d, w, mo, y)
age_bands: [0d-28d, 28d-3mo, 3mo-6mo, 6mo-12mo, 1y-5y]    # the standard bands (editor's guide), inside age_range
danger_signs:                  # at least one; triage: red | amber | green
  - id: $slug-ds-example       # item ids start with the chapter id
    text: "[TO FILL IN] danger sign"
    triage: red
    age_bands: [0d-28d, 28d-3mo, 3mo-6mo, 6mo-12mo, 1y-5y]
    # threshold: {measure: temperature, op: ">=", value: 38, unit: "°C"}   # optional; the text must say the value
referrals:                     # at least one; urgency: emergency | urgent | routine | observe | treat-home | home
  - id: $slug-ref-emergency
    urgency: emergency
    target: "[TO FILL IN] where to"
    time_frame: Immediately
    signs: [$slug-ds-example]  # the danger signs that trigger it (or `criteria:` as text)
    pre_referral: []           # optional: treatment before transfer; a dose needs `sources`
recommendations: []            # optional: text, strength, certainty, sources
references: []                 # reference ids cited (manual/references/*.yml)
authors: ["[TO FILL IN] author"]   # at least one
reviewers: []                  # optional
last_reviewed: $today          # the date of the last review
next_review_due: $next_year    # the date of the next review
related: []                    # optional: related chapter ids
---

## [TO FILL IN] Assessment

[TO FILL IN] Write the body in Markdown; start sections with ##.

## Flow chart

```flowchart
flowchart TD
  A["[TO FILL IN] assess"] --> B{"[TO FILL IN] any red danger sign?"}
  B -->|Yes| R[Refer now]:::emergency
  B -->|No| H("[TO FILL IN] home care and safety-netting"):::home
  click B "#$slug-ds-example"
  click R "#$slug-ref-emergency"
```
""",
}

_COURSE = """\
# A new video course. Every field is required unless its comment says optional.
# Then run cloudpeds check: it reports the one thing left to you, the video file of each lesson.
id: $slug                          # the course id: the file name $slug.yml
title: {zh: 【待填写】课程名称, en: "[TO FILL IN] course title"}
description:                       # one or two sentences, both languages
  zh: 【待填写】课程简介
  en: "[TO FILL IN] what the course covers"
lecturers:                         # at least one
  - name: {zh: 【待填写】讲者, en: "[TO FILL IN] lecturer"}
    affiliation: {zh: 【待填写】单位, en: "[TO FILL IN] affiliation"}   # optional
audience: {zh: 社区全科医生, en: Community GPs}
level: introductory                # introductory | intermediate | advanced
# cme: {hours: 1, category: {zh: II 类学分, en: category II credit}}   # optional: CME credit
order: 100                         # order in the catalogue, smaller first
lessons:                           # at least one, in order
  - id: $slug-1                    # lesson ids are unique across all courses
    title: {zh: 【待填写】第一课, en: "[TO FILL IN] lesson 1"}
    source: courses/media/$slug-1.mp4   # the lesson's video: put the file here (not in git)
    captions: {}                   # optional: {zh: courses/captions/$slug-1.zh.vtt, en: …}
    markers: []                    # optional: [{at: "0:30", title: {zh: …, en: …}, item: ITEM-ID}]
    teaches: {chapters: [], items: []}   # manual chapter ids and item ids this lesson teaches
"""


class ScaffoldError(Exception):
    """The file cannot be written; the message says why and what to do."""


@dataclass
class Written:
    paths: list[Path]


#: Characters in a new id: it becomes a file name and part of every item id and URL.
MAX_SLUG = 60


def _check_slug(slug: str) -> None:
    if len(slug) > MAX_SLUG:
        raise ScaffoldError(f"the id has {len(slug)} characters, more than {MAX_SLUG} (MAX_SLUG): it names the "
                            "file, every item id and the page address; choose a short one, e.g. sore-throat")
    if not re.match(ID_PATTERN, slug):
        raise ScaffoldError(f"{slug!r} is not a valid id: use lowercase letters, digits and hyphens, e.g. sore-throat")


def _write_new(paths: dict[Path, str]) -> Written:
    existing = [str(path) for path in paths if path.exists()]
    if existing:
        raise ScaffoldError(f"{', '.join(existing)} already exists; nothing was written (choose another id)")
    for path, text in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    return Written(list(paths))


def new_chapter(manual_dir: Path, slug: str, *, languages: tuple[str, ...] = ("zh", "en"),
                groups: list[str] | None = None, today: dt.date | None = None) -> Written:
    _check_slug(slug)
    today = today or dt.date.today()
    groups = groups or ["general"]
    values = {"slug": slug, "group": groups[0], "groups": ", ".join(groups), "today": today.isoformat(),
              "next_year": today.replace(year=today.year + 1, day=min(today.day, 28)).isoformat()}
    return _write_new({manual_dir / "chapters" / f"{slug}.{lang}.md": Template(_CHAPTER[lang]).substitute(values)
                       for lang in languages})


def scaffold_body(slug: str, lang: str) -> str:
    """The Markdown body that ``new chapter`` writes, to tell an untouched body from a written one."""
    text = Template(_CHAPTER[lang]).safe_substitute(slug=slug)
    return text.split("\n---\n", 1)[1]


def new_course(courses_dir: Path, slug: str) -> Written:
    _check_slug(slug)
    return _write_new({courses_dir / f"{slug}.yml": Template(_COURSE).substitute(slug=slug)})


def unfinished(snapshot: dict) -> list[str]:
    """Chapters of a snapshot that are drafts or still hold a placeholder, as ``lang/chapter: why``."""
    found = []
    marks = tuple(PLACEHOLDER.values())
    for lang, chapters in snapshot.get("chapters", {}).items():
        for chapter_id, chapter in chapters.items():
            if chapter.get("status") == "draft":
                found.append(f"{lang}/{chapter_id}: status is draft")
            elif any(mark in str(chapter) for mark in marks):
                found.append(f"{lang}/{chapter_id}: a placeholder ({' / '.join(marks)}) is left")
    return found
