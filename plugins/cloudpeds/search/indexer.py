"""Build one lunr index per language with lunr.py and write it as a JavaScript file.

The index is loaded by lunr.js in the browser with ``lunr.Index.load`` — no index building on
the phone. Shipping it as ``.js`` (not JSON fetched by XHR) makes search work from ``file://``.
"""

from __future__ import annotations

import json

from lunr import stop_word_filter
from lunr.builder import Builder
from lunr.pipeline import Pipeline
from lunr.stemmer import stemmer

from .documents import SNIPPET_CHARS, SearchDoc
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
    return builder.build()


def _extractor(name: str):
    def extract(record: dict) -> list[str]:
        value = getattr(record["doc"], name)
        return tokenize(" ".join(value) if isinstance(value, list) else value)
    return extract


def compact(serialised: dict) -> dict:
    """lunr's serialised index without its redundancy (empty per-field postings, per-ref metadata,
    "field/ref" keys): about half the bytes. search-core.js ``expandIndex`` restores it exactly."""
    fields = serialised["fields"]
    terms = []
    for term, posting in serialised["invertedIndex"]:
        entry: list = [term, posting["_index"]]  # the term's number in the field vectors
        for number, name in enumerate(fields):
            refs = posting.get(name) or {}
            if refs:
                entry.append([number, *sorted(int(ref) for ref in refs)])
        terms.append(entry)
    vectors = []
    for key, vector in serialised["fieldVectors"]:
        name, ref = key.split("/", 1)
        vectors.append([int(ref), fields.index(name), vector])
    return {"version": serialised["version"], "fields": fields, "pipeline": serialised["pipeline"],
            "terms": terms, "vectors": vectors}


def expand(data: dict) -> dict:
    """The inverse of :func:`compact` (the same as search-core.js ``expandIndex``)."""
    fields = data["fields"]
    inverted = []
    for entry in data["terms"]:
        posting: dict = {"_index": entry[1], **{name: {} for name in fields}}
        for group in entry[2:]:
            posting[fields[group[0]]] = {str(ref): {} for ref in group[1:]}
        inverted.append([entry[0], posting])
    vectors = [[f"{fields[field]}/{ref}", vector] for ref, field, vector in data["vectors"]]
    return {"version": data["version"], "fields": fields, "fieldVectors": vectors, "invertedIndex": inverted,
            "pipeline": data["pipeline"]}


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
    payload = {"index": compact(build_index(docs).serialize()), "docs": [stored(doc) for doc in docs],
               "names": exact_names(docs)}
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (f"/* cloudpeds search index ({lang}); generated, do not edit */\n"
            f"(window.cpSearchData=window.cpSearchData||{{}})[{json.dumps(lang)}]={data};\n")
