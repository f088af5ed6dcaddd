"""The offline bundle: `cloudpeds bundle` writes it, `--verify` catches a changed byte or a missing file,
and the site inside works from file:// (search, lessons as MP4)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ..conftest import ROOT

pytestmark = pytest.mark.build


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cloudpeds.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, check=False)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "offline.zip"
    result = cli("bundle", "--out", str(out), "--edition", "test", "--date", "2026-11-25")
    assert result.returncode == 0, result.stderr
    return out


def test_bundle_verifies_and_has_no_streaming_files(bundle):
    result = cli("bundle", "--verify", str(bundle))
    assert result.returncode == 0 and "OK" in result.stdout
    names = zipfile.ZipFile(bundle).namelist()
    assert "index.html" in names and "manual/fever.html" in names and "cloudpeds-bundle.json" in names
    assert any(name.endswith("offline.mp4") for name in names)
    assert not [name for name in names if name.endswith((".ts", ".m3u8"))]
    assert bundle.stat().st_size < 10_000_000


def _rewrite(source: Path, target: Path, change) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info, data)


def test_verify_catches_a_changed_byte_and_a_removed_file(bundle, tmp_path):
    altered = tmp_path / "altered.zip"
    _rewrite(bundle, altered, lambda name, data: (data[:-1] + b"!") if name == "manual/fever.html" else data)
    result = cli("bundle", "--verify", str(altered))
    assert result.returncode == 1 and "altered: manual/fever.html" in result.stderr
    missing = tmp_path / "missing.zip"
    _rewrite(bundle, missing, lambda name, data: None if name == "en/manual/rash.html" else data)
    result = cli("bundle", "--verify", str(missing))
    assert result.returncode == 1 and "missing: en/manual/rash.html" in result.stderr


def test_bundle_names_the_working_edition_and_its_date_by_default():
    import datetime as dt

    from cloudpeds.cli import _working_edition

    assert _working_edition(ROOT / "mkdocs.yml") == ("2018", dt.date(2018, 6, 1))  # from manual/editions.yml


def folder_or_missing_links(bundle: Path) -> dict[str, list[str]]:
    """Links (``<a href>``) of the bundle's pages that point at a folder (from file:// a folder URL shows a file
    listing, not the page) or at no file of the bundle: link → the pages that have it."""
    import posixpath
    import re
    from urllib.parse import unquote, urlsplit

    archive = zipfile.ZipFile(bundle)
    names = set(archive.namelist())
    found: dict[str, list[str]] = {}
    for name in sorted(n for n in names if n.endswith(".html")):
        text = archive.read(name).decode("utf-8")
        for href in re.findall(r'<a\b[^>]*?\bhref="([^"]*)"', text):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, or an anchor on the same page
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path)))
            if parts.path.endswith("/") or target not in names:
                found.setdefault(href, []).append(name)
    return found


def test_every_link_of_every_bundle_page_opens_a_file(bundle):
    assert folder_or_missing_links(bundle) == {}
