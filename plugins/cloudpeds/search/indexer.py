"""Build one lunr index per language with lunr.py and write it as a JavaScript file.

The index is loaded by lunr.js in the browser with ``lunr.Index.load`` — no index building on
the phone. Shipping it as ``.js`` (not JSON fetched by XHR) makes search work from ``file://``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import lunr
from lunr import stop_word_filter
from lunr.builder import Builder
from lunr.pipeline import Pipeline
from lunr.stemmer import stemmer

from ..clinical import urgency
from .documents import BOOSTS, SNIPPET_CHARS, SearchDoc
from .shards import ShardFile, shard_files
from .tokenizer import LATIN_WORD, normalise, tokenize

FIELDS = {"title": 10, "synonyms": 5, "text": 1}
CP_STEM = "cpStem"


def cp_stem(token, i=None, tokens=None):
    """Porter stemming for Latin words only; Chinese bigrams, numbers and units pass unchanged."""
    return stemmer(token, i, tokens) if LATIN_WORD.match(token.string) else token


Pipeline.register_function(cp_stem, CP_STEM)
_STOP_WORDS = Pipeline()
_STOP_WORDS.add(stop_word_filter.stop_word_filter, cp_stem)


@functools.lru_cache(maxsize=200_000)
def index_terms(token: str) -> tuple[str, ...]:
    """What lunr's index pipeline (stop words, then cpStem) makes of one token; cached, because a
    manual repeats the same few thousand tokens millions of times."""
    return tuple(_STOP_WORDS.run_string(token))


@dataclass
class Counts:
    """What the shipped index is made of: for each term its number (as lunr assigns it: order of
    first appearance) and, per field, the (document, term frequency) pairs in document order;
    and every field's length in every document."""

    fields: list[str]
    postings: dict[str, tuple[int, list[list[tuple[int, int]]]]]
    lengths: list[list[int]]


def count_terms(docs: list[SearchDoc]) -> Counts:
    """The same inverted index and term frequencies as lunr.py's Builder (a test compares them), in
    one pass: lunr.py's Builder also computes field vectors, which we do not ship, at several
    times the cost."""
    fields = list(FIELDS)
    postings: dict[str, tuple[int, list[list[tuple[int, int]]]]] = {}
    lengths = [[0] * len(docs) for _ in fields]
    extractors = [_extractor(name) for name in fields]
    for number, doc in enumerate(docs):
        record = {"id": str(number), "doc": doc}
        for field, extract in enumerate(extractors):
            terms = extract(record)
            lengths[field][number] = len(terms)
            counted: dict[str, int] = {}
            for term in terms:
                counted[term] = counted.get(term, 0) + 1
            for term, tf in counted.items():
                entry = postings.get(term)
                if entry is None:
                    entry = postings[term] = (len(postings), [[] for _ in fields])
                entry[1][field].append((number, tf))
    return Counts(fields, postings, lengths)


def build_index(docs: list[SearchDoc]):
    """lunr.py's own Builder over the same tokens (the reference for tests and Python-side checks)."""
    builder = Builder()
    builder.search_pipeline.add(cp_stem)
    builder.ref("id")
    builder.metadata_whitelist = []
    for name, boost in FIELDS.items():
        builder.field(name, boost=boost, extractor=_extractor(name))
    for number, doc in enumerate(docs):
        builder.add({"id": str(number), "doc": doc}, attributes={"boost": doc.boost})
    return builder.build()


@functools.lru_cache(maxsize=65_536)
def _terms(text: str) -> list[str]:
    return [term for token in tokenize(text) for term in index_terms(token)]


def _extractor(name: str):
    def extract(record: dict) -> list[str]:
        value = getattr(record["doc"], name)
        return _terms(" ".join(value) if isinstance(value, list) else value)
    return extract


K1, B = 1.2, 0.75  # lunr's BM25 defaults
#: Documents kept per term: a term found in more keeps those where it weighs most (see compact).
MAX_POSTINGS = 300


def bm25(tf: int, length: int, average: float, df: int, documents: int, field_boost: float, boost: float) -> float:
    """lunr's field-vector weight of a term in one field of one document, rounded as lunr rounds it."""
    x = (documents - df + 0.5) / (df + 0.5)
    idf = math.log(1 + abs(x))
    norm = K1 * (1 - B + B * (length / average)) + tf
    return math.floor(idf * ((K1 + 1) * tf) / norm * field_boost * boost * 1000 + 0.5) / 1000


