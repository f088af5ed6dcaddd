"""The preview's memory (cloudpeds.preview): after an edit, a `mkdocs serve` rebuild that reuses what the last build
computed writes the same site, file for file and byte for byte, as a fresh build of the edited sources; and the
pages that show the edited chapter's items (quick references, symptom grid) show the edit.

Both sides run MkDocs' own serve build (``build(config, serve_url=…)`` after ``on_startup(command="serve")``, the
plugins kept across rebuilds as `mkdocs serve` keeps them), each in a process of its own: the remembered side
builds, edits, builds again; the fresh side builds the edited sources once with the memory off."""

from __future__ import annotations

import filecmp
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT

pytestmark = pytest.mark.build

SERVE_URL = "http://127.0.0.1:8765/"
# Builds a project as `mkdocs serve` does, optionally edits it and builds again (same process, same plugins).
SERVE_BUILDS = r"""
import logging, sys, threading
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

logging.basicConfig(level=logging.INFO, format="%(message)s")
project, site, edit, SERVE_URL = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "edit", sys.argv[4]
stop = threading.Event()
threading.Thread(target=stop.wait, daemon=True).start()  # a server thread: nothing forks, as in `mkdocs serve`

def serve_build():
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=site)
    config.site_url = SERVE_URL
    if not hasattr(serve_build, "started"):
        config.plugins.on_startup(command="serve", dirty=False)
        serve_build.started = True
    build(config, serve_url=SERVE_URL)
    search = config.plugins["cloudpeds/search"]
    if search.background is not None:
        search.background.join()
    return config

config = serve_build()
if edit:
    for step in ("chapter", "page"):
        edit_project(project, step)
        logging.info("EDITED %s", step)  # in the log, between the builds' lines
        config = serve_build()
    memo = config.plugins["cloudpeds/manual"].memo
    print("MEMO", len(memo))
config.plugins.on_shutdown()
stop.set()
"""

EDITED_CHAPTER = "syn-0002"
BODY_WORD = "预览记忆段落"
SIGN_WORD = "预览征象"


def edit_project(project: Path, step: str) -> None:
    """"chapter": append a paragraph to one chapter's Chinese body and put a word into its first danger sign;
    "page": remove a hand-written page."""
    if step == "page":
        (project / "content" / "en" / "about.md").unlink()
        return
    path = project / "manual" / "chapters" / f"{EDITED_CHAPTER}.zh.md"
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(r"^(\s*-?\s*text: )(.*)$", lambda m: f"{m[1]}{m[2]}{SIGN_WORD}", text, count=1,
                          flags=re.MULTILINE)
    assert count == 1
    path.write_text(text.rstrip("\n") + f"\n\n{BODY_WORD}。\n", encoding="utf-8")


def run_builds(project: Path, site: Path, *, remember: bool, edit: bool) -> str:
    preamble = ("import re\nfrom pathlib import Path\n"
                f"EDITED_CHAPTER, BODY_WORD, SIGN_WORD = {EDITED_CHAPTER!r}, {BODY_WORD!r}, {SIGN_WORD!r}\n"
                + inspect.getsource(edit_project))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CLOUDPEDS_PREVIEW_MEMO": "1" if remember else "0",
           "SOURCE_DATE_EPOCH": "1767225600"}  # sitemap.xml.gz carries the build time otherwise
    result = subprocess.run([sys.executable, "-c", preamble + SERVE_BUILDS, str(project), str(site),
                             "edit" if edit else "once", SERVE_URL],
                            cwd=project, capture_output=True, text=True, env=env, timeout=1800, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout + result.stderr


def differences(left: Path, right: Path) -> list[str]:
    """Every file that is only on one side or differs in its bytes."""
    found: list[str] = []

    def walk(compare: filecmp.dircmp, prefix: str) -> None:
        found.extend(f"only in remembered: {prefix}{name}" for name in compare.left_only)
        found.extend(f"only in fresh: {prefix}{name}" for name in compare.right_only)
        _, mismatch, errors = filecmp.cmpfiles(compare.left, compare.right, compare.common_files, shallow=False)
        found.extend(f"differs: {prefix}{name}" for name in mismatch + errors)
        for name, sub in compare.subdirs.items():
            walk(sub, f"{prefix}{name}/")
    walk(filecmp.dircmp(left, right), "")
    return found


@pytest.fixture(scope="module")
def preview_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic_manual import generate

    base = tmp_path_factory.mktemp("preview")
    project = generate(base / "project", chapters=6, seed=3)
    remembered, fresh = base / "remembered", base / "fresh"
    output = run_builds(project, remembered, remember=True, edit=True)  # build, edit, rebuild
    run_builds(project, fresh, remember=False, edit=False)  # the edited sources, built from nothing
    return remembered, fresh, output


def test_a_remembered_rebuild_writes_the_same_site_as_a_fresh_build(preview_sites):
    remembered, fresh, output = preview_sites
    assert "preview: remembered" in output  # the rebuild did use the memory
    assert re.search(r"markdown (\d+)/(\d+)", output.rsplit("preview: remembered", 1)[1])
    assert differences(remembered, fresh) == []


def test_the_rebuild_wrote_only_changed_files_and_removed_the_removed_pages(preview_sites):
    """The preview keeps its site folder (cloudpeds.output.KeptFolder): unchanged files are not written again,
    and the pages of a removed source are gone, as after a fresh build."""
    remembered, _, output = preview_sites
    said = re.findall(r"preview: (\d+) files unchanged .*?, (\d+) files of the last", output)
    (after_chapter, _), (_, removed) = [tuple(map(int, line)) for line in said[1:]]
    unchanged = after_chapter
    assert unchanged > 50 and removed >= 1
    assert not (remembered / "en" / "about").exists()


def test_the_rebuild_reused_the_unchanged_pages_and_showed_the_edit_everywhere(preview_sites):
    remembered, _, output = preview_sites
    # the rebuild after the chapter's edit (the page's removal changes the site's file list: every page again)
    last = output.split("EDITED chapter", 1)[1].split("preview: remembered", 1)[1].splitlines()[0]
    hits, total = map(int, re.search(r"template (\d+)/(\d+)", last).groups())
    assert 0 < hits < total  # most pages came from the memory, the edited ones did not
    chapter = (remembered / "manual" / EDITED_CHAPTER / "index.html").read_text(encoding="utf-8")
    assert BODY_WORD in chapter and SIGN_WORD in chapter
    quick = (remembered / "quick" / "danger-signs" / "index.html").read_text(encoding="utf-8")
    assert SIGN_WORD in quick


@pytest.mark.parametrize(("dirty", "kept"), [(False, True), (True, False)])
def test_serve_dirty_leaves_the_site_folder_to_mkdocs(monkeypatch, dirty, kept):
    """`mkdocs serve --dirty` rebuilds only pages whose source changed and leaves the others as they are: the
    preview must not sweep those as "not written by this build"."""
    from cloudpeds.adapters.manual_plugin import ManualPlugin

    monkeypatch.delenv("CLOUDPEDS_PREVIEW_MEMO", raising=False)
    plugin = ManualPlugin()
    plugin.on_startup(command="serve", dirty=dirty)
    try:
        assert plugin.memo is not None and (plugin.kept_site is not None) is kept
    finally:
        plugin.on_shutdown()
