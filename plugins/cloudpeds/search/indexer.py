"""Build one lunr index per language with lunr.py and write it as a JavaScript file.

The index is loaded by lunr.js in the browser with ``lunr.Index.load`` — no index building on
the phone. Shipping it as ``.js`` (not JSON fetched by XHR) makes search work from ``file://``.
"""

from __future__ import annotations

import json
import math

from lunr import stop_word_filter
from lunr.builder import Builder
from lunr.pipeline import Pipeline
from lunr.stemmer import stemmer

from .documents import BOOSTS, SNIPPET_CHARS, SearchDoc
from .tokenizer import LATIN_WORD, normalise, tokenize

FIELDS = {"title": 10, "synonyms": 5, "text": 1}
CP_STEM = "cpStem"


def cp_stem(token, i=None, tokens=None):
    """Porter stemming for Latin words only; Chinese bigrams, numbers and units pass unchanged."""
    return stemmer(token, i, tokens) if LATIN_WORD.match(token.string) else token


Pipeline.register_function(cp_stem, CP_STEM)


def build_index(docs: list[SearchDoc]):
    builder = Builder()
    builder.pipeline.add(stop_word_filter.stop_word_filter, cp_stem)
    builder.search_pipeline.add(cp_stem)
    builder.ref("id")
    builder.metadata_whitelist = []
    for name, boost in FIELDS.items():
        builder.field(name, boost=boost, extractor=_extractor(name))
    for number, doc in enumerate(docs):
        builder.add({"id": str(number), "doc": doc}, attributes={"boost": doc.boost})
    index = builder.build()
    index.cp_term_frequencies = builder.field_term_frequencies
    return index


def _extractor(name: str):
    def extract(record: dict) -> list[str]:
        value = getattr(record["doc"], name)
        return tokenize(" ".join(value) if isinstance(value, list) else value)
    return extract


K1, B = 1.2, 0.75  # lunr's BM25 defaults


def compact(index, docs: list[SearchDoc]) -> dict:
    """The index without its field vectors, which are most of lunr's JSON: they are recomputed
    on the phone (``expand``; search-core.js ``expandIndex``) from term frequencies and field
    lengths, a single pass over the postings. Postings are delta-encoded refs; a negative number
    after a ref is its term frequency when above 1."""
    serialised = index.serialize()
    fields = serialised["fields"]
    frequencies: dict[str, dict[str, int]] = {}  # "field/ref" → term → tf
    lengths = {name: [0] * len(docs) for name in fields}
    for field_ref, term_frequencies in _term_frequencies(index).items():
        frequencies[field_ref] = term_frequencies
        name, ref = field_ref.split("/", 1)
        lengths[name][int(ref)] = sum(term_frequencies.values())
    terms = []
    for term, posting in serialised["invertedIndex"]:
        entry: list = [term, posting["_index"]]  # the term's number in the field vectors
        for number, name in enumerate(fields):
            refs = sorted(int(ref) for ref in posting.get(name) or {})
            if not refs:
                continue
            group, previous = [number], 0
            for ref in refs:
                group.append(ref - previous)
                previous = ref
                tf = frequencies[f"{name}/{ref}"][term]
                if tf > 1:
                    group.append(-tf)
            entry.append(group)
        terms.append(entry)
    return {"version": serialised["version"], "fields": fields, "pipeline": serialised["pipeline"],
            "terms": terms, "lengths": [lengths[name] for name in fields],
            "fieldBoosts": [FIELDS[name] for name in fields]}


def _term_frequencies(index) -> dict[str, dict[str, int]]:
    # lunr.py keeps the builder's frequencies on the index it builds (see build_index).
    return index.cp_term_frequencies


def expand(data: dict, kinds: list[str]) -> dict:
    """Restore a lunr index from :func:`compact` (the same arithmetic as search-core.js)."""
    fields, lengths = data["fields"], data["lengths"]
    document_count = len(kinds)
    average = [sum(row) / document_count for row in lengths]
    vectors: dict[tuple[int, int], list] = {(f, r): [] for r in range(document_count) for f in range(len(fields))}
    inverted = []
    for entry in data["terms"]:
        term, term_index, groups = entry[0], entry[1], entry[2:]
        posting: dict = {"_index": term_index, **{name: {} for name in fields}}
        postings: list[tuple[int, int, int]] = []
        for group in groups:
            field, ref = group[0], 0
            for value in group[1:]:
                if value < 0:
                    postings[-1] = (field, postings[-1][1], -value)
                else:
                    ref += value
                    postings.append((field, ref, 1))
                    posting[fields[field]][str(ref)] = {}
        inverted.append([term, posting])
        x = (document_count - len(postings) + 0.5) / (len(postings) + 0.5)
        idf = math.log(1 + abs(x))
        for field, ref, tf in postings:
            norm = K1 * (1 - B + B * (lengths[field][ref] / average[field])) + tf
            score = idf * ((K1 + 1) * tf) / norm * data["fieldBoosts"][field] * BOOSTS[kinds[ref]]
            vectors[(field, ref)] += [term_index, math.floor(score * 1000 + 0.5) / 1000]
    field_vectors = []
    for (field, ref), values in sorted(vectors.items(), key=lambda item: (item[0][1], item[0][0])):
        pairs = sorted(zip(values[0::2], values[1::2], strict=True))
        field_vectors.append([f"{fields[field]}/{ref}", [v for pair in pairs for v in pair]])
    return {"version": data["version"], "fields": fields, "fieldVectors": field_vectors,
            "invertedIndex": inverted, "pipeline": data["pipeline"]}


def stored(doc: SearchDoc) -> list[str]:
    """What the client needs to show a result: url, kind, title, chapter, text for the snippet."""
    return [doc.url, doc.kind, doc.title, doc.chapter, doc.text[:SNIPPET_CHARS]]


def exact_names(docs: list[SearchDoc]) -> dict[str, int]:
    """Normalised name → document number; a chapter's own title and synonyms win over group terms."""
    names: dict[str, int] = {}
    for attribute in ("names", "group_names"):
        for number, doc in enumerate(docs):
            for name in getattr(doc, attribute):
                names.setdefault(normalise(name).strip(), number)
    return names


def index_script(lang: str, docs: list[SearchDoc]) -> str:
    payload = {"index": compact(build_index(docs), docs), "docs": [stored(doc) for doc in docs],
               "names": exact_names(docs), "boosts": BOOSTS}
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (f"/* cloudpeds search index ({lang}); generated, do not edit */\n"
            f"(window.cpSearchData=window.cpSearchData||{{}})[{json.dumps(lang)}]={data};\n")
