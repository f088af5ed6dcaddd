"""Printed pages (clinics print chapters and charts for the wall): the sample disclaimer, the edition and its
date on every printed page, in the page's language. Chromium prints to PDF; pdftotext (poppler-utils) reads it."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.browser

PDFTOTEXT = shutil.which("pdftotext")
EXPECTED = {
    "/manual/fever/": ("示例内容，仅供演示本软件，不得用于临床。", "2018 试行版", "2018-06-01"),
    "/en/manual/cough/": ("Sample content for demonstrating this software. Not for clinical use.",
                          "2018 trial edition", "2018-06-01"),
}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.skipif(PDFTOTEXT is None, reason="needs pdftotext (Debian package poppler-utils: make system-deps)")
@pytest.mark.parametrize("path", EXPECTED)
def test_every_printed_page_carries_the_disclaimer_edition_and_date(served_site, browser_context, tmp_path, path):
    page = browser_context.new_page()
    page.goto(served_site + path, wait_until="load")
    pdf = tmp_path / "page.pdf"
    page.pdf(path=str(pdf), format="A4")
    page.close()
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2
    for number, printed in enumerate(pages, 1):
        for expected in EXPECTED[path]:
            assert squeeze(expected) in squeeze(printed), f"page {number} lacks {expected!r}"


@pytest.mark.parametrize("path", EXPECTED)
def test_print_media_shows_the_note_and_the_whole_summary(served_site, browser_context, path):
    page = browser_context.new_page()
    page.goto(served_site + path, wait_until="load")
    note = page.locator(".cp-print-note")
    assert not note.is_visible()
    page.emulate_media(media="print")
    assert note.is_visible()
    assert all(part in note.inner_text() for part in EXPECTED[path])
    assert page.locator(".cp-intro .cp-summary").evaluate("e => e.scrollHeight <= e.clientHeight + 1")
    page.close()
