"""Split a compact index into files a phone loads only as a query needs them.

A language's search is one small entry file plus many content-hashed shards:

- ``search/index.<lang>.js`` (the entry, revalidated on each use): the field lengths, document
  kinds and boosts, the result list's titles and URLs, exact names, and which shard holds which
  terms;
- ``search/<lang>/terms-NNN.<hash>.js``: the postings of the terms whose *shard key* falls in the
  shard (key: a CJK term's first character, otherwise its first two characters);
- ``search/<lang>/text-NNN.<hash>.js``: the snippet texts of a block of consecutive documents.

Why this ranks exactly like the whole index: lunr scores a document by the dot product of the
query vector with the document's field vector, divided by the *query* vector's magnitude. Only the
query's own terms enter that product, and every term a query clause can match — the term itself,
or every term that starts with a typed prefix (a one-character CJK prefix, or a Latin prefix of at
least two letters) — has the same shard key. IDF needs only the term's own postings and BM25 the
field lengths, which the entry file carries. ``search-core.js`` (``Engine``) loads the shards of a
query's keys, rebuilds a lunr index over the shards loaded so far, and queries it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from .tokenizer import is_cjk

#: Postings per terms shard (about 25 KB gzip at 500 chapters). Smaller shards mean less to download
#: per query, but more files that each compress worse: at 12,000 the 500-chapter index was 15% larger
#: in total (gzip file by file). A shard holds whole keys, so one very common key can be larger.
SHARD_POSTINGS = 30_000
#: Documents per snippet-text block (the same trade-off).
TEXT_BLOCK = 512


def shard_key(term: str) -> str:
    """The key that decides a term's shard; search-core.js ``shardKey`` is the same rule."""
    return term[:1] if is_cjk(term[:1]) else term[:2]


def postings_of(entry: list) -> int:
    """Number of (document, field) postings in one compact term entry."""
    return sum(sum(1 for value in group[1:] if value >= 0) for group in entry[3:])


def pack_terms(terms: list[list], target: int = SHARD_POSTINGS) -> tuple[list[list[list]], dict[str, int]]:
    """Compact term entries (sorted by term) → shards of whole keys in key order, and key → shard."""
    by_key: dict[str, list[list]] = {}
    for entry in terms:
        by_key.setdefault(shard_key(entry[0]), []).append(entry)
    shards: list[list[list]] = []
    keys: dict[str, int] = {}
    size = target
    for key in sorted(by_key):
        entries = by_key[key]
        if size >= target:
            shards.append([])
            size = 0
        shards[-1] += entries
        size += sum(postings_of(entry) for entry in entries)
        keys[key] = len(shards) - 1
    return shards, keys


def encode_shard(entries: list[list]) -> dict[str, list[list]]:
    """A shard's compact term entries as shipped: grouped by key, each ``[rest of the term, (df), groups…]``.
    The term's number is left out (the reader numbers terms by their sorted position: any consistent
    numbering gives lunr the same scores), and so is ``df`` when it equals the postings shipped."""
    out: dict[str, list[list]] = {}
    for term, _, df, *groups in entries:
        key = shard_key(term)
        row: list = [term[len(key):]]
        if df != postings_of([term, 0, 0, *groups]):
            row.append(df)
        out.setdefault(key, []).append(row + groups)
    return out


def decode_shard(data: dict[str, list[list]], base: int) -> list[list]:
    """:func:`encode_shard` undone: compact entries in term order, numbered from ``base``
    (search-core.js ``decodeShard``)."""
    entries: list[list] = []
    for key in sorted(data):
        for row in data[key]:
            has_df = len(row) > 1 and isinstance(row[1], int)
            groups = row[2:] if has_df else row[1:]
            df = row[1] if has_df else postings_of([key, 0, 0, *groups])
            entries.append([key + row[0], base + len(entries), df, *groups])
    return entries


def encode_levels(levels: dict[str, str]) -> dict[str, list[int]]:
    """Document number → level id as level id → the gaps between its ascending document numbers (a few
    bytes per danger sign or referral, even at 500 chapters). search-core.js ``decodeLevels`` undoes it."""
    out: dict[str, list[int]] = {}
    for level_id in sorted(set(levels.values())):
        numbers = sorted(int(ref) for ref, found in levels.items() if found == level_id)
        out[level_id] = [number - previous for number, previous in zip(numbers, [0, *numbers], strict=False)]
    return out


