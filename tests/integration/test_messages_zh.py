"""The editor's computer speaks Chinese (LANG=zh_CN.UTF-8), so cloudpeds does too (issue 20): `check` (text and
JSON), `build`'s report from the manual plugin, `new`'s refusal; file:line:col, ids, fields and values kept;
`--lang en` and CLOUDPEDS_LANG switch back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cloudpeds.messages import untranslated_english

CHAPTER = "manual/chapters/fever.zh.md"


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("CLOUDPEDS_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([sys.executable, "-m", "cloudpeds.cli", *args], cwd=cwd, env={**environ, **env},
                          capture_output=True, text=True, timeout=600, check=False)


def line_of(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


def break_project(project: Path) -> None:
    chapter = project / CHAPTER
    text = chapter.read_text(encoding="utf-8")
    text = text.replace("triage: red", "triage: purple", 1).replace("    triage: green\n",
                                                                     "    triage: green\n    colour: green\n", 1)
    chapter.write_text(text, encoding="utf-8")
    (project / "manual/synonyms.yml").write_text("groups:\n  - [发热, 发烧, fever\n", encoding="utf-8")


def test_check_speaks_chinese_when_the_computer_does(project):
    break_project(project)
    result = run(["check", "--project", str(project), "--today", "2026-11-25"], project, LANG="zh_CN.UTF-8")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    triage = line_of(project / CHAPTER, "triage: purple")
    colour = line_of(project / CHAPTER, "colour: green")
    assert f"{CHAPTER}:{triage}:13: 错误: danger_signs[0].triage: 这里不允许 'purple'（提示：请使用以下之一：" \
           "'red'、'amber'、'green'）" in lines, result.stderr
    unknown = f"{CHAPTER}:{colour}:5: 错误: danger_signs[1].colour: 未知字段 `colour`"
    assert any(line.startswith(unknown) for line in lines), result.stderr
    assert any(line.startswith("manual/synonyms.yml:2:5: 错误: ") and "YAML 格式错误：这个 [ 没有闭合" in line
               for line in lines), result.stderr
    assert lines[-1].endswith(" 个警告") and " 个错误，" in lines[-1], result.stderr
    for line in lines:
        message = line.split(": 错误: ", 1)[-1].split(": 警告: ", 1)[-1]
        assert untranslated_english(message) is None, line


def test_lang_option_and_cloudpeds_lang_choose_english(project):
    break_project(project)
    by_option = run(["check", "--project", str(project), "--lang", "en"], project, LANG="zh_CN.UTF-8")
    by_variable = run(["check", "--project", str(project)], project, LANG="zh_CN.UTF-8", CLOUDPEDS_LANG="en")
    for result in (by_option, by_variable):
        assert "'purple' is not allowed here (hint: use one of 'red', 'amber' or 'green')" in result.stderr
        assert result.stderr.splitlines()[-1].endswith("warning(s)")


def test_json_keeps_english_and_adds_chinese(project):
    break_project(project)
    result = run(["check", "--project", str(project), "--format", "json"], project, LANG="zh_CN.UTF-8")
    found = next(d for d in json.loads(result.stdout) if d["field"] == "danger_signs[0].triage")
    assert (found["message"], found["message_zh"]) == ("'purple' is not allowed here", "这里不允许 'purple'")
    assert found["path"] == CHAPTER and found["line"] == line_of(project / CHAPTER, "triage: purple")


def test_new_refuses_in_chinese(project):
    result = run(["new", "chapter", "Sore_Throat", "--project", str(project)], project, LANG="zh_CN.UTF-8")
    assert result.returncode == 1
    assert result.stderr.strip() == ("cloudpeds new: 'Sore_Throat' 不是有效的 id：只能用小写字母、数字和连字符，"
                                     "例如 sore-throat")


def test_the_build_reports_the_manuals_errors_in_chinese(site_project):
    break_project(site_project)
    result = run(["build", "-f", str(site_project / "mkdocs.yml")], site_project, LANG="zh_CN.UTF-8")
    assert result.returncode == 1
    assert "手册有错误；网站没有写入任何内容：" in result.stderr, result.stderr[-3000:]
    triage = line_of(site_project / CHAPTER, "triage: purple")
    assert f"{CHAPTER}:{triage}:13: 错误: danger_signs[0].triage: 这里不允许 'purple'" in result.stderr
    assert not (site_project / "site").exists()
    assert ".staging-" not in result.stderr and "构建已中止（原因见上面的错误）" in result.stderr, result.stderr[-3000:]
