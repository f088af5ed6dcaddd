"""How a typed query becomes lunr clauses. theme/assets/search.js builds the same clauses."""

from __future__ import annotations

from lunr.query import Query

from .tokenizer import LATIN_WORD, is_cjk, normalise, tokenize


def clauses(text: str) -> list[dict]:
    tokens = tokenize(text)
    out: list[dict] = []
    for token in tokens:
        if is_cjk(token) and len(token) == 1:  # one character: a prefix of the bigrams it starts
            out.append({"term": token, "wildcard": Query.WILDCARD_TRAILING, "use_pipeline": False})
        else:
            out.append({"term": token, "use_pipeline": True})
    if tokens and LATIN_WORD.match(tokens[-1]) and len(tokens[-1]) >= 2:
        # As you type: the last word may be unfinished.
        out.append({"term": tokens[-1], "wildcard": Query.WILDCARD_TRAILING, "use_pipeline": False,
                    "boost": 0.5})
    return out


def ranked(index, names: dict[str, int], text: str) -> list[str]:
    """Refs in the order the site lists them: an exact chapter name first, then lunr's ranking."""
    refs = [ref for ref, _ in search(index, text)]
    exact = names.get(normalise(text).strip())
    if exact is not None:
        refs = [str(exact)] + [ref for ref in refs if ref != str(exact)]
    return refs


def search(index, text: str) -> list[tuple[str, float]]:
    query = index.create_query()
    for clause in clauses(text):
        query.term(**clause)
    return [(result["ref"], round(result["score"], 6)) for result in index.query(query)]
