"""Malformed input in every kind of source file (issue 18): `cloudpeds check` ends with exit 1 and one
``file:line: error:`` per problem, never a traceback, valid JSON with ``--format json``, within 5 CPU
seconds and 500 MB of address space — limits set with ``setrlimit`` in the child process, so a bomb
that grows would be killed rather than make the test slow (CPU seconds, not wall-clock: no flakes on
a loaded machine).

One small project (the unit-test manual plus a course with a 2-second video, captions, editions and a
content page) is written once; each case copies it, breaks one file, and runs the check in a child.
"""

from __future__ import annotations

import codecs
import json
import os
import resource
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CHAPTER_ZH, GROUPS, REFERENCES, english, write_files

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
                                reason="needs ffmpeg and ffprobe (apt-get install ffmpeg)")

CPU_SECONDS = 5
ADDRESS_SPACE = 500 * 2**20
TODAY = "2026-11-25"

CHAPTER = "manual/chapters/fever.zh.md"
CONTENT = "content/index.md"
COURSE = "courses/basics.yml"
CAPTION = "courses/captions/basics-1.zh.vtt"
EDITIONS = "manual/editions.yml"
SYNONYMS = "manual/synonyms.yml"
GROUPS_FILE = "manual/groups.yml"
REFERENCES_FILE = "manual/references/core.yml"

BOMB = 'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True))
RECURSIVE = "loop: &a [*a]\n"

BASE_FILES = {
    GROUPS_FILE: GROUPS,
    SYNONYMS: "groups:\n  - [发热, 发烧, fever]\n",
    REFERENCES_FILE: REFERENCES,
    CHAPTER: CHAPTER_ZH,
    "manual/chapters/fever.en.md": english(CHAPTER_ZH),
    EDITIONS: textwrap.dedent("""\
        editions:
          - version: "2026"
            number: 1
            label: {zh: 2026 版, en: 2026 edition}
            date: 2026-06-01
            status: current
        """),
    CONTENT: "---\ntitle: 首页\n---\n\n# 云儿科\n\n欢迎。\n",
    COURSE: textwrap.dedent("""\
        id: basics
        title: {zh: 发热基础, en: Fever basics}
        description: {zh: 社区发热的评估。, en: Assessing fever in the community.}
        lecturers:
          - name: {zh: 示例讲者, en: Sample lecturer}
        audience: {zh: 社区医生, en: Community doctors}
        level: introductory
        order: 10
        lessons:
          - id: basics-1
            title: {zh: 测体温, en: Measuring temperature}
            source: courses/media/basics-1.mp4
            captions: {zh: courses/captions/basics-1.zh.vtt, en: courses/captions/basics-1.en.vtt}
            teaches: {chapters: [fever], items: [fever-ds-young-infant]}
        """),
    CAPTION: "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\n用电子体温计测腋温。\n",
    "courses/captions/basics-1.en.vtt": "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nMeasure the temperature.\n",
}

DRIVER = textwrap.dedent("""\
    import contextlib, io, json, sys
    from cloudpeds.cli import main
    project, today = sys.argv[1], sys.argv[2]
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        json_code = main(["check", "--project", project, "--today", today, "--format", "json"])
    text_code = main(["check", "--project", project, "--today", today])
    print(json.dumps({"json_code": json_code, "json": captured.getvalue(), "text_code": text_code}))
    """)


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


@pytest.fixture(scope="module")
def base_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_files(tmp_path_factory.mktemp("malformed-base"), BASE_FILES)
    (root / "courses/media").mkdir(parents=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=10:duration=2",
                    "-f", "lavfi", "-i", "sine=duration=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
                    "-shortest", str(root / "courses/media/basics-1.mp4")], check=True, capture_output=True)
    run = run_check(root)  # also fills the probe cache (.cache/probe.json) that every copy starts with
    assert (run.code, run.text_code, run.diagnostics) == (0, 0, []), run.report
    return root


@dataclass
class Run:
    code: int
    text_code: int
    report: str
    diagnostics: list[dict]


def run_check(project: Path) -> Run:
    result = subprocess.run([sys.executable, "-c", DRIVER, str(project), TODAY], capture_output=True, text=True,
                            preexec_fn=_limits, timeout=600, check=False, cwd=project,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "plugins")})
    assert result.returncode == 0, f"the check was killed or crashed ({result.returncode}):\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    diagnostics = json.loads(summary["json"])  # valid JSON, whatever happened
    return Run(summary["json_code"], summary["text_code"], result.stderr, diagnostics)


# --- the corpus: (file, how it is broken, the line of the one error or None) --------------------------

Edit = Callable[[Path], None]


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def replace(old: str, new: str) -> Edit:
    def edit(path: Path) -> None:
        text = text_of(path)
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def append(extra: str) -> Edit:
    return lambda path: path.write_text(text_of(path) + extra, encoding="utf-8")


def after_front_matter_start(extra: str) -> Edit:
    return replace("---\n", "---\n" + extra)


