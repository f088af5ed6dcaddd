"""The built search index: lunr.js (Node), loading only the shards a query needs, ranks exactly as
lunr.py does over the whole index."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from lunr.index import Index

from cloudpeds.search.indexer import expand
from cloudpeds.search.query import ranked, search
from cloudpeds.search.shards import decode_levels, decode_shard, read_shard, shard_key, unpack_docs

from ..conftest import ROOT

pytestmark = pytest.mark.build

QUERIES = {
    "zh": ["发热", "发烧", "抽筋", "拉肚子", "呼吸困难", "热", "喘", "38.5", "3月龄", "口服补液盐", "紧急转诊",
           "颈项强直", "发烧 抽筋", "SpO2", "手足口病"],
    "en": ["fever", "wheeze", "whee", "diarrhea", "fits", "38.5", "non-blanching rash", "refer", "paracetamol",
           "capillary refill", "3 months", "tummy ache"],
}


def entry(site: Path, lang: str) -> dict:
    return read_shard((site / "search" / f"index.{lang}.js").read_text(encoding="utf-8"))


def whole_index(site: Path, lang: str) -> tuple[dict, list[list[str]], list[str]]:
    """The entry file's compact index with the terms of every shard put back, the result docs with
    their texts, and the kinds."""
    data = entry(site, lang)
    terms = [term for name, base in zip(data["terms"], data["termBase"], strict=True)
             for term in decode_shard(read_shard((site / "search" / name).read_text("utf-8")), base)]
    texts = [text for name in data["texts"] for text in read_shard((site / "search" / name).read_text("utf-8"))]
    docs = [[*doc, text] for doc, text in zip(unpack_docs(data["docs"]), texts, strict=True)]
    return {**data["index"], "terms": terms}, docs, [doc[1] for doc in docs]


def node_search(site: Path, lang: str) -> dict:
    result = subprocess.run(["node", str(ROOT / "tests" / "node" / "search_query.js"), str(site / "search"), lang,
                             json.dumps(QUERIES[lang])], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lunr_js_loading_shards_ranks_like_lunr_py_over_the_whole_index(sample_site, lang):
    compact, _, kinds = whole_index(sample_site, lang)
    index = Index.load(expand(compact, kinds))
    data = entry(sample_site, lang)
    names, levels, scale = data["names"], decode_levels(data["levels"]), data["scale"]
    assert levels and scale  # danger signs and referrals carry their level
    from_js = node_search(sample_site, lang)["results"]
    for query in QUERIES[lang]:
        assert from_js[query], f"no results for {query!r}"
        assert [ref for ref, _ in from_js[query]] == ranked(index, names, query, levels, scale), query
        scores = dict(search(index, query))
        for ref, js_score in from_js[query]:
            if js_score != "exact":
                assert js_score == pytest.approx(scores[ref], rel=1e-6, abs=1e-6), (query, ref)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_query_loads_only_the_shards_of_its_terms(sample_site, lang):
    data = entry(sample_site, lang)
    result = node_search(sample_site, lang)
    for query in QUERIES[lang]:
        assert 1 <= len(result["shards"][query]) <= len(data["terms"]), query
    if lang == "zh":  # the English sample index fits in one shard
        assert len(data["terms"]) >= 2, "the Chinese sample index should span several shards"
        assert min(len(result["shards"][query]) for query in QUERIES[lang]) < len(data["terms"])
    assert set(result["shards"]["发烧" if lang == "zh" else "fever"]) == {
        data["keys"][shard_key("发烧" if lang == "zh" else "fever")]}
    assert all(result["texts"][query] for query in QUERIES[lang])  # snippets load for the top results


def test_index_files_and_lunr_are_in_the_site(sample_site):
    for lang in ("zh", "en"):
        text = (sample_site / "search" / f"index.{lang}.js").read_text(encoding="utf-8")
        assert text.startswith("/* cloudpeds search index")
        data = entry(sample_site, lang)
        for name in data["terms"] + data["texts"]:
            assert name.startswith(f"{lang}/") and (sample_site / "search" / name).is_file()
    lunr_js = next((sample_site / "assets" / "vendor").glob("lunr.min*.js"))  # hashed in the cdn build
    assert lunr_js.stat().st_size > 20_000
    _, docs, _ = whole_index(sample_site, "zh")
    urls = {doc[0] for doc in docs}
    assert "manual/fever/" in urls and "manual/fever/#fever-ds-young-infant" in urls
    kinds = {doc[1] for doc in docs}
    assert {"chapter", "danger-sign", "referral", "recommendation", "flowchart", "section", "course",
            "lesson"} <= kinds
    assert any(doc[1] == "course" and doc[0] == "courses/fever-in-the-community/" for doc in docs)
    lessons = [doc for doc in docs if doc[1] == "lesson"]
    assert any("对乙酰氨基酚" in doc[4] for doc in lessons)  # caption text is searchable
