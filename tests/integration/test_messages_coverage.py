"""Every message the bad-input corpora produce has a Chinese rendering (issue 20: messages in the editor's
language). The corpora: the unit tests of validation, input bounds, the urgency scale, clinical rules,
courses, flowcharts, translation, content markup, scaffolding and YAML (their diagnostics recorded by
``tests/message_recorder.py`` in a child pytest), and the malformed-input corpus of
``test_malformed_input.py`` (each case checked in this process, its JSON read back).

A rendering passes when the catalog knows the message and the Chinese text keeps no run of three English
words outside quotes, code, paths, ids and units (``messages.untranslated_english``). The coverage is printed
(``pytest -s``): distinct messages and hints, and how many are translated.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from cloudpeds.cli import main
from cloudpeds.messages import is_translated, translate, untranslated_english
from tests.conftest import ROOT, write_files
from tests.message_recorder import RECORD_ENV

UNIT_CORPORA = [
    "tests/unit/test_validation.py", "tests/unit/test_input_bounds.py", "tests/unit/test_levels_check.py",
    "tests/unit/test_clinical_rules.py", "tests/unit/test_courses.py", "tests/unit/test_flowchart.py",
    "tests/unit/test_translate.py", "tests/unit/test_markup.py", "tests/unit/test_editions_scaffold.py",
    "tests/unit/test_yamlpos.py", "tests/unit/test_quiz.py",
    "tests/unit/test_live_sessions.py", "tests/unit/test_members.py",
    "tests/unit/test_parent_advice.py",
]


def unit_corpus_messages(record: Path) -> set[str]:
    env = {**os.environ, RECORD_ENV: str(record)}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "tests.message_recorder",
                             "-p", "no:cacheprovider", *UNIT_CORPORA], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=1800, check=False)
    assert record.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    texts = set()
    for line in record.read_text(encoding="utf-8").splitlines():
        texts.update(text for text in json.loads(line) if text)
    return texts


def malformed_corpus_messages(tmp_path: Path) -> set[str]:
    from tests.integration import test_malformed_input as corpus

    base = write_files(tmp_path / "base", corpus.BASE_FILES)
    texts = set()
    for number, case in enumerate(corpus.CASES):
        project = tmp_path / f"case-{number}"
        shutil.copytree(base, project)
        case.edit(project / case.file)
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            main(["check", "--project", str(project), "--today", corpus.TODAY, "--format", "json"])
        for found in json.loads(out.getvalue()):
            texts.update(text for text in (found["message"], found["hint"]) if text)
        shutil.rmtree(project)
    return texts


def test_every_message_of_the_bad_input_corpora_has_a_chinese_rendering(tmp_path):
    texts = unit_corpus_messages(tmp_path / "recorded.jsonl") | malformed_corpus_messages(tmp_path)
    untranslated = {}
    for text in sorted(texts):
        chinese = translate(text, "zh")
        left = "(not in the catalog)" if not is_translated(text) else untranslated_english(chinese)
        if left:
            untranslated[text] = left
    print(f"\nmessages in the editor's language: {len(texts)} distinct messages and hints, "
          f"{len(texts) - len(untranslated)} translated")
    assert len(texts) > 200, "the corpora produced fewer messages than expected: was the recorder loaded?"
    assert not untranslated, "\n".join(f"{text!r}: {left}" for text, left in untranslated.items())
