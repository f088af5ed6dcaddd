"""Search documents at section level, derived from the manual model and the rendered pages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import unescape

from .. import i18n, links
from ..clinical import urgency
from ..flowchart.fences import find_fences
from ..flowchart.parse import parse as parse_chart
from ..manual import ages
from ..manual.loader import Manual
from ..manual.pages import Layout
from .synonyms import Synonyms

#: Result groups in the order the client shows them when scores tie.
KINDS = ("chapter", "danger-sign", "referral", "recommendation", "flowchart", "section", "page", "course", "lesson")
#: Whole-document boosts: a chapter outranks a passing mention of its name.
BOOSTS = {"chapter": 4.0, "danger-sign": 2.0, "referral": 2.0, "recommendation": 1.3, "flowchart": 1.2,
          "section": 1.0, "page": 0.8, "course": 1.2, "lesson": 1.2}
#: Anchors of the generated parts of a chapter page, indexed item by item instead.
GENERATED_SECTIONS = frozenset({"danger-signs", "referral", "recommendations", "references", "review"})
SNIPPET_CHARS = 240


@dataclass
class SearchDoc:
    url: str
    kind: str
    title: str
    chapter: str = ""
    text: str = ""
    synonyms: list[str] = field(default_factory=list)
    #: Exact names (a chapter's title and synonyms): a query equal to one lists this document first.
    names: list[str] = field(default_factory=list)
    #: Further exact names from the synonym group of the title (发烧 → 发热); weaker than ``names``.
    group_names: list[str] = field(default_factory=list)
    #: The urgency level (``cloudpeds.clinical.urgency``) of a danger sign or referral: its badge, and red
    #: before amber among the results.
    level: str = ""
    #: What the result shows under its title when that is not ``text`` (a chapter: its summary alone).
    snippet: str | None = None

    @property
    def boost(self) -> float:
        return BOOSTS[self.kind]


@dataclass
class Section:
    anchor: str
    heading: str
    text: str


_SKIPPED = re.compile(r"<(script|style|svg|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_PERMALINK = re.compile(r'<a\b[^>]*class="headerlink"[^>]*>.*?</a>', re.IGNORECASE | re.DOTALL)
_H2 = re.compile(r'<h2\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h2\s*>', re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _text(html: str) -> str:
    return _SPACE.sub(" ", unescape(_TAG.sub(" ", html))).strip()


def sections_of(html: str) -> list[Section]:
    """The page split at ``<h2 id=…>``: heading and visible text of each part (scripts, SVG and
    permalinks dropped). Regular expressions rather than an HTML parser: the HTML is our own
    generated markup, and this runs over every page of a 1,000-page manual."""
    cleaned = _PERMALINK.sub("", _SKIPPED.sub(" ", html))
    headings = list(_H2.finditer(cleaned))
    sections = []
    for number, heading in enumerate(headings):
        end = headings[number + 1].start() if number + 1 < len(headings) else len(cleaned)
        sections.append(Section(heading.group(1), _text(heading.group(2)), _text(cleaned[heading.end():end])))
    return sections


def _url(layout: Layout, doc: str, anchor: str = "") -> str:
    url = links.url_of(doc, directory_urls=layout.directory_urls)
    return f"{url}#{anchor}" if anchor else url


def chapter_documents(manual: Manual, layout: Layout, lang: str, synonyms: Synonyms,
                      rendered: Mapping[str, str]) -> list[SearchDoc]:
    t = i18n.strings(lang)
    docs: list[SearchDoc] = []
    for chapter in manual.in_language(lang):
        meta, doc = chapter.meta, layout.chapter(lang, chapter.id)
        title = meta.title
        group = manual.group_title(meta.group, lang)
        # The group name is shown on its own line (where other results show their chapter), not run into
        # the summary; it is still indexed with the text.
        docs.append(SearchDoc(_url(layout, doc), "chapter", title, group or "",
                              " ".join(filter(None, [meta.summary, group])),
                              [*meta.synonyms, *synonyms.expand(" ".join([title, *meta.synonyms]))],
                              names=[title, *meta.synonyms], group_names=synonyms.group_of(title),
                              snippet=meta.summary or ""))
        for sign in meta.danger_signs:
            docs.append(SearchDoc(_url(layout, doc, sign.id), "danger-sign", sign.text, title,
                                  f"{t['triage.' + sign.triage]} {ages.labels(sign.age_bands, lang)}",
                                  synonyms.expand(sign.text), level=urgency.triage_level(sign.triage).id))
        signs = {sign.id: sign.text for sign in meta.danger_signs}
        for referral in meta.referrals:
            text = " ".join([referral.time_frame, *(signs.get(s, "") for s in referral.signs), *referral.criteria,
                             *(step.text for step in referral.pre_referral)])
            docs.append(SearchDoc(_url(layout, doc, referral.id), "referral",
                                  f"{t['urgency.' + referral.urgency]}{t['punct.colon']}{referral.target}", title, text,
                                  synonyms.expand(text), level=level_of_referral(referral.urgency)))
        for rec in meta.recommendations:
            docs.append(SearchDoc(_url(layout, doc, rec.id), "recommendation", _shorten(rec.text, 60), title,
                                  rec.text, synonyms.expand(rec.text)))
        for fence in find_fences(chapter.body):
            graph, errors = parse_chart(fence.source)
            if errors:
                continue
            from ..flowchart.compile import chart_id, flat

            text = " ".join(flat(node.label) for node in graph.nodes.values())
            docs.append(SearchDoc(_url(layout, doc, chart_id(fence.source)), "flowchart",
                                  f"{t['flowchart']}{t['punct.colon']}{title}", title, text, synonyms.expand(text)))
        for section in sections_of(rendered.get(doc, "")):
            if section.anchor in GENERATED_SECTIONS or not section.text:
                continue
            docs.append(SearchDoc(_url(layout, doc, section.anchor), "section", section.heading, title,
                                  section.text, synonyms.expand(section.heading + " " + section.text)))
    return docs


def level_of_referral(urgency_id: str) -> str:
    """A referral's level id (``treat`` is the old name of ``treat-home``); "" for none."""
    level_id = "treat-home" if urgency_id == "treat" else urgency_id
    return level_id if level_id in urgency.BY_ID else ""


def page_documents(layout: Layout, lang: str, synonyms: Synonyms, rendered: Mapping[str, str],
                   titles: Mapping[str, str], docs_to_index: Iterable[str]) -> list[SearchDoc]:
    """Hand-written pages (about, guides), section by section."""
    out: list[SearchDoc] = []
    for doc in docs_to_index:
        if layout.language_of(doc) != lang:
            continue
        page_title = titles.get(doc, "")
        out.append(SearchDoc(_url(layout, doc), "page", page_title, "", "", synonyms.expand(page_title)))
        for section in sections_of(rendered.get(doc, "")):
            if section.text:
                out.append(SearchDoc(_url(layout, doc, section.anchor), "page", section.heading, page_title,
                                     section.text, []))
    return out


def lesson_documents(layout: Layout, lang: str, synonyms: Synonyms,
                     entries: Iterable[tuple[str, str, str, str, str]]) -> list[SearchDoc]:
    """Video courses and lessons: (document, kind, title, parent title, text)."""
    return [SearchDoc(_url(layout, doc), kind, title, parent, text, synonyms.expand(f"{title} {text}"))
            for doc, kind, title, parent, text in entries if layout.language_of(doc) == lang]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
