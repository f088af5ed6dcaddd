"""Checks of a chapter's ``parent_advice``: it names real danger signs, every red sign is among the reasons to
come back at once, the language versions have the same shape, and the words are plain (short sentences, no
clinical jargon from ``manual/plain-words.yml``).

Why reasons *refer to* danger-sign ids rather than being generated from them: the danger signs are written for
clinicians (thresholds, findings: "capillary refill ≥ 3 s"); parents need other words and fewer items ("hard to
wake", "breathing hard"), and one parent sentence often stands for several signs. So the editor writes the
sentence, names the signs it covers, and the check makes sure no red sign is forgotten.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..diagnostics import Diagnostic, error, warning
from ..yamlpos import FieldPath, format_path
from .loader import Chapter, Manual, load_yaml_model

PLAIN_WORDS_FILE = "plain-words.yml"
#: Longest plain sentence: characters in Chinese (spaces not counted), words in English.
SENTENCE_LIMIT = {"zh": 40, "en": 25}
_SENTENCE_END = {"zh": re.compile(r"[。！？；!?;]"), "en": re.compile(r"(?<=[.!?;])\s+|[;]")}
_LISTS = ("home", "avoid", "come_back_now", "come_back_anyway")


class Jargon(BaseModel):
    """A term parents may not know, and the plain words to use instead."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    term: str = Field(min_length=1)
    plain: str = Field(min_length=1)


class PlainWords(BaseModel):
    """manual/plain-words.yml: per language, the jargon list."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    jargon: dict[str, list[Jargon]] = {}


def load_plain_words(manual_dir: Path, root: Path, diagnostics: list[Diagnostic]) -> PlainWords:
    path = manual_dir / PLAIN_WORDS_FILE
    if not path.exists():
        return PlainWords()
    loaded = load_yaml_model(path, PlainWords, root, diagnostics)
    return loaded[0] if loaded else PlainWords()


def texts(chapter: Chapter) -> Iterator[tuple[FieldPath, str]]:
    """Every parent-facing text of the chapter with its field path."""
    advice = chapter.meta.parent_advice
    if advice is None:
        return
    for index, text in enumerate(advice.home):
        yield ("parent_advice", "home", index), text
    for index, text in enumerate(advice.avoid):
        yield ("parent_advice", "avoid", index), text
    for index, item in enumerate(advice.come_back_now):
        yield ("parent_advice", "come_back_now", index, "text"), item.text
    for index, item in enumerate(advice.come_back_anyway):
        yield ("parent_advice", "come_back_anyway", index, "text"), item.text


def sentences(text: str, lang: str) -> list[str]:
    pattern = _SENTENCE_END["zh" if lang == "zh" else "en"]
    return [part.strip() for part in pattern.split(text) if part.strip()]


def sentence_length(sentence: str, lang: str) -> int:
    if lang == "zh":
        return len(re.sub(r"\s", "", sentence))
    return len(sentence.split())


def jargon_in(text: str, lang: str, words: PlainWords) -> list[Jargon]:
    found = []
    for entry in words.jargon.get(lang, []):
        if lang == "zh":
            hit = entry.term in text
        else:
            hit = re.search(rf"(?<![\w-]){re.escape(entry.term)}(?![\w-])", text, re.IGNORECASE) is not None
        if hit:
            found.append(entry)
    return found


def _at(chapter: Chapter, path: FieldPath, severity, message: str, hint: str) -> Diagnostic:
    line, col = chapter.where(path)
    return severity(chapter.path, line, col, format_path(path), message, hint)


def check_chapter(chapter: Chapter, manual: Manual, words: PlainWords) -> Iterator[Diagnostic]:
    advice = chapter.meta.parent_advice
    if advice is None:
        return
    lang = chapter.lang
    signs = {sign.id: sign for sign in chapter.meta.danger_signs}
    named: set[str] = set()
    for index, item in enumerate(advice.come_back_now):
        for sign_index, sign_id in enumerate(item.signs):
            named.add(sign_id)
            if sign_id not in signs:
                yield _at(chapter, ("parent_advice", "come_back_now", index, "signs", sign_index), error,
                          f"{sign_id!r} is not a danger sign of this chapter",
                          "name the ids of this chapter's danger_signs that the sentence stands for")
    for index, sign_id in enumerate(advice.not_for_parents):
        named.add(sign_id)
        if sign_id not in signs:
            yield _at(chapter, ("parent_advice", "not_for_parents", index), error,
                      f"{sign_id!r} is not a danger sign of this chapter",
                      "list only ids of this chapter's danger_signs that only a health worker can find")
    for sign in chapter.meta.danger_signs:
        if sign.triage == "red" and sign.id not in named:
            yield _at(chapter, ("parent_advice", "come_back_now"), warning,
                      f"the red danger sign {sign.id!r} is not among the parents' reasons to come back at once",
                      "add it to the `signs` of a come_back_now reason (in words parents use), or write a new one")
    for index, item in enumerate(advice.come_back_anyway):
        for ref_index, ref in enumerate(item.sources):
            if ref not in manual.references and not manual.unloaded_references:
                yield _at(chapter, ("parent_advice", "come_back_anyway", index, "sources", ref_index), error,
                          f"unknown reference {ref!r}", "use an id from manual/references/")
    limit = SENTENCE_LIMIT.get(lang, SENTENCE_LIMIT["en"])
    unit = "characters" if lang == "zh" else "words"
    for path, text in texts(chapter):
        for sentence in sentences(text, lang):
            length = sentence_length(sentence, lang)
            if length > limit:
                yield _at(chapter, path, warning,
                          f"a sentence for parents has {length} {unit} (plain words: at most {limit}): "
                          f"{sentence[:30] + '…'!r}",
                          "split it into shorter sentences")
        for entry in jargon_in(text, lang, words):
            yield _at(chapter, path, warning, f"{entry.term!r} is a clinical term parents may not know",
                      f"say it in plain words, e.g. {entry.plain!r} (manual/{PLAIN_WORDS_FILE})")


def _shape(chapter: Chapter) -> tuple:
    advice = chapter.meta.parent_advice
    if advice is None:
        return ()
    return (len(advice.home), len(advice.avoid), tuple(tuple(i.signs) for i in advice.come_back_now),
            tuple(tuple(i.sources) for i in advice.come_back_anyway), tuple(advice.not_for_parents))


def check_translations(manual: Manual) -> Iterator[Diagnostic]:
    """The other languages' parent advice has the same lists, the same signs and sources, item by item."""
    default = manual.default_language
    for lang in manual.languages[1:]:
        for chapter in manual.in_language(lang):
            source = manual.chapter(default, chapter.id)
            if source is None or source.meta.parent_advice is None or chapter.meta.parent_advice is None:
                continue
            if _shape(source) != _shape(chapter):
                yield _at(chapter, ("parent_advice",), warning,
                          f"the parent advice differs from the {default} version in its items, signs or sources",
                          f"give it the same items in the same order as {source.path}, with the same `signs` "
                          "and `sources`")


def check_parent_advice(manual: Manual, manual_dir: Path, root: Path) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    words = load_plain_words(manual_dir, root, diagnostics)
    for lang in manual.languages:
        for chapter in manual.in_language(lang):
            diagnostics += check_chapter(chapter, manual, words)
    diagnostics += check_translations(manual)
    return diagnostics