def gb18030(path: Path) -> None:
    text = text_of(path)
    if text.isascii():
        text += "\n# 注释\n"
    path.write_bytes(text.encode("gb18030"))


def binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 4)


def empty(path: Path) -> None:
    path.write_bytes(b"")


def nul_after(needle: str) -> Edit:
    return replace(needle, needle + "\x00")


def then(*edits: Edit) -> Edit:
    def edit(path: Path) -> None:
        for step in edits:
            step(path)
    return edit


def bom(path: Path) -> None:
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())


def crlf(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


def line_with(needle: str) -> Callable[[Path], int]:
    def find(path: Path) -> int:
        raw = path.read_bytes().removeprefix(codecs.BOM_UTF8).decode("utf-8")
        return next(number for number, line in enumerate(raw.splitlines(), 1) if needle in line)
    return find


@dataclass
class Case:
    name: str
    file: str
    edit: Edit
    #: The line of the error, a function of the broken file, or None when only the file is certain.
    line: int | Callable[[Path], int] | None
    message: str


def yaml_cases(file: str, *, syntax: tuple[str, str], wrong_type: tuple[str, str], date: tuple[str, str],
               nul_needle: str, front_matter: bool = False) -> list[Case]:
    """The cases every YAML source shares; for chapters and content pages inside the front matter."""
    add = after_front_matter_start if front_matter else append
    stem = file.rsplit("/", 1)[-1]
    cases = [
        Case(f"{stem}-syntax", file, replace(*syntax), line_with(syntax[1].strip().split("\n")[0]),
             "malformed YAML"),
        Case(f"{stem}-alias-bomb", file, add(BOMB), None, "MAX_NODES"),
        Case(f"{stem}-recursive-alias", file, add(RECURSIVE), line_with("loop:"), "recursive alias"),
        Case(f"{stem}-impossible-date", file, replace(*date), line_with(date[1].splitlines()[-1].strip()),
             "not a real date"),
        Case(f"{stem}-gb18030", file, gb18030, None, "not UTF-8"),
        Case(f"{stem}-binary", file, binary, 1, "binary file"),
        Case(f"{stem}-nul", file, nul_after(nul_needle), line_with(nul_needle), "U+0000"),
        Case(f"{stem}-bom-crlf", file, then(replace(*date), bom, crlf), line_with(date[1].splitlines()[-1].strip()),
             "not a real date"),
    ]
    if wrong_type[0]:
        cases.append(Case(f"{stem}-wrong-type", file, replace(*wrong_type),
                          line_with(wrong_type[1].strip().splitlines()[0]), ""))
    if not front_matter or file == CHAPTER:
        cases.append(Case(f"{stem}-empty", file, empty, 1, ""))
    return cases


CASES: list[Case] = [
    *yaml_cases(CHAPTER, front_matter=True, syntax=("synonyms: [发烧]", "synonyms: [发烧"),
                wrong_type=("triage: green", "triage: 5"),
                date=("last_reviewed: 2026-09-01", "last_reviewed: 2026-02-30"), nul_needle="发热很常见"),
    Case("chapter-nul-in-front-matter", CHAPTER, nul_after("text: 反应"), line_with("text: 反应"), "U+0000"),
    Case("chapter-escaped-nul-in-a-text", CHAPTER, replace("text: 反应好", 'text: "反应\\0好"'),
         line_with("text: \"反应"), "U+0000"),
    Case("chapter-month-13", CHAPTER, replace("next_review_due: 2027-09-01", "next_review_due: 2027-13-01"),
         line_with("next_review_due"), "not a real date"),
    Case("chapter-python-tag", CHAPTER, replace("title: 发热", "title: !!python/object/apply:os.system [ls]"),
         line_with("title:"), "!!python/object/apply:os.system"),
    Case("chapter-unclosed-quote", CHAPTER, replace("text: 反应好", 'text: "反应好'), line_with('text: "反应好'),
         "quote"),
    Case("chapter-dose-in-body", CHAPTER, replace("发热很常见。", "发热很常见。每次15毫克每千克。"),
         line_with("每次15毫克每千克"), "dose"),
    Case("flowchart-syntax", CHAPTER, replace("A[测体温] --> B{", "A[测体温 --> B{"), None, ""),
    Case("flowchart-3000-nodes", CHAPTER,
         replace("  A[测体温] --> B{",
                 "".join(f"  X{k}[步骤] --> X{k + 1}\n" for k in range(3000)) + "  A[测体温] --> B{"),
         None, "MAX_CHART_NODES"),
    Case("flowchart-unknown-link", CHAPTER, replace('click R "#fever-ref-emergency"', 'click R "#fever-ref-nowhere"'),
         line_with("fever-ref-nowhere"), ""),
    *yaml_cases(CONTENT, front_matter=True, syntax=("title: 首页", "title: [首页"), wrong_type=("", ""),
                date=("title: 首页", "title: 首页\ndate: 2026-02-30"), nul_needle="欢迎"),
    *yaml_cases(COURSE, syntax=("title: {zh: 发热基础", "title: {zh: 发热基础, ["),
                wrong_type=("order: 10", "order: [ten]"), date=("order: 10", "order: 2026-02-30"),
                nul_needle="社区发热的评估"),
    Case("course-source-is-a-folder", COURSE, replace("courses/media/basics-1.mp4", "courses/media"),
         line_with("source:"), "is a folder"),
    Case("caption-gb18030", CAPTION, gb18030, None, "not UTF-8"),
    Case("caption-binary", CAPTION, binary, 1, "binary file"),
    Case("caption-nul", CAPTION, nul_after("用电子"), line_with("用电子"), "U+0000"),
    Case("caption-empty", CAPTION, empty, 1, "WEBVTT"),
    Case("caption-bad-timing", CAPTION, replace("--> 00:00:01.500", "--> 1.5"), line_with("-->"), "timing"),
    Case("caption-bom-crlf-bad-timing", CAPTION, then(replace("--> 00:00:01.500", "--> 1.5"), bom, crlf),
         line_with("-->"), "timing"),
    *yaml_cases(EDITIONS, syntax=("label: {zh: 2026 版", "label: {zh: 2026 版, ["),
                wrong_type=("number: 1", "number: [one]"), date=("date: 2026-06-01", "date: 2026-02-30"),
                nul_needle="2026 edition"),
    Case("editions-version-is-a-path", EDITIONS, replace('version: "2026"', "version: ../x"),
         line_with("version:"), "not a valid edition version"),
    *yaml_cases(SYNONYMS, syntax=("[发热, 发烧, fever]", "[发热, 发烧, fever"),
                wrong_type=("  - [发热", "  - 5\n  - [发热"),
                date=("fever]", "fever, 2026-02-30]"), nul_needle="发烧"),
    *yaml_cases(GROUPS_FILE, syntax=("title: {zh: 全身症状", "title: {zh: [全身症状"),
                wrong_type=("id: general", "id: [general]"), date=("en: General", "en: 2026-02-30"),
                nul_needle="全身症状"),
    *yaml_cases(REFERENCES_FILE, syntax=('version: "2019"', 'version: "2019'),
                wrong_type=('version: "2019"', "version: [2019]"), date=('version: "2019"', "version: 2019-02-30"),
                nul_needle="publisher: NICE"),
    Case("reference-javascript-url", REFERENCES_FILE,
         replace("url: https://www.nice.org.uk/guidance/ng143", "url: javascript:alert(1)"),
         line_with("url:"), "not a web address"),
]


@pytest.fixture
def broken(base_project: Path, tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, Case]:
    case: Case = request.param
    project = tmp_path / "project"
    shutil.copytree(base_project, project, symlinks=True)  # copy2: times kept, so the probe cache holds
    case.edit(project / case.file)
    return project, case


@pytest.mark.parametrize("broken", CASES, ids=[case.name for case in CASES], indirect=True)
def test_one_error_at_its_line_no_traceback_valid_json_bounded(broken):
    project, case = broken
    run = run_check(project)
    assert (run.code, run.text_code) == (1, 1), run.report
    errors = [d for d in run.diagnostics if d["severity"] == "error"]
    assert len(errors) == 1, run.report
    (found,) = errors
    assert found["path"] == case.file and found["line"] >= 1, run.report
    if case.line is not None:
        expected = case.line if isinstance(case.line, int) else case.line(project / case.file)
        assert found["line"] == expected, run.report
    assert case.message in found["message"] + " " + found["hint"], run.report
    error_lines = [line for line in run.report.splitlines() if ": error: " in line]
    assert error_lines == [f"{case.file}:{found['line']}:{found['col']}: error: "
                           + error_lines[0].split(": error: ", 1)[1]], run.report


@pytest.mark.parametrize("file", [CHAPTER, SYNONYMS, CONTENT])
def test_the_build_also_ends_quickly_on_an_alias_bomb(base_project, tmp_path, file):
    """`cloudpeds build` loads the same sources: the bomb is the same one error, within the same limits."""
    root = Path(__file__).resolve().parents[2]
    project = tmp_path / "project"
    shutil.copytree(base_project, project, symlinks=True)
    shutil.copytree(root / "theme", project / "theme")
    shutil.copy(root / "mkdocs.yml", project / "mkdocs.yml")
    (project / "node_modules").symlink_to(root / "node_modules")
    (after_front_matter_start(BOMB) if file != SYNONYMS else append(BOMB))(project / file)
    result = subprocess.run([sys.executable, "-m", "cloudpeds.cli", "build", "-f", str(project / "mkdocs.yml")],
                            capture_output=True, text=True, preexec_fn=_limits, timeout=600, check=False, cwd=project,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr and f"{file}:" in result.stderr and "MAX_NODES" in result.stderr
    assert not (project / "site").exists()