def compact(counts: Counts, docs: list[SearchDoc], max_postings: int = MAX_POSTINGS) -> dict:
    """The index without its field vectors, which are most of lunr's JSON: they are recomputed
    on the phone (``expand``; search-core.js ``expandIndex``) from term frequencies and field
    lengths, a single pass over the postings.

    Each term is ``[term, number, df, [field, ref delta, (-tf), ...], ...]``: refs are
    delta-encoded in document order; a negative number after a ref is its term frequency when above 1.
    ``df`` is the number of (document, field) postings the term has in the manual; a term in more than
    ``max_postings`` documents keeps only the postings of the documents where it weighs most (lunr's
    weights, summed over fields as lunr sums them). A one-term query so keeps its first ``max_postings``
    results exactly, scores and order; and since ``df`` stays the true count, every kept weight is
    lunr's. What is dropped are the weakest mentions of words found almost everywhere (转诊, 评估, sign),
    which cost the most to download and to search on a phone and never reach the first screen of results."""
    fields = counts.fields
    document_count = len(docs)
    averages = [sum(row) / document_count for row in counts.lengths]
    boosts = [FIELDS[name] for name in fields]
    doc_boosts = [doc.boost for doc in docs]
    terms = []
    for term in sorted(counts.postings):
        term_index, per_field = counts.postings[term]
        df = sum(len(pairs) for pairs in per_field)
        kept = per_field
        if df > max_postings:
            kept = _best_documents(per_field, max_postings, _field_weights(
                per_field, counts.lengths, averages, df, document_count, boosts, doc_boosts))
        entry: list = [term, term_index, df]  # the term's number in the field vectors; its true df
        for field, pairs in enumerate(kept):
            if not pairs:
                continue
            group, previous = [field], 0
            for ref, tf in pairs:  # in document order
                group.append(ref - previous)
                previous = ref
                if tf > 1:
                    group.append(-tf)
            entry.append(group)
        terms.append(entry)
    return {"version": lunr.__TARGET_JS_VERSION__, "fields": fields, "pipeline": [CP_STEM],
            "terms": terms, "lengths": counts.lengths, "fieldBoosts": boosts}


def _field_weights(per_field: list[list[tuple[int, int]]], lengths: list[list[int]], averages: list[float], df: int,
                   documents: int, field_boosts: list[float], doc_boosts: list[float]) -> list[list[float]]:
    """:func:`bm25` of every posting of one term, field by field: the same arithmetic, inlined (a
    500-chapter manual prunes two million postings)."""
    x = (documents - df + 0.5) / (df + 0.5)
    idf = math.log(1 + abs(x))
    floor, k1_plus = math.floor, K1 + 1
    out = []
    for field, pairs in enumerate(per_field):
        row, average, field_boost = lengths[field], averages[field], field_boosts[field]
        out.append([floor(idf * (k1_plus * tf) / (K1 * (1 - B + B * (row[ref] / average)) + tf) * field_boost
                          * doc_boosts[ref] * 1000 + 0.5) / 1000 for ref, tf in pairs])
    return out


def _best_documents(per_field: list[list[tuple[int, int]]], limit: int,
                    weights: list[list[float]]) -> list[list[tuple[int, int]]]:
    """The postings of the ``limit`` documents where the term weighs most (summed over fields, as lunr
    sums a document's field scores; ties: the earlier document)."""
    totals: dict[int, float] = {}
    for pairs, field_weights in zip(per_field, weights, strict=True):
        for (ref, _), weight in zip(pairs, field_weights, strict=True):
            totals[ref] = totals.get(ref, 0.0) + weight
    best = set(sorted(totals, key=lambda ref: (-totals[ref], ref))[:limit])
    return [[(ref, tf) for ref, tf in pairs if ref in best] for pairs in per_field]


def expand(data: dict, kinds: list[str]) -> dict:
    """Restore a lunr index from :func:`compact` (the same arithmetic as search-core.js)."""
    fields, lengths = data["fields"], data["lengths"]
    document_count = len(kinds)
    average = [sum(row) / document_count for row in lengths]
    vectors: dict[tuple[int, int], list] = {(f, r): [] for r in range(document_count) for f in range(len(fields))}
    inverted = []
    for entry in data["terms"]:
        term, term_index, df, groups = entry[0], entry[1], entry[2], entry[3:]
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
        for field, ref, tf in postings:
            vectors[(field, ref)] += [term_index, bm25(tf, lengths[field][ref], average[field], df, document_count,
                                                       data["fieldBoosts"][field], BOOSTS[kinds[ref]])]
    field_vectors = []
    for (field, ref), values in sorted(vectors.items(), key=lambda item: (item[0][1], item[0][0])):
        pairs = sorted(zip(values[0::2], values[1::2], strict=True))
        field_vectors.append([f"{fields[field]}/{ref}", [v for pair in pairs for v in pair]])
    return {"version": data["version"], "fields": fields, "fieldVectors": field_vectors,
            "invertedIndex": inverted, "pipeline": data["pipeline"]}


def stored(doc: SearchDoc) -> list[str]:
    """What the client needs to show a result: url, kind, title, chapter, text for the snippet."""
    shown = doc.text if doc.snippet is None else doc.snippet
    return [doc.url, doc.kind, doc.title, doc.chapter, shown[:SNIPPET_CHARS]]


def exact_names(docs: list[SearchDoc]) -> dict[str, int]:
    """Normalised name → document number; a chapter's own title and synonyms win over group terms."""
    names: dict[str, int] = {}
    for attribute in ("names", "group_names"):
        for number, doc in enumerate(docs):
            for name in getattr(doc, attribute):
                names.setdefault(normalise(name).strip(), number)
    return names


def language_files(lang: str, docs: list[SearchDoc], max_postings: int = MAX_POSTINGS) -> list[ShardFile]:
    """The search files of one language: an entry file and shards (see :mod:`.shards`)."""
    return shard_files(lang, compact(count_terms(docs), docs, max_postings), [stored(doc) for doc in docs],
                       exact_names(docs), BOOSTS, levels={str(n): doc.level for n, doc in enumerate(docs) if doc.level},
                       scale=level_scale(lang))


def level_scale(lang: str) -> dict[str, list]:
    """What a result's level badge needs, per level: [rank, shape, word, fill, border, ink]
    (from ``cloudpeds.clinical.urgency``, the one scale)."""
    return {level.id: [level.rank, level.shape, level.word[lang], level.fill, level.border, level.ink]
            for level in urgency.LEVELS}