def decode_levels(encoded: dict[str, list[int]]) -> dict[str, str]:
    """:func:`encode_levels` undone: document number (as a string) → level id."""
    levels: dict[str, str] = {}
    for level_id, gaps in encoded.items():
        number = 0
        for gap in gaps:
            number += gap
            levels[str(number)] = level_id
    return levels


@dataclass(frozen=True)
class ShardFile:
    """One file of a sharded index: its path in the site and its content."""

    path: str
    text: str


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _shard_file(lang: str, name: str, data: object) -> ShardFile:
    body = f"(window.cpSearchShards=window.cpSearchShards||{{}})[{_json(f'{lang}/{name}')}]={_json(data)};\n"
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:10]
    return ShardFile(f"search/{lang}/{name}.{digest}.js", body)


def shard_files(lang: str, index: dict, docs: list[list[str]], names: dict[str, int],
                boosts: dict[str, float], levels: dict[str, str] | None = None,
                scale: dict[str, list] | None = None) -> list[ShardFile]:
    """The entry file and the shards of one language. ``index`` is ``indexer.compact``'s output;
    ``docs`` are ``[url, kind, title, chapter, text]`` per document; ``levels`` the urgency level of a
    document (by number, as a string) that has one, ``scale`` each level's [rank, shape, word, fill,
    border, ink] (``indexer.level_scale``)."""
    shards, keys = pack_terms(index["terms"])
    term_files = [_shard_file(lang, f"terms-{number:03d}", encode_shard(shard)) for number, shard in enumerate(shards)]
    bases = [sum(len(shard) for shard in shards[:number]) for number in range(len(shards))]
    text_files = [_shard_file(lang, f"text-{number:03d}", [doc[4] for doc in docs[start:start + TEXT_BLOCK]])
                  for number, start in enumerate(range(0, len(docs), TEXT_BLOCK))]
    entry = {
        "index": {name: value for name, value in index.items() if name != "terms"},
        "docs": pack_docs(docs),
        "names": names,
        "boosts": boosts,
        "keys": keys,
        "terms": [file.path.removeprefix("search/") for file in term_files],
        "termBase": bases,
        "texts": [file.path.removeprefix("search/") for file in text_files],
        "textBlock": TEXT_BLOCK,
        "levels": encode_levels(levels or {}),
        "scale": scale or {},
    }
    header = f"/* cloudpeds search index ({lang}); generated, do not edit */\n"
    main = ShardFile(f"search/index.{lang}.js",
                     f"{header}(window.cpSearchData=window.cpSearchData||{{}})[{_json(lang)}]={_json(entry)};\n")
    return [main, *term_files, *text_files]


def pack_docs(docs: list[list[str]]) -> list[list]:
    """The result list's ``[url, kind, title, chapter]`` per document, shortened: a document on a chapter
    page after that chapter's own document becomes ``[chapter document number, anchor, kind, title]``
    (most of them: the URL and chapter title are the chapter's). ``unpack_docs`` and search-core.js
    ``unpackDocs`` restore them."""
    packed: list[list] = []
    chapter_at: dict[str, int] = {}
    for number, (url, kind, title, chapter, *_) in enumerate(docs):
        page, _, anchor = url.partition("#")
        if kind == "chapter":
            chapter_at[page] = number
        parent = chapter_at.get(page)
        if parent is not None and parent != number and anchor and chapter == docs[parent][2]:
            packed.append([parent, anchor, kind, title])
        else:
            packed.append([url, kind, title, chapter])
    return packed


def unpack_docs(packed: list[list]) -> list[list[str]]:
    """``[url, kind, title, chapter]`` per document from :func:`pack_docs`'s form."""
    docs: list[list[str]] = []
    for doc in packed:
        if isinstance(doc[0], int):
            parent = docs[doc[0]]
            docs.append([f"{parent[0]}#{doc[1]}", doc[2], doc[3], parent[2]])
        else:
            docs.append(list(doc))
    return docs


def read_shard(text: str) -> object:
    """The data of a shard or entry file (for tests and tools): the JSON after the ``=``."""
    return json.loads(text.split("]=", 1)[1].rstrip().rstrip(";"))
