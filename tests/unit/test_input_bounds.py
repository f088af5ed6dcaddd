"""Bounded YAML and readable sources: bombs, recursive aliases, impossible dates and bad bytes end as
one ``file:line`` error each, quickly and in little memory (issue 18 §1, §4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from cloudpeds import sourcetext, yamlpos
from cloudpeds.diagnostics import Severity
from cloudpeds.manual.validate import check

TODAY = dt.date(2026, 11, 25)

BOMB = 'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True))


def errors(project: Path):
    return [d for d in check(project / "manual", root=project, today=TODAY)[1] if d.severity is Severity.ERROR]


def test_an_alias_bomb_stops_at_the_node_limit():
    with pytest.raises(yamlpos.LimitError) as caught:
        yamlpos.load("title: x\n" + BOMB, line_offset=1)
    assert "MAX_NODES" in caught.value.message and caught.value.line > 2


@pytest.mark.parametrize("text", ["x: &a [*a]\n", "x: &a {k: *a}\n", "- &a [1, [2, *a]]\n"])
def test_a_recursive_alias_is_an_error_not_a_recursion(text):
    with pytest.raises(yamlpos.LimitError) as caught:
        yamlpos.load(text)
    assert "recursive alias" in caught.value.message and caught.value.line == 1


def test_depth_and_alias_count_are_bounded():
    with pytest.raises(yamlpos.LimitError, match="MAX_DEPTH"):
        yamlpos.load("k: " + "[" * 60 + "]" * 60)
    many = "a: &a 1\nb: [" + ", ".join(["*a"] * (yamlpos.MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(yamlpos.LimitError, match="MAX_ALIASES"):
        yamlpos.load(many)


def test_ordinary_aliases_still_load_with_positions():
    loaded = yamlpos.load("a: &x [1, 2]\nb: [*x, *x]\n")
    assert loaded.data == {"a": [1, 2], "b": [[1, 2], [1, 2]]}
    assert loaded.positions.of(("b",)) == (2, 4)


def test_an_impossible_date_is_an_error_at_its_line():
    with pytest.raises(yamlpos.YamlProblem) as caught:
        yamlpos.load("a: 1\nlast_reviewed: 2026-02-30\n")
    assert (caught.value.line, caught.value.col) == (2, 16) and "not a real date" in caught.value.message


@pytest.mark.parametrize("name", ["manual/groups.yml", "manual/synonyms.yml", "manual/references/core.yml"])
def test_a_bomb_in_any_manual_yaml_file_is_one_error(project, name):
    path = project / name
    path.write_text(path.read_text(encoding="utf-8") + BOMB, encoding="utf-8")
    found = [d for d in errors(project) if d.path == name]
    assert len(found) == 1 and "MAX_NODES" in found[0].message, [d.format() for d in found]


def test_a_bomb_in_a_chapter_under_an_unknown_key(project):
    path = project / "manual/chapters/fever.zh.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\n" + BOMB, 1), encoding="utf-8")
    (found,) = [d for d in errors(project) if d.path.endswith("fever.zh.md")]
    assert "MAX_NODES" in found.message and 2 <= found.line <= 10


def test_a_source_above_the_size_limit_is_refused(project, monkeypatch):
    monkeypatch.setattr(sourcetext, "MAX_SOURCE_BYTES", 40)
    found = [d for d in errors(project) if "MAX_SOURCE_BYTES" in d.message]
    assert {d.path for d in found} >= {"manual/groups.yml", "manual/chapters/fever.zh.md"}


# --- §4: no tracebacks -----------------------------------------------------------------------------

def test_impossible_dates_in_a_chapter_are_errors_at_their_line(project):
    path = project / "manual/chapters/fever.zh.md"
    path.write_text(path.read_text(encoding="utf-8").replace("last_reviewed: 2026-09-01", "last_reviewed: 2026-02-30")
                    .replace("next_review_due: 2027-09-01", "next_review_due: 2027-13-01"), encoding="utf-8")
    (found,) = [d for d in errors(project) if d.path.endswith("fever.zh.md")]
    assert "'2026-02-30' is not a real date" in found.message and "YYYY-MM-DD" in found.hint


def test_synonyms_in_gb18030_are_not_utf8_with_the_iconv_hint(project):
    path = project / "manual/synonyms.yml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    (found,) = [d for d in errors(project) if d.path == "manual/synonyms.yml"]
    assert "not UTF-8" in found.message and "iconv -f GB18030 -t UTF-8" in found.hint


def test_cli_publish_refuses_a_latest_folder_without_a_traceback(project, capsys):
    from cloudpeds.cli import main

    (project / "manual/editions.yml").write_text(
        "editions:\n  - {version: '2026', number: 1, label: {zh: 2026 版, en: 2026 edition}, date: 2026-01-01,"
        " status: current}\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (project / "releases/latest").mkdir(parents=True)
    assert main(["publish", "2026", "-f", str(project / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err
    assert "latest" in err and "move it away" in err and "Traceback" not in err


def test_cli_new_chapter_with_a_very_long_id(project, capsys):
    from cloudpeds.cli import main

    assert main(["new", "chapter", "a" * 300, "--project", str(project)]) == 1
    assert "MAX_SLUG" in capsys.readouterr().err


def test_an_internal_error_is_one_line_and_json_stays_json(project, capsys, monkeypatch):
    import json

    from cloudpeds import cli

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "check", broken)
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    assert cli.main(["check", "--project", str(project), "--format", "json"]) == 2
    out, err = capsys.readouterr()
    assert "internal error" in json.loads(out)[0]["message"]
    assert "Traceback" not in err and "CLOUDPEDS_DEBUG=1" in err
    monkeypatch.setenv(cli.DEBUG_ENV, "1")
    cli.main(["check", "--project", str(project)])
    assert "Traceback" in capsys.readouterr().err


# --- §5: content that is silently wrong -------------------------------------------------------------

def edit_chapter(project: Path, old: str, new: str) -> None:
    path = project / "manual/chapters/fever.zh.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("dose", ["每次15毫克每千克", "10 毫升/千克", "每次 5 毫升", "15 mg/kg", "0.1 mL/kg",
                                  "１５毫克", "2 g/kg", "300 μg"])
def test_a_dose_in_a_recommendation_without_a_source(project, dose):
    edit_chapter(project, "    strength: strong\n", "    strength: practice-statement\n")
    edit_chapter(project, "    sources: [nice-ng143]\n", "")
    edit_chapter(project, "用电子体温计测腋温。", f"对乙酰氨基酚{dose}。")
    (found,) = [d for d in errors(project) if "cites no source" in d.message]
    assert found.field == "recommendations[0].text"


@pytest.mark.parametrize("text", ["血糖 < 2.5 mmol/L", "体重 5 kg", "体温 ≥ 38 °C", "血红蛋白 < 90 g/L"])
def test_measurements_are_not_doses(project, text):
    edit_chapter(project, "发热很常见。", f"发热很常见。{text}")
    assert [d for d in errors(project) if "dose" in d.message] == []


def test_a_dose_in_the_body_is_an_error_at_its_line(project):
    edit_chapter(project, "发热很常见。", "发热很常见。\n\n可给布洛芬每次10毫克每千克。")
    (found,) = [d for d in errors(project) if "dose" in d.message and not d.code]
    lines = (project / "manual/chapters/fever.zh.md").read_text(encoding="utf-8").splitlines()
    assert found.field == "body" and lines[found.line - 1].startswith("可给布洛芬")


def test_a_nul_in_the_body_or_an_escaped_one_in_a_text_field(project):
    edit_chapter(project, "发热很常见。", "发热\x00很常见。")
    (found,) = errors(project)
    assert "U+0000" in found.message and found.field == "body" and found.col == 3
    edit_chapter(project, "发热\x00很常见。", "发热很常见。")
    edit_chapter(project, "text: 反应好", 'text: "反应\\x01好"')
    (found,) = errors(project)
    assert "U+0001" in found.message and found.field == "danger_signs[1].text"


def test_a_raw_nul_in_the_front_matter_is_an_error_at_its_line(project):
    edit_chapter(project, "text: 反应好", "text: 反应\x00好")
    (found,) = errors(project)
    lines = (project / "manual/chapters/fever.zh.md").read_text(encoding="utf-8").splitlines()
    assert "U+0000" in found.message and "反应" in lines[found.line - 1]


# --- §6: errors a person can act on ------------------------------------------------------------------

def test_a_broken_bibliography_is_reported_once_with_the_follow_ons_counted(project):
    path = project / "manual/references/core.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("publisher: NICE", "publisher: [NICE"), encoding="utf-8")
    (found,) = errors(project)
    assert found.path == "manual/references/core.yml" and "malformed YAML" in found.message
    assert '4 "unknown reference" error(s) that follow from this are not shown' in found.hint  # 2 per language


@pytest.mark.parametrize(("old", "new", "message", "hint"), [
    ("url: https://www.nice.org.uk/guidance/ng143", "url: javascript:alert(1)", "is not a web address", "https://"),
    ("id: nice-ng143\n    title", "id: Nice_NG143\n    title", "is not a valid id", "lowercase letters"),
])
def test_pattern_errors_say_what_the_field_is(project, old, new, message, hint):
    path = project / "manual/references/core.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    found = [d for d in errors(project) if d.path == "manual/references/core.yml"]
    assert message in found[0].message and hint in found[0].hint


def test_an_edition_version_that_is_a_path(project):
    from cloudpeds.editions.loader import load_editions

    path = project / "manual/editions.yml"
    path.write_text("editions:\n  - {version: ../x, number: 1, label: {zh: 版, en: ed}, date: 2026-01-01, "
                    "status: current}\n", encoding="utf-8")
    found = []
    assert load_editions(path, project, found) is None
    assert "not a valid edition version" in found[0].message and "folder" in found[0].hint


@pytest.mark.parametrize("name", ["manual/groups.yml", "manual/synonyms.yml", "manual/references/core.yml"])
def test_an_empty_file_says_it_is_empty(project, name):
    (project / name).write_text("", encoding="utf-8")
    found = [d for d in errors(project) if d.path == name]
    assert found[0].message == "the file is empty"


def test_a_python_tag_is_not_blamed_on_indentation():
    with pytest.raises(Exception) as caught:
        yamlpos.load("a: !!python/object/apply:os.system [ls]\n")
    *_, message, hint = yamlpos.describe_error(caught.value, "")
    assert "!!python/object/apply:os.system is not allowed" in message and "indentation" not in hint


@pytest.mark.parametrize(("text", "where"), [
    ('a: 1\nb: "never closed\nc: 3\n', (2, 4)),
    ('a: 1\nb: "runs on\nc: 3\nd: "x"\ne: 5\n', (2, 4)),
])
def test_an_unclosed_quote_is_reported_where_it_opens(text, where):
    with pytest.raises(Exception) as caught:
        yamlpos.load(text)
    line, col, message, _ = yamlpos.describe_error(caught.value, text)
    assert (line, col) == where and "quote" in message


def test_a_lesson_source_that_is_a_folder(project):
    from cloudpeds.courses.loader import load_courses
    from cloudpeds.scaffold import new_course

    (written,) = new_course(project / "courses", "basics").paths
    source = next(line.split(":", 1)[1].split("#")[0].strip() for line in
                  written.read_text(encoding="utf-8").splitlines() if line.strip().startswith("source:"))
    (project / source).mkdir(parents=True)
    manual = check(project / "manual", root=project, today=TODAY)[0]
    _, found = load_courses(project / "courses", manual, root=project)
    assert any("is a folder, not a video file" in d.message for d in found), [d.format() for d in found]


def test_a_chart_with_thousands_of_nodes_is_one_error_not_a_recursion():
    from cloudpeds.flowchart.parse import MAX_CHART_NODES, parse

    source = "flowchart TD\n" + "\n".join(f"  N{k}[步骤{k}] --> N{k + 1}" for k in range(3000))
    (problem,) = parse(source)[1]
    assert "MAX_CHART_NODES" in problem.message and problem.line == MAX_CHART_NODES + 1


@pytest.mark.parametrize("text", ["a: !!timestamp foo\n", "a: !!set [1]\n", "a: !!int zz\n", "a: !!bool maybe\n",
                                  "a: !!omap 5\n", "<<: 5\n", "? [a]\n: b\n"])
def test_tags_python_cannot_build_are_yaml_errors_at_their_line(text):
    """Found by fuzzing: PyYAML raises AttributeError or TypeError for some tagged values, not YAMLError."""
    with pytest.raises(yaml.YAMLError) as caught:
        yamlpos.load("x: 1\n" + text, line_offset=2)
    line, _, message, _ = yamlpos.describe_error(caught.value, "x: 1\n" + text, 2)
    assert line == 4 and message
