"""Search: tokenizer parity (Python and JS), synonyms, documents, ranking and recall."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from lunr.index import Index

from cloudpeds.manual.pages import Layout
from cloudpeds.manual.validate import check
from cloudpeds.search.documents import sections_of
from cloudpeds.search.indexer import build_index, compact, count_terms, exact_names, expand, stored
from cloudpeds.search.query import ranked
from cloudpeds.search.shards import decode_shard, encode_shard, pack_docs, pack_terms, shard_key, unpack_docs
from cloudpeds.search.site import documents
from cloudpeds.search.synonyms import Synonyms, load_synonyms
from cloudpeds.search.tokenizer import tokenize

ROOT = Path(__file__).resolve().parents[2]
VECTORS = json.loads((ROOT / "tests" / "fixtures" / "tokenizer-vectors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", VECTORS, ids=[c["text"] for c in VECTORS])
def test_python_tokenizer_vectors(case):
    assert list(tokenize(case["text"])) == case["tokens"]


def test_js_tokenizer_gives_identical_tokens():
    texts = [case["text"] for case in VECTORS]
    result = subprocess.run(["node", str(ROOT / "tests" / "node" / "tokenize.js")], input=json.dumps(texts),
                            capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == [list(tokenize(text)) for text in texts]


def test_synonyms_expand_whole_words_only():
    synonyms = Synonyms()
    synonyms.add_group(["惊厥", "抽筋", "convulsion", "fit"])
    assert synonyms.expand("孩子抽筋了") == ["惊厥", "convulsion", "fit"]
    assert synonyms.expand("the benefit of") == []
    synonyms.add_group(["惊厥", "惊风"])  # a chapter's synonyms join the group of its title
    assert "惊风" in synonyms.group_of("fit")


def test_documents_get_the_synonyms_of_their_own_language():
    from cloudpeds.search.site import written_in

    base = Synonyms()
    base.add_group(["发热", "发烧", "fever", "high temperature", "pyrexia"])
    base.adds = written_in("zh")
    assert base.expand("患儿发热两天") == ["发烧", "fever", "pyrexia"]  # Chinese and single Latin words
    base.adds = written_in("en")
    assert base.expand("fever for two days") == ["high temperature", "pyrexia"]  # never Chinese


def test_synonym_file_problems_have_lines(tmp_path):
    path = tmp_path / "synonyms.yml"
    path.write_text("groups:\n  - [发热, 发烧]\n  - [发烧, fever]\n  - 腹泻\n", encoding="utf-8")
    _, problems = load_synonyms(path, tmp_path)
    assert [(p.line, p.severity.value) for p in problems] == [(3, "warning"), (4, "error")]


def test_sections_are_split_at_h2_and_skip_scripts():
    html = ('<h1>T</h1><p>intro</p><h2 id="a">Alpha<a class="headerlink" href="#a">¶</a></h2><p>one</p>'
            '<script>var x = "no";</script><h2 id="b">Beta</h2><svg><text>no</text></svg><p>two</p>')
    assert [(s.anchor, s.heading, s.text) for s in sections_of(html)] == [("a", "Alpha", "one"), ("b", "Beta", "two")]


def test_compact_index_restores_lunrs_index():
    manual, _ = check(ROOT / "manual", root=ROOT, today=dt.date(2026, 11, 25))
    docs = documents(manual, Layout(), "en", manual.synonyms, {}, {}, [])
    original = json.loads(json.dumps(build_index(docs).serialize()))  # lunr.py's Builder
    restored = expand(json.loads(json.dumps(compact(count_terms(docs), docs))), [doc.kind for doc in docs])
    assert restored["invertedIndex"] == original["invertedIndex"]
    vectors = dict(original["fieldVectors"])
    for key, values in restored["fieldVectors"]:
        assert values[0::2] == vectors[key][0::2], key  # the same terms
        assert values[1::2] == pytest.approx(vectors[key][1::2], abs=0.0011), key  # lunr.py rounds half-even


def _sample_docs(lang: str):
    manual, _ = check(ROOT / "manual", root=ROOT, today=dt.date(2026, 11, 25))
    return documents(manual, Layout(), lang, manual.synonyms, {}, {}, [])


def _one_term(index, term: str) -> list[tuple[str, float]]:
    query = index.create_query()
    query.term(term, use_pipeline=False)
    return [(hit["ref"], round(hit["score"], 6)) for hit in index.query(query)]


def test_a_common_term_keeps_its_best_postings_with_exact_weights():
    docs = _sample_docs("en")
    kinds = [doc.kind for doc in docs]
    whole = compact(count_terms(docs), docs)
    pruned = compact(count_terms(docs), docs, max_postings=5)
    common = max(whole["terms"], key=lambda entry: entry[2])
    assert common[2] > 5
    entry = next(e for e in pruned["terms"] if e[0] == common[0])
    assert entry[2] == common[2]  # the true number of postings, for lunr's IDF
    refs = set()
    for group in entry[3:]:
        ref = 0
        for value in group[1:]:
            if value >= 0:
                ref += value
                refs.add(ref)
    assert len(refs) == 5
    full_hits = _one_term(Index.load(expand(whole, kinds)), common[0])
    pruned_hits = _one_term(Index.load(expand(pruned, kinds)), common[0])
    assert pruned_hits == full_hits[:5]  # the first five results: same documents, same scores
    rare = [e for e in whole["terms"] if e[2] <= 5]
    assert [e for e in pruned["terms"] if e[2] <= 5] == rare  # terms under the limit are untouched


def test_shards_hold_whole_keys_in_order():
    docs = _sample_docs("zh")
    terms = compact(count_terms(docs), docs)["terms"]
    shards, keys = pack_terms(terms, target=500)
    assert len(shards) > 3
    assert [entry for shard in shards for entry in shard] == terms  # nothing lost, order kept
    for number, shard in enumerate(shards):
        assert all(keys[shard_key(entry[0])] == number for entry in shard)
    assert shard_key("发热") == "发" and shard_key("wheez") == "wh" and shard_key("38.5") == "38"


def test_shard_encoding_round_trips_with_sorted_numbering():
    docs = _sample_docs("en")
    terms = compact(count_terms(docs), docs, max_postings=5)["terms"]
    shards, _ = pack_terms(terms, target=400)
    base = 0
    for shard in shards:
        encoded = json.loads(json.dumps(encode_shard(shard)))
        decoded = decode_shard(encoded, base)
        assert [[e[0], e[2], *e[3:]] for e in decoded] == [[e[0], e[2], *e[3:]] for e in shard]
        assert [e[1] for e in decoded] == list(range(base, base + len(shard)))
        script = ("const core = require(process.argv[1]); const [data, base] = JSON.parse(process.argv[2]);"
                  "process.stdout.write(JSON.stringify(core.decodeShard(data, base)));")
        result = subprocess.run(["node", "-e", script, str(ROOT / "theme" / "assets" / "search-core.js"),
                                 json.dumps([encoded, base])], capture_output=True, text=True, check=True)
        assert json.loads(result.stdout) == decoded
        base += len(shard)


def test_result_list_packs_and_unpacks():
    rows = [stored(doc)[:4] for doc in _sample_docs("zh")]
    packed = pack_docs(rows)
    assert unpack_docs(packed) == rows
    assert sum(isinstance(doc[0], int) for doc in packed) > len(rows) / 2  # most sit on a chapter page
    script = ("const core = require(process.argv[1]); let input = '';"
              "process.stdin.on('data', d => input += d); process.stdin.on('end', () =>"
              " process.stdout.write(JSON.stringify(core.unpackDocs(JSON.parse(input)))));")
    result = subprocess.run(["node", "-e", script, str(ROOT / "theme" / "assets" / "search-core.js")],
                            input=json.dumps(packed), capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == rows


@pytest.fixture(scope="module")
def indexes():
    manual, _ = check(ROOT / "manual", root=ROOT, today=dt.date(2026, 11, 25))
    out = {}
    for lang in ("zh", "en"):
        docs = documents(manual, Layout(), lang, manual.synonyms, {}, {}, [])
        shipped = expand(json.loads(json.dumps(compact(count_terms(docs), docs))), [doc.kind for doc in docs])
        out[lang] = (docs, Index.load(shipped), exact_names(docs))  # the index as the site ships it
    return out


RECALL = {
    "zh": {
        "发热": "fever", "发烧": "fever", "高烧": "fever", "体温 38.5": "fever",
        "抽筋": "convulsions", "抽搐": "convulsions", "惊厥": "convulsions", "热性惊厥": "convulsions",
        "拉肚子": "diarrhoea", "腹泻": "diarrhoea", "脱水": "diarrhoea", "口服补液盐": "diarrhoea",
        "咳嗽": "cough", "咳": "cough", "呼吸困难": "cough", "肺炎": "cough",
        "喘": "wheeze", "喘息": "wheeze", "哮喘": "wheeze",
        "呕吐": "vomiting", "吐奶": "vomiting", "吐绿水": "vomiting",
        "肚子痛": "abdominal-pain", "腹痛": "abdominal-pain", "肠套叠": "abdominal-pain",
        "出疹子": "rash", "皮疹": "rash", "疹": "rash", "手足口病": "rash",
        "黄疸": "neonatal-jaundice", "新生儿黄疸": "neonatal-jaundice",
        "哭闹": "crying-infant", "肠绞痛": "crying-infant",
        "发烧 抽筋": "convulsions",
    },
    "en": {
        "fever": "fever", "high temperature": "fever", "febrile": "fever",
        "fits": "convulsions", "seizure": "convulsions", "convulsion": "convulsions",
        "diarrhea": "diarrhoea", "diarrhoea": "diarrhoea", "dehydration": "diarrhoea",
        "wheeze": "wheeze", "wheezing": "wheeze", "whee": "wheeze", "asthma": "wheeze",
        "cough": "cough", "pneumonia": "cough",
        "vomiting": "vomiting", "bilious vomiting": "vomiting",
        "tummy ache": "abdominal-pain", "abdominal pain": "abdominal-pain", "intussusception": "abdominal-pain",
        "rash": "rash", "non-blanching rash": "rash", "hives": "rash",
        "jaundice": "neonatal-jaundice", "crying baby": "crying-infant", "colic": "crying-infant",
    },
}


@pytest.mark.parametrize(("lang", "query"), [(lang, q) for lang, table in RECALL.items() for q in table])
def test_recall_intended_chapter_in_top_3(indexes, lang, query):
    docs, index, names = indexes[lang]
    expected = RECALL[lang][query]
    chapters = []
    for ref in ranked(index, names, query):
        url = docs[int(ref)].url
        chapter = url.split("manual/", 1)[-1].split("/", 1)[0] if "manual/" in url else url
        if chapter not in chapters:
            chapters.append(chapter)
    assert expected in chapters[:3], (query, chapters[:5])


@pytest.mark.parametrize(("lang", "query", "chapter"), [
    ("zh", "发烧", "发热"), ("zh", "抽筋", "惊厥"), ("zh", "拉肚子", "腹泻"), ("en", "wheeze", "Wheeze"),
    ("en", "fever", "Fever"), ("zh", "黄疸", "新生儿黄疸"),
])
def test_a_symptom_name_lands_on_its_chapter_first(indexes, lang, query, chapter):
    docs, index, names = indexes[lang]
    first = docs[int(ranked(index, names, query)[0])]
    assert first.kind == "chapter" and first.title == chapter
