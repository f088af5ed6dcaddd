"""The host engine can change: ProperDocs 1.6 (the continuation of MkDocs 1.x) builds the sample unchanged.

``properdocs build`` finds our plugins under the ``mkdocs.plugins`` entry points and Material under
``mkdocs.themes`` (ProperDocs reads both its own groups and MkDocs'), and answers every ``mkdocs.*`` import with
``properdocs.*`` (``properdocs.replacement``). Compared with the MkDocs build (``sample_site``): the same files,
the same main content on every page, and whole pages equal except the generator ``<meta>`` (and ``sw.js``,
whose revisions hash the pages).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT

PROPERDOCS = shutil.which("properdocs", path=str(Path(sys.executable).parent)) or shutil.which("properdocs")
pytestmark = pytest.mark.skipif(PROPERDOCS is None, reason="needs ProperDocs (pip install properdocs)")

ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


def _run(args: list[str], env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env_extra or {})}
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env, check=False, timeout=900)


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("properdocs") / "site"
    result = _run([str(PROPERDOCS), "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site), "--strict"])
    assert result.returncode == 0, result.stderr
    return site


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_same_page_set(sample_site: Path, properdocs_site: Path):
    assert len(_pages(sample_site)) > 20
    assert _pages(properdocs_site) == _pages(sample_site)
    assert _files(properdocs_site) == _files(sample_site)


def test_same_main_content_on_every_page(sample_site: Path, properdocs_site: Path):
    with_article = 0
    for rel in _pages(sample_site):
        ours = (sample_site / rel).read_text(encoding="utf-8")
        theirs = (properdocs_site / rel).read_text(encoding="utf-8")
        assert ARTICLE.findall(theirs) == ARTICLE.findall(ours), rel
        with_article += bool(ARTICLE.search(ours))
        assert GENERATOR.sub("", theirs) == GENERATOR.sub("", ours), rel
    assert with_article > 20


def test_material_and_our_plugins_ran_under_properdocs(properdocs_site: Path):
    page = (properdocs_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<meta name="generator" content="[^"]*ProperDocs[^"]*mkdocs-material', page)
    assert (properdocs_site / "search").is_dir() and (properdocs_site / "sw.js").is_file()  # search, delivery
    assert "cp-disclaimer" in page  # the manual plugin


def test_cloudpeds_build_engine_properdocs(tmp_path: Path):
    site = tmp_path / "site"
    result = _run([sys.executable, "-m", "cloudpeds.cli", "build", "--engine", "properdocs", "-d", str(site)])
    assert result.returncode == 0, result.stderr
    assert "ProperDocs" in (site / "index.html").read_text(encoding="utf-8")
