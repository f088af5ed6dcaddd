"""Hostile content (issue 18 §2/§3): every payload in every text field and body is refused by `cloudpeds check` at
its source file:line, and the build refuses it too; where the payloads are only text (code, words), both profiles
build and the output, parsed, carries no event handler, script or data URL, <base> or load from another host,
and the CSP hashes only the theme's scripts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cloudpeds import not_found
from cloudpeds.delivery.policy import script_hash, theme_scripts

from ..conftest import ROOT
from ..hostile import PAYLOADS, append_lines, chapters, copy_project, insert_after, site_problems

TAGGED = [payload for payload, _ in PAYLOADS if "<" in payload]


def cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cloudpeds.cli", *args], capture_output=True, text=True,
                          cwd=project, check=False, timeout=900)


def _yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


@pytest.fixture(scope="module")
def refused(tmp_path_factory) -> tuple[Path, list[tuple[str, int, str]]]:
    """The sample project with every payload put where content may hold HTML or text: (project, expected
    findings as (file, line, words))."""
    project = copy_project(tmp_path_factory.mktemp("hostile-refused"))
    expected: list[tuple[str, int, str]] = []

    def expect(rel: str, lines: list[int], words: list[str]) -> None:
        expected.extend((rel, line, word) for line, word in zip(lines, words, strict=True))

    body_chapter, meta_chapter = chapters(project)[:2]
    # Flowchart node texts and edge labels (HTML is refused there; other payloads are plain words).
    safe = [p for p in TAGGED if not set(p) & set('[]|"')]
    rel = body_chapter.relative_to(project).as_posix()
    lines = insert_after(project / rel, "flowchart ", [f"  HX{i}[{p}]" for i, p in enumerate(safe)]
                         + [f"  HX{i} -->|{p}| HY{i}[x]" for i, p in enumerate(safe)])
    expect(rel, lines, ["HTML in"] * len(lines))
    # Bodies of a chapter and of every kind of content/ page.
    for rel in (body_chapter.relative_to(project).as_posix(), "content/about.md", "content/index.md",
                "content/en/guide/editors.md"):
        expect(rel, append_lines(project / rel, [p for p, _ in PAYLOADS]), [w for _, w in PAYLOADS])
    # Chapter front matter texts: refused by the model.
    rel = meta_chapter.relative_to(project).as_posix()
    text = (project / rel).read_text(encoding="utf-8").split("\n")
    title = next(i for i, line in enumerate(text) if line.startswith("title:"))
    text[title] = f"title: {_yaml('<img src=x onerror=alert(1)>')}"
    (project / rel).write_text("\n".join(text), encoding="utf-8")
    expect(rel, [title + 1], ["markup"])
    # Course texts (model) and captions (cue text), in two courses: a course that fails to load is not read further.
    course = sorted((project / "courses").glob("*.yml"))[-1]
    text = course.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(text) if line.startswith("  zh:"))  # the description's
    text[at] = "  zh: " + _yaml('<a href="javascript:alert(1)">x</a>')
    course.write_text("\n".join(text), encoding="utf-8")
    expect(course.relative_to(project).as_posix(), [at + 1], ["markup"])
    caption = sorted((project / "courses" / "captions").glob("*.vtt"))[0]
    assert caption.name not in course.read_text(encoding="utf-8")
    cues = "".join(f"\n00:59:{i:02d}.000 --> 00:59:{i:02d}.500\n{p}\n" for i, p in enumerate(TAGGED))
    first = caption.read_text(encoding="utf-8").rstrip("\n").count("\n") + 1
    caption.write_text(caption.read_text(encoding="utf-8").rstrip("\n") + "\n" + cues, encoding="utf-8")
    expect(caption.relative_to(project).as_posix(), [first + 3 + 3 * i for i in range(len(TAGGED))],
           ["HTML in a caption"] * len(TAGGED))
    return project, expected


def test_check_reports_every_payload_at_its_source_line(refused):
    project, expected = refused
    result = cli(project, "check", "--format", "json")
    assert result.returncode == 1
    found = [d for d in json.loads(result.stdout) if d["severity"] == "error"]
    missing = [(rel, line, words) for rel, line, words in expected
               if not any(d["path"] == rel and d["line"] == line and words.lower() in d["message"].lower()
                          for d in found)]
    assert missing == [], "\n".join(f"{d['path']}:{d['line']}: {d['message']}" for d in found)


def test_the_build_refuses_them_and_leaves_the_previous_site(refused, tmp_path):
    project, expected = refused
    site = tmp_path / "site"
    site.mkdir()
    (site / "previous.html").write_text("the previous site")
    result = cli(project, "build", "-d", str(site))
    assert result.returncode != 0
    assert f"{expected[0][0]}:{expected[0][1]}:" in result.stderr, result.stderr[-3000:]
    assert sorted(p.name for p in site.iterdir()) == ["previous.html"]


@pytest.fixture(scope="module")
def as_text(tmp_path_factory) -> Path:
    """The sample project with every payload where content may hold it as text only: in code spans and fenced
    code of a chapter and the content pages, as words in flowchart texts, course texts and captions; plus links."""
    project = copy_project(tmp_path_factory.mktemp("hostile-text"))
    spans = ["`` " + p + " ``" for p, _ in PAYLOADS]
    block = "\n".join(["```html", *(p for p, _ in PAYLOADS), "```"])
    links = "[WHO](https://www.who.int/) [home](index.md) [top](#top) [mail](mailto:a@example.org)"
    append_lines(chapters(project)[0], [*spans, block])
    for path in (project / "content" / "about.md", project / "content" / "en" / "about.md"):
        append_lines(path, [*spans, block, links])
    words = ["javascript:alert(1)", "data:text/html,x", "https:/\\evil.example/a.png", "vbscript:msgbox(1)"]
    chart = chapters(project)[0]
    text = chart.read_text(encoding="utf-8")
    fence = text.index("```flowchart")
    node = text.index("]", fence)
    text = text[:node] + " " + words[1] + text[node:]
    chart.write_text(text, encoding="utf-8")
    # An edge label: in the editor's guide's example chart, since a chapter's Yes/No labels answer its decisions.
    guide = project / "content" / "guide" / "editors.md"
    text = guide.read_text(encoding="utf-8")
    fence = text.index("```flowchart")
    label = text.index("-->|", fence) + 4
    close = text.index("|", label)
    text = text[:close] + " " + words[0] + text[close:]
    guide.write_text(text, encoding="utf-8")
    course = sorted((project / "courses").glob("*.yml"))[0]
    text = course.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(text) if line.startswith("  zh:"))
    text[at] = f"  zh: {_yaml('示例 ' + ' '.join(words))}"  # a string that starts with a scheme is a URL
    course.write_text("\n".join(text), encoding="utf-8")
    caption = sorted((project / "courses" / "captions").glob("*.vtt"))[0]
    caption.write_text(caption.read_text(encoding="utf-8").rstrip("\n")
                       + f"\n\n00:59:00.000 --> 00:59:01.000\n示例 {' '.join(words)}\n", encoding="utf-8")
    return project


@pytest.mark.parametrize("profile", ["cdn", "offline"])
def test_payloads_as_text_build_to_a_site_without_any_of_them(as_text, tmp_path, profile):
    site = tmp_path / "site"
    result = cli(as_text, "build", "--profile", profile, "-d", str(site))
    assert result.returncode == 0, result.stderr[-3000:]
    problems, scripts = site_problems(site)
    assert problems == []
    about = site / ("about/index.html" if profile == "cdn" else "about.html")
    assert "onerror=alert(1)" in about.read_text(encoding="utf-8")  # the payloads are on the page, as text
    if profile == "cdn":
        csp = next(line for line in (site / "_headers").read_text(encoding="utf-8").splitlines()
                   if "Content-Security-Policy" in line)
        hashes = set(csp.split("script-src", 1)[1].split(";", 1)[0].split()) - {"'self'"}
        assert hashes == {script_hash(script) for script in scripts}
        theme = ("__md_scope=", "var target=document.getElementById", "var el=document.querySelector(",
                 "var palette=", "var consent=", "var tabs=",
                 'document.querySelectorAll(".cp-notfound__search")', *not_found.SCRIPTS)
        # and our theme templates' own inline scripts (the bedside and note loaders), matched as the CSP matches them
        ours = theme_scripts([ROOT / "theme"])
        foreign = {s[:60] for s in scripts if not s.startswith(theme) and not any(p.fullmatch(s) for p in ours)}
        assert not foreign, foreign
