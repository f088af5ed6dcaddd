"""The editor's day, as the editor's guide tells it: a new chapter written in Chinese first, translated,
checked, previewed with live reload, and published in two editions — with the messages the editor reads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cloudpeds.translate import BODY_MARKER

from ..editions_support import publish, write_editions_file
from .test_serve_watch import _free_port, _wait_for

pytestmark = pytest.mark.build

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def cloudpeds(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cloudpeds.cli", *args], cwd=project, capture_output=True,
                          text=True, env=ENV, check=False, timeout=600)


def rewrite(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_scaffold_translate_check_preview_publish(site_project: Path):
    project, chapters = site_project, site_project / "manual" / "chapters"
    write_editions_file(project / "manual", 1)

    made = cloudpeds(project, "new", "chapter", "headache")
    assert made.returncode == 0, made.stderr
    assert "make serve" in made.stdout and "cloudpeds translate headache" in made.stdout

    # Chinese first: the editor fills in the Chinese file only.
    zh = chapters / "headache.zh.md"
    rewrite(zh, ("【待填写】", ""), ("status: draft", "status: trial"), ("text: 危险征象", "text: 雷击样剧烈头痛"))
    checked = cloudpeds(project, "check")
    assert checked.returncode == 0, checked.stderr  # the English scaffold is only a translation gap

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_for(f"{base}/manual/headache/", "雷击样剧烈头痛")

        translated = cloudpeds(project, "translate", "headache")
        assert translated.returncode == 0, translated.stderr
        assert "marked [to translate]" in translated.stdout
        checked = cloudpeds(project, "check")
        assert checked.returncode == 0 and "translation pending" in checked.stderr, checked.stderr
        strict = cloudpeds(project, "check", "--strict")
        assert strict.returncode == 1 and "manual/chapters/headache.en.md:" in strict.stderr
        # The preview kept going and shows the English page with its notice.
        assert _wait_for(f"{base}/en/manual/headache/", "cp-translation-notice")

        en = chapters / "headache.en.md"
        text = en.read_text(encoding="utf-8")
        text = text.replace('"[to translate] 雷击样剧烈头痛"', "Thunderclap headache")
        for chinese, english in (("章节标题", "Headache"), ("一句话概述", "Headache in children"),
                                 ("转往何处", "Paediatric emergency department"), ("编写者", "Sample author")):
            text = text.replace(f'"[to translate] {chinese}"', english)
        text = text.replace(BODY_MARKER, "").replace("[to translate] ", "")
        en.write_text(text, encoding="utf-8")
        assert _wait_for(f"{base}/en/manual/headache/", "Thunderclap headache")
        assert "cp-translation-notice" not in _fetch_text(f"{base}/en/manual/headache/")
    finally:
        server.terminate()
        server.wait(timeout=30)

    releases = project / "releases"
    first = publish(project, "2018", releases)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Published 2018 试行版 · 2018 trial edition" in first.stdout

    # The second edition: a change in Chinese only is noticed by check, the page and publish.
    write_editions_file(project / "manual", 2)
    rewrite(zh, ("text: 雷击样剧烈头痛", "text: 雷击样剧烈头痛，1 分钟内达到最重"))
    checked = cloudpeds(project, "check")
    assert checked.returncode == 0 and "changed after this text was translated" in checked.stderr, checked.stderr
    refused = publish(project, "2019", releases)
    assert refused.returncode == 1
    assert "manual/chapters/headache.en.md:" in refused.stderr and "translation out of date" in refused.stderr
    assert cloudpeds(project, "translate", "headache").returncode == 0
    marked = '"[to translate] 雷击样剧烈头痛，1 分钟内达到最重 (was: Thunderclap headache)"'
    rewrite(chapters / "headache.en.md", (marked, "Thunderclap headache, worst within 1 minute"))
    second = publish(project, "2019", releases, "--allow-warnings")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Published 2019 版 · 2019 edition" in second.stdout
    assert (releases / "2019" / "en" / "manual" / "headache" / "index.html").is_file()


def _fetch_text(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")
