"""mkdocs serve reloads when chapters, flowcharts, course YAML, captions, the synonyms or the editions change:
the plugins hand MkDocs' live-reload server the folders that hold them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ..conftest import ROOT

pytestmark = pytest.mark.build


class RecordingServer:
    """Stands in for MkDocs' LiveReloadServer: records what would be watched."""

    def __init__(self) -> None:
        self.watched: list[Path] = []

    def watch(self, path: str, *args: object, **kwargs: object) -> None:
        self.watched.append(Path(path).resolve())


def covered(path: Path, watched: list[Path]) -> bool:
    return any(path == folder or folder in path.parents for folder in watched)


def test_the_watch_list_covers_every_source_of_the_manual_and_the_courses():
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    server = RecordingServer()
    for name in ("cloudpeds/manual", "cloudpeds/courses"):
        server = config.plugins[name].on_serve(server, config=config, builder=None)
    sources = [ROOT / "manual" / "chapters" / "fever.zh.md",  # chapter, and its flowchart fence
               ROOT / "manual" / "synonyms.yml", ROOT / "manual" / "editions.yml", ROOT / "manual" / "groups.yml",
               next((ROOT / "manual" / "references").glob("*.yml")),
               ROOT / "courses" / "fever-in-the-community.yml",
               next((ROOT / "courses" / "captions").glob("*.vtt"))]
    assert [s for s in sources if not covered(s.resolve(), server.watched)] == []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout  # a bound on the wait, not a timed assertion
    while time.monotonic() < deadline:
        if text in _fetch(url):
            return True
        time.sleep(0.5)
    return False


def test_mkdocs_serve_rebuilds_after_a_chapter_and_the_synonyms_change(site_project: Path):
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(site_project / "mkdocs.yml"),
                               "-a", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_for(f"{base}/manual/fever/", "发热")
        chapter = site_project / "manual" / "chapters" / "fever.zh.md"
        chapter.write_text(chapter.read_text(encoding="utf-8").replace("发热很常见。", "发热非常常见。"),
                           encoding="utf-8")
        assert _wait_for(f"{base}/manual/fever/", "发热非常常见。")
        synonyms = site_project / "manual" / "synonyms.yml"
        synonyms.write_text("groups:\n  - [发热, 发烧, 体温高, fever]\n", encoding="utf-8")
        assert _wait_for(f"{base}/search/index.zh.js", "体温高")
    finally:
        server.terminate()
        server.wait(timeout=30)
