"""The built search index: lunr.js (Node) reads what lunr.py wrote and ranks exactly alike."""

from __future__ import annotations

import json
import subprocess

import pytest
from lunr.index import Index

from cloudpeds.search.indexer import expand
from cloudpeds.search.query import search

from ..conftest import ROOT

pytestmark = pytest.mark.build

QUERIES = {
    "zh": ["发热", "发烧", "抽筋", "拉肚子", "呼吸困难", "热", "喘", "38.5", "3月龄", "口服补液盐", "紧急转诊",
           "颈项强直", "发烧 抽筋", "SpO2", "手足口病"],
    "en": ["fever", "wheeze", "whee", "diarrhea", "fits", "38.5", "non-blanching rash", "refer", "paracetamol",
           "capillary refill", "3 months", "tummy ache"],
}


def payload(site, lang: str) -> dict:
    text = (site / "search" / f"index.{lang}.js").read_text(encoding="utf-8")
    return json.loads(text.split("]=", 1)[1].rstrip().rstrip(";"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lunr_js_reads_the_lunr_py_index_and_ranks_alike(sample_site, lang):
    data = payload(sample_site, lang)
    index = Index.load(expand(data["index"], [doc[1] for doc in data["docs"]]))
    expected = {query: [[ref, round(score, 6)] for ref, score in search(index, query)] for query in QUERIES[lang]}
    result = subprocess.run(["node", str(ROOT / "tests" / "node" / "search_query.js"),
                             str(sample_site / "search" / f"index.{lang}.js"), lang, json.dumps(QUERIES[lang])],
                            capture_output=True, text=True, check=True)
    from_js = json.loads(result.stdout)["results"]
    for query in QUERIES[lang]:
        assert from_js[query], f"no results for {query!r}"
        js_refs = [ref for ref, _ in from_js[query]]
        py_refs = [ref for ref, _ in expected[query]]
        assert js_refs == py_refs, query
        for (_, js_score), (_, py_score) in zip(from_js[query], expected[query], strict=True):
            assert js_score == pytest.approx(py_score, rel=1e-6, abs=1e-6)


def test_index_files_and_lunr_are_in_the_site(sample_site):
    for lang in ("zh", "en"):
        text = (sample_site / "search" / f"index.{lang}.js").read_text(encoding="utf-8")
        assert text.startswith("/* cloudpeds search index")
    assert (sample_site / "assets" / "vendor" / "lunr.min.js").stat().st_size > 20_000
    data = payload(sample_site, "zh")
    urls = {doc[0] for doc in data["docs"]}
    assert "manual/fever/" in urls and "manual/fever/#fever-ds-young-infant" in urls
    kinds = {doc[1] for doc in data["docs"]}
    assert {"chapter", "danger-sign", "referral", "recommendation", "flowchart", "section", "lesson"} <= kinds
    lessons = [doc for doc in data["docs"] if doc[1] == "lesson"]
    assert any("对乙酰氨基酚" in doc[4] for doc in lessons)  # caption text is searchable
