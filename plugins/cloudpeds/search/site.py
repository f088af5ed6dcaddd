"""Everything the search adds to a built site, as (relative path, content) pairs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ..diagnostics import SourceError, error
from ..manual.loader import Manual
from ..manual.pages import Layout
from ..parallel import map_forked
from ..preview import Memo, digest
from .documents import SearchDoc, chapter_documents, lesson_documents, page_documents
from .indexer import MAX_POSTINGS, language_files
from .synonyms import Synonyms
from .tokenizer import CJK

_HAS_CJK = re.compile(f"[{CJK}]")

#: npm files copied into the site (pinned in package-lock.json); never loaded from a CDN.
VENDOR = {"lunr/lunr.min.js": "assets/vendor/lunr.min.js"}


def written_in(lang: str) -> Callable[[str], bool]:
    """Which synonyms a document in ``lang`` is given: in Chinese, the Chinese ones and single Latin
    words (fever, SpO2: a Chinese reader may type one); in other languages, none written in Chinese."""
    if lang == "zh":
        return lambda term: bool(_HAS_CJK.search(term)) or " " not in term
    return lambda term: not _HAS_CJK.search(term)


def language_synonyms(base: Synonyms, manual: Manual, lang: str) -> Synonyms:
    """The shared groups plus each chapter's own title and synonyms as a group. A document is given the
    synonyms of its own language (:func:`written_in`): each language has its own index and site, and
    the others' synonyms were a third of the index (the sample manual's en index: 74 → 59 KB gzip)."""
    synonyms = Synonyms(adds=written_in(lang))
    for group in base.groups:
        synonyms.add_group(list(group))
    for chapter in manual.in_language(lang):
        synonyms.add_group([chapter.meta.title, *chapter.meta.synonyms])
    return synonyms


def documents(manual: Manual, layout: Layout, lang: str, synonyms: Synonyms, rendered: Mapping[str, str],
              titles: Mapping[str, str], content_docs: list[str],
              lessons: Iterable[tuple[str, str, str, str, str]] = ()) -> list[SearchDoc]:
    merged = language_synonyms(synonyms, manual, lang)
    return (chapter_documents(manual, layout, lang, merged, rendered)
            + lesson_documents(layout, lang, merged, lessons)
            + page_documents(layout, lang, merged, rendered, titles, content_docs))


def index_files(manual: Manual, layout: Layout, synonyms: Synonyms, rendered: Mapping[str, str],
                titles: Mapping[str, str], content_docs: list[str],
                lessons: Iterable[tuple[str, str, str, str, str]] = (),
                max_postings: int = MAX_POSTINGS, jobs: int = 1, memo: Memo | None = None,
                scope: str = "") -> dict[str, str]:
    """Every search file of every language: relative path → content. ``jobs`` > 1: languages are indexed side
    by side in forked processes (see :mod:`cloudpeds.parallel`). ``memo`` (the preview's, see cloudpeds.preview):
    a language whose pages, chapters and synonyms did not change is not indexed again (``scope``: the digest of
    the shared data files)."""
    lessons = list(lessons)

    def one_language(lang: str) -> list[tuple[str, str]]:
        return language_index(manual, layout, lang, synonyms, rendered, titles, content_docs, lessons, max_postings)

    if memo is not None:
        keys = language_keys(manual, layout, synonyms, rendered, titles, content_docs, lessons, max_postings, scope)
        return {path: text for lang in manual.languages
                for path, text in memo.remember("search", keys[lang], lambda lg=lang: one_language(lg))}

    return dict(pair for files in map_forked(one_language, manual.languages, jobs) for pair in files)


def language_index(manual: Manual, layout: Layout, lang: str, synonyms: Synonyms, rendered: Mapping[str, str],
                   titles: Mapping[str, str], content_docs: list[str],
                   lessons: Iterable[tuple[str, str, str, str, str]] = (),
                   max_postings: int = MAX_POSTINGS) -> list[tuple[str, str]]:
    """The search files of one language: (relative path, content)."""
    docs = documents(manual, layout, lang, synonyms, rendered, titles, content_docs, list(lessons))
    return [(file.path, file.text) for file in language_files(lang, docs, max_postings)]


def language_keys(manual: Manual, layout: Layout, synonyms: Synonyms, rendered: Mapping[str, str],
                  titles: Mapping[str, str], content_docs: list[str], lessons: list, max_postings: int,
                  scope: str) -> dict[str, str]:
    """Per language, the digest of everything its search files are made from (the preview's key)."""
    keys = {}
    for lang in manual.languages:
        pages = sorted((doc, digest(html), titles.get(doc)) for doc, html in rendered.items()
                       if layout.language_of(doc) == lang)
        chapters = [(chapter.path, chapter.digest) for chapter in manual.in_language(lang)]
        keys[lang] = digest(scope, lang, layout, max_postings, pages, chapters, content_docs, lessons,
                            synonyms.groups, synonyms.adds is None)
    return keys


def vendor_files(node_modules: Path) -> dict[str, Path]:
    missing = [name for name in VENDOR if not (node_modules / name).is_file()]
    if missing:
        raise SourceError([error(str(node_modules), 1, 1, "",
                                 f"missing front-end package file(s): {', '.join(missing)}",
                                 "run `npm ci` (or `make site`, which does it)")])
    return {target: node_modules / name for name, target in VENDOR.items()}
