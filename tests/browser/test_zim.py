"""`cloudpeds zim` on the sample: read back with libzim (entries, metadata, redirects, full-text and title search in
Chinese and English), then served by Debian's kiwix-serve and a chapter opened in Chromium: no console error, no
request outside the server. One ZIM (both languages, with video) per module."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from ..conftest import ROOT
from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

libzim = pytest.importorskip("libzim")
from libzim.reader import Archive  # noqa: E402
from libzim.search import Query, Searcher  # noqa: E402
from libzim.suggestion import SuggestionSearcher  # noqa: E402

KIWIX_SERVE = shutil.which("kiwix-serve")
METADATA = ("Name", "Title", "Description", "Language", "Creator", "Publisher", "Date", "Tags",
            "Illustration_48x48@1")


@pytest.fixture(scope="module")
def zim_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("zim") / "cloudpeds.zim"
    result = subprocess.run([sys.executable, "-m", "cloudpeds.cli", "zim", "--with-video", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, check=False, timeout=1200,
                            env={**os.environ, "CLOUDPEDS_LANG": "en", "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Wrote" in result.stdout
    return out


@pytest.fixture(scope="module")
def archive(zim_file: Path) -> Archive:
    return Archive(str(zim_file))


def _paths(archive: Archive) -> set[str]:
    return {archive._get_entry_by_id(i).path for i in range(archive.all_entry_count)}


def test_every_chapter_quick_reference_and_course_page_is_in_it(archive: Archive):
    paths = _paths(archive)
    from cloudpeds.manual.validate import check

    manual, _ = check(ROOT / "manual", root=ROOT)
    for lang, prefix in (("zh", ""), ("en", "en/")):
        for chapter_id in manual.chapters[lang]:
            assert f"{prefix}manual/{chapter_id}.html" in paths
        for name in ("danger-signs", "referrals", "a-z"):
            assert f"{prefix}quick/{name}.html" in paths
        assert f"{prefix}courses/index.html" in paths
    assert any(p.startswith("courses/fever-in-the-community/") for p in paths)
    assert any(p.endswith("/poster.webp") for p in paths) and any(p.endswith("/poster.jpg") for p in paths)
    # Video at 240p only: the rung, a master playlist naming only it, a 240p MP4.
    assert any("/240p/" in p for p in paths) and not any(f"/{r}/" in p for p in paths for r in ("360p", "720p"))
    master = next(p for p in paths if p.endswith("master.m3u8"))
    text = bytes(archive.get_entry_by_path(master).get_item().content).decode()
    assert "240p/index.m3u8" in text and "360p" not in text
    # Nothing for servers or editors.
    assert not any(p.endswith((".gz", ".br")) or p.startswith("api/") or "guide/editors" in p for p in paths)
    fever = bytes(archive.get_entry_by_path("manual/fever.html").get_item().content).decode()
    assert "<svg" in fever and "cp-fc" in fever  # the flowchart, drawn at build time
    assert "cp-disclaimer" in fever  # the sample disclaimer travels with the page


def test_metadata_main_page_and_illustration(archive: Archive):
    for key in METADATA:
        assert key in archive.metadata_keys, key
        assert archive.get_metadata(key), key
    assert archive.get_metadata("Language").decode() == "zho,eng"
    assert archive.get_metadata("Name").decode() == "cloudpeds_mul_all"
    assert len(archive.get_metadata("Title").decode()) <= 30
    assert len(archive.get_metadata("Description").decode()) <= 80
    assert "_videos:yes" in archive.get_metadata("Tags").decode()
    assert archive.has_illustration(48)
    png = bytes(archive.get_illustration_item(48).content)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(png)).size == (48, 48)
    assert archive.has_main_entry and archive.main_entry.get_item().path == "index.html"
    assert archive.has_fulltext_index and archive.has_title_index


def test_synonyms_are_redirects_to_their_chapter(archive: Archive):
    entry = archive.get_entry_by_path("names/发烧")
    assert entry.is_redirect and entry.get_redirect_entry().path == "manual/fever.html"
    assert entry.title == "发烧"
    assert archive.get_entry_by_title("发热").get_item().path == "manual/fever.html"


@pytest.mark.parametrize(("query", "page"), [("发热", "manual/fever.html"), ("fever", "en/manual/fever.html"),
                                             ("惊厥", "manual/convulsions.html")])
def test_full_text_and_title_search(archive: Archive, query: str, page: str):
    search = Searcher(archive).search(Query().set_query(query))
    assert page in list(search.getResults(0, 10))
    suggestion = SuggestionSearcher(archive).suggest(query)
    assert page in list(suggestion.getResults(0, 10))


def test_a_synonym_is_found_by_title_suggestion(archive: Archive):
    found = list(SuggestionSearcher(archive).suggest("发烧").getResults(0, 10))
    assert "names/发烧" in found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def kiwix(zim_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if KIWIX_SERVE is None:
        pytest.skip("needs kiwix-serve (Debian package kiwix-tools)")
    port = _free_port()
    log = tmp_path_factory.mktemp("kiwix") / "kiwix.log"
    with log.open("wb") as stream:
        process = subprocess.Popen([KIWIX_SERVE, "--address=127.0.0.1", f"--port={port}", str(zim_file)],
                                   stdin=subprocess.DEVNULL, stdout=stream, stderr=stream)
    try:
        deadline = time.monotonic() + 120
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "kiwix-serve did not start: " + log.read_text(errors="replace")
            time.sleep(0.2)
        # kiwix-serve 3.x serves a book's entries at /<book name>/<path>; the name comes from the file name.
        yield f"http://127.0.0.1:{port}/{zim_file.stem}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


@pytest.mark.parametrize("page", ["manual/fever.html", "en/manual/fever.html"])
def test_a_chapter_served_by_kiwix_serve_opens_cleanly_in_chromium(kiwix: str, page: str, playwright_session):
    origin = kiwix.split("/", 3)[:3]
    origin = "/".join(origin)
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        view = browser.new_page(viewport=PHONE)
        problems: list[str] = []
        requests: list[str] = []
        view.on("console", lambda m: m.type in ("error", "warning") and problems.append(f"console {m.type}: {m.text}"))
        view.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        view.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        view.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
        view.on("request", lambda r: requests.append(r.url))
        view.goto(kiwix + page, wait_until="load", timeout=120_000)
        view.wait_for_load_state("networkidle", timeout=120_000)
        assert view.locator("h1").first.inner_text(timeout=60_000)
        assert view.locator(".cp-disclaimer").first.is_visible()
        assert view.locator("svg.cp-fc-svg").count() >= 1
        outside = [url for url in requests if not (url.startswith(origin + "/") or url.startswith(("data:", "blob:")))]
        assert outside == []
        assert problems == []
    finally:
        browser.close()
