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


def by_level(refs: list[str], levels: dict[str, str], scale: dict[str, list]) -> list[str]:
    """The results that carry an urgency level (danger signs, referrals) reordered among themselves, most
    urgent first (red signs before amber), in the places they hold; the rest stay where lunr put them.
    search-core.js ``byLevel`` is the same rule."""
    leveled = [ref for ref in refs if levels.get(ref) in scale]
    queue = iter(sorted(leveled, key=lambda ref: scale[levels[ref]][0]))  # stable: lunr's order within a level
    return [next(queue) if levels.get(ref) in scale else ref for ref in refs]


def ranked(index, names: dict[str, int], text: str, levels: dict[str, str] | None = None,
           scale: dict[str, list] | None = None) -> list[str]:
    """Refs in the order the site lists them: an exact chapter name first, then lunr's ranking, with the
    results that carry a level ordered most urgent first (:func:`by_level`)."""
    refs = by_level([ref for ref, _ in search(index, text)], levels or {}, scale or {})
    exact = names.get(normalise(text).strip())
    if exact is not None:
        refs = [str(exact)] + [ref for ref in refs if ref != str(exact)]
    return refs


def search(index, text: str) -> list[tuple[str, float]]:
    query = index.create_query()
    for clause in clauses(text):
        query.term(**clause)
    return [(result["ref"], round(result["score"], 6)) for result in index.query(query)]
