"""Everything the site shows about the manual, derived from the model: chapter pages, the
symptom grid, the cross-manual quick-reference pages and the navigation.

Output is Markdown with raw HTML blocks rendered by Jinja2 with autoescaping, so any Markdown
engine can render it and no text from a chapter can inject markup.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from pypinyin import Style, lazy_pinyin

from .. import i18n, links
from ..clinical import urgency as urgency_scale
from ..clinical.urgency import triage_level
from ..flowchart.compile import ItemLabel, chart_id, compile_chart, figure_html
from ..flowchart.fences import Fence, fenced_ranges, find_fences, replace_fences
from ..markup.trust import trusted
from ..preview import Memo, digest, remembered
from . import ages, model
from .loader import Chapter, Manual

DIRECTIVE = re.compile(r"^<!--\s*cloudpeds:(?P<name>[a-z-]+)\s*-->\s*$", re.MULTILINE)
#: Where a chapter page shows its video lessons; filled by the courses (or left as an invisible comment).
CHAPTER_LESSONS = "<!-- cloudpeds:chapter-lessons -->"
QUICK_PAGES = ("danger-signs", "referrals", "a-z")
_BLANK_LINES = re.compile(r"\n\s*\n")

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
# The one urgency scale, for every template and macro: a level's shape, and the level a triage colour calls for.
_env.globals.update(levels=urgency_scale.BY_ID, triage_levels=urgency_scale.TRIAGE_LEVEL)


@dataclass(frozen=True)
class Layout:
    """Where documents live. The default language sits at the root, the others under ``<lang>/``."""

    languages: tuple[str, ...] = ("zh", "en")
    directory_urls: bool = True

    def prefix(self, lang: str) -> str:
        return "" if lang == self.languages[0] else f"{lang}/"

    def home(self, lang: str) -> str:
        return f"{self.prefix(lang)}index.md"

    def chapter(self, lang: str, chapter_id: str) -> str:
        return f"{self.prefix(lang)}manual/{chapter_id}.md"

    def quick(self, lang: str, name: str) -> str:
        return f"{self.prefix(lang)}quick/{name}.md"

    def parents(self, lang: str, chapter_id: str) -> str:
        """The chapter's page for parents (phone-sized, large type; the printed handout's QR code opens it)."""
        return f"{self.prefix(lang)}parents/{chapter_id}.md"

    def language_of(self, doc: str) -> str:
        head = doc.split("/", 1)[0]
        return head if head in self.languages[1:] and "/" in doc else self.languages[0]

    def counterpart(self, doc: str, lang: str) -> str:
        """The same document in ``lang``."""
        bare = doc.removeprefix(self.prefix(self.language_of(doc)))
        return f"{self.prefix(lang)}{bare}"


@dataclass
class GeneratedPage:
    doc: str
    lang: str
    title: str
    markdown: str
    kind: str
    #: The page's ``<meta name="description">`` (search results, shared links); None: the site's.
    description: str | None = None


@dataclass
class NavEntry:
    """A navigation entry: a page (``doc``) or a section (``children``). ``title=None``: the page's own."""

    title: str | None
    doc: str | None = None
    children: list[NavEntry] = field(default_factory=list)


def _html(template: str, **context: object) -> str:
    rendered = _env.get_template(template).render(**context).strip()
    # A blank line would end Markdown's raw HTML block in the middle of our markup.
    return trusted(_BLANK_LINES.sub("\n", rendered))


class Renderer:
    """Renders the pages of one manual for one site layout."""

    def __init__(self, manual: Manual, layout: Layout, *, sample_disclaimer: bool = True):
        self.manual = manual
        self.layout = layout
        self.sample_disclaimer = sample_disclaimer
        #: Further navigation sections per language (e.g. the video courses), after the manual.
        self.extra_nav: dict[str, list[NavEntry]] = {}
        #: Set by the editions: per language, item id → added | changed (a badge on the item),
        #: chapter id → added | renamed | chart, and the "What's new" page (listed after Home).
        self.changed: dict[str, dict[str, str]] = {}
        self.changed_chapters: dict[str, dict[str, str]] = {}
        self.whats_new: dict[str, str] = {}
        #: The site's address (``site_url``), for absolute URLs in structured data; None: relative only.
        self.site_url: str | None = None
        #: Set by member builds (`cloudpeds build --site`): pages carry slots for the members' blocks
        #: (cloudpeds.members.slots), with a note slot after each of these item ids. None: no slots.
        self.member_slots: frozenset[str] | None = None
        #: The preview's memory (cloudpeds.preview) and the digest of the shared data files the pages read
        #: (groups, references, medicines, findings …): set by the plugin while serving.
        self.memo: Memo | None = None
        self.shared_digest = ""
        self._fronts_keys: dict[str, str] = {}

    # -- helpers shared by the templates ------------------------------------------------------
    def _context(self, doc: str, lang: str) -> dict[str, object]:
        def link(to_doc: str, anchor: str = "") -> str:
            return links.href(doc, to_doc, anchor, directory_urls=self.layout.directory_urls)

        return {
            "t": i18n.strings(lang),
            "lang": lang,
            "link": link,
            "layout": self.layout,
            "ages": lambda bands, whole=None: ages.labels(bands, lang, whole=whole),
            "triage_order": model.TRIAGE_ORDER,
            "urgency_order": model.URGENCY_ORDER,
            "changed": self.changed.get(lang, {}),
            # The site root relative to this page, and whether chapters have the evaluator's data (the
            # "this child" control, theme/assets/bedside.js, loads clinical/<chapter>.js on first use).
            "root": links.root_of(doc, directory_urls=self.layout.directory_urls),
            "bedside": getattr(getattr(self.manual, "clinical", None), "vocabulary", None) is not None,
        }

    # -- generated pages ----------------------------------------------------------------------
    def pages(self) -> list[GeneratedPage]:
        out: list[GeneratedPage] = []
        for lang in self.manual.languages:
            for chapter in self.manual.in_language(lang):
                out.append(remembered(self.memo, "chapter-page", lambda c=chapter: self.chapter_page_key(c),
                                      lambda c=chapter: self.chapter_page(c)))
            out += [self.parents_page(chapter) for chapter in self.manual.in_language(lang)
                    if chapter.meta.parent_advice is not None]
            for name, make in (("danger-signs", self.quick_danger_signs), ("referrals", self.quick_referrals)):
                out.append(remembered(self.memo, "quick-page", lambda n=name, lg=lang: digest(self.fronts_key(lg), n),
                                      lambda m=make, lg=lang: m(lg)))
            # The A-Z page lists titles and synonyms only: an edit of a danger sign leaves it as it was.
            out.append(remembered(self.memo, "quick-page", lambda lg=lang: self.a_z_key(lg),
                                  lambda lg=lang: self.quick_a_z(lg)))
        return out

    def fronts_key(self, lang: str) -> str:
        """What the pages made from every chapter of a language read (quick references, symptom grid): the
        chapters' front matter (not their bodies), their edition badges and the shared data files."""
        if lang not in self._fronts_keys:
            self._fronts_keys[lang] = digest(
                self.shared_digest, self.layout, self.sample_disclaimer, lang,
                [(chapter.path, chapter.front_digest) for chapter in self.manual.in_language(lang)],
                sorted(self.changed.get(lang, {}).items()), sorted(self.changed_chapters.get(lang, {}).items()),
                sorted(self.whats_new.items()), self._slots_key())
        return self._fronts_keys[lang]

    def a_z_key(self, lang: str) -> str:
        """What the A-Z page reads: each chapter's id, title and synonyms (`a_z_entries`) and what every page reads."""
        return digest("a-z", self.shared_digest, self.layout, self.sample_disclaimer, lang,
                      [(chapter.path, chapter.meta.id, chapter.meta.title, list(chapter.meta.synonyms))
                       for chapter in self.manual.in_language(lang)],
                      sorted(self.changed.get(lang, {}).items()), sorted(self.changed_chapters.get(lang, {}).items()),
                      sorted(self.whats_new.items()), self._slots_key())

    def _slots_key(self) -> list[str] | None:
        return sorted(self.member_slots) if self.member_slots is not None else None

    def chapter_page_key(self, chapter: Chapter) -> str:
        """Everything a chapter page is made from, as a digest: the chapter in every language (a translation
        notice compares them), its related chapters' titles, its edition badges, the shared data files."""
        lang, meta = chapter.lang, chapter.meta
        versions = [(other, version.digest) for other in self.manual.languages
                    if (version := self.manual.chapter(other, meta.id)) is not None]
        item_ids = {item.id for kind in ("danger_signs", "referrals", "recommendations", "doses")
                    for item in getattr(meta, kind)}
        changed = sorted((item, how) for item, how in self.changed.get(lang, {}).items() if item in item_ids)
        return digest(self.shared_digest, self.layout, self.sample_disclaimer, chapter.path, versions,
                      [(rel, self._title(lang, rel)) for rel in meta.related], changed,
                      self.changed_chapters.get(lang, {}).get(meta.id), sorted(self.whats_new.items()),
                      # structured data's absolute URLs; member builds' slots
                      self.site_url, sorted(self.member_slots) if self.member_slots is not None else None)

    def chapter_page(self, chapter: Chapter) -> GeneratedPage:
        lang, meta = chapter.lang, chapter.meta
        doc = self.layout.chapter(lang, meta.id)
        ctx = self._context(doc, lang)
        citations = self._citations(chapter)
        ctx.update(chapter=chapter, meta=meta, citations=citations,
                   group_title=self.manual.group_title(meta.group, lang),
                   referral_of=_referral_of(meta),
                   signs_by_id={sign.id: sign for sign in meta.danger_signs},
                   references=[self.manual.references[ref] for ref in citations
                               if ref in self.manual.references],
                   related=[(rel, self._title(lang, rel)) for rel in meta.related],
                   chapter_change=self.changed_chapters.get(lang, {}).get(meta.id),
                   flowchart_anchor=next((chart_id(f.source) for f in find_fences(chapter.body)), None),
                   **self._dose_context(chapter))
        t = ctx["t"]
        ctx.update(note_urls=note_urls(doc, meta.id, directory_urls=self.layout.directory_urls))
        parts = [
            f"# {meta.title}",
            *([_html("act_now.html.j2", **ctx)] if meta.act_now else []),
            _html("chapter_head.html.j2", **ctx),
            *self._translation_notice(chapter, ctx),
            f"## {t['danger_signs']} {{#danger-signs}}",
            _html("danger_signs.html.j2", **ctx),
            *([_html("waivers.html.j2", **ctx)] if meta.waivers else []),
            f"## {t['referral']} {{#referral}}",
            _html("note_button.html.j2", **ctx),
            _html("referrals.html.j2", **ctx),
        ]
        if meta.recommendations:
            parts += [f"## {t['recommendations']} {{#recommendations}}",
                      _html("recommendations.html.j2", **ctx)]
        parts += self._doses(chapter, ctx)
        parts.append(self._expand_doses(chapter, ctx, self._body_with_charts(chapter).strip()))
        parts += self._parents_link(chapter, ctx)
        parts.append(CHAPTER_LESSONS)
        if citations:
            parts += [f"## {t['references']} {{#references}}", _html("references.html.j2", **ctx)]
        parts += [f"## {t['review']} {{#review}}", _html("review.html.j2", **ctx)]
        parts.append(self._structured_data(chapter, doc))
        markdown = "\n\n".join(parts) + "\n"
        if self.member_slots is not None:
            markdown = _member_slots(markdown, meta, lang, self.member_slots)
        return GeneratedPage(doc, lang, meta.title, markdown, "chapter", description=meta.summary)

    def _structured_data(self, chapter: Chapter, doc: str) -> str:
        """schema.org MedicalWebPage JSON-LD (a data block, not a script: `cloudpeds.formats.jsonld`)."""
        from ..formats.jsonld import medical_web_page, script_element

        data = medical_web_page(chapter.meta, chapter.lang, self.manual.references, doc=doc, site_url=self.site_url,
                                directory_urls=self.layout.directory_urls)
        return trusted(script_element(data))

    def _parents_link(self, chapter: Chapter, ctx: dict[str, object]) -> list[str]:
        """A link to the chapter's page for parents, when the chapter has ``parent_advice``."""
        if chapter.meta.parent_advice is None:
            return []
        href = ctx["link"](self.layout.parents(chapter.lang, chapter.id))
        return [_html("parents_link.html.j2", **ctx, href=href)]

    def parents_page(self, chapter: Chapter) -> GeneratedPage:
        """``/parents/<chapter>/``: the chapter's advice for parents in plain words and large type."""
        lang, meta = chapter.lang, chapter.meta
        doc = self.layout.parents(lang, meta.id)
        ctx = self._context(doc, lang)
        ctx.update(meta=meta, advice=meta.parent_advice, chapter_href=ctx["link"](self.layout.chapter(lang, meta.id)))
        title = i18n.t("parents.title", lang).format(title=meta.title)
        body = _html("parents.html.j2", **ctx)
        return GeneratedPage(doc, lang, title, f"# {title}\n\n{body}\n", "parents",
                             description=i18n.t("parents.description", lang).format(title=meta.title))

    def _translation_notice(self, chapter: Chapter, ctx: dict[str, object]) -> list[str]:
        from .validate import translation_notes

        notes = translation_notes(self.manual, chapter)
        if not notes:
            return []
        default = self.manual.default_language
        return [_html("translation_notice.html.j2", **ctx, notes=notes, default_lang=default,
                      reference=ctx["link"](self.layout.chapter(default, chapter.id)))]

    def quick_danger_signs(self, lang: str) -> GeneratedPage:
        doc = self.layout.quick(lang, "danger-signs")
        ctx = self._context(doc, lang)
        # Red first, then amber; green (low-risk) signs are not danger signs to look up in a hurry.
        ctx.update(sections=self._by_group(lang), shown_triage=("red", "amber"),
                   triage_level=triage_level)
        title = i18n.t("quick.danger_signs", lang)
        body = _html("quick_danger_signs.html.j2", **ctx)
        return GeneratedPage(doc, lang, title, f"# {title}\n\n{body}\n", "quick")

    def quick_referrals(self, lang: str) -> GeneratedPage:
        doc = self.layout.quick(lang, "referrals")
        ctx = self._context(doc, lang)
        by_urgency = {urgency: [] for urgency in model.URGENCY_ORDER}
        for chapter in self.manual.in_language(lang):
            for referral in chapter.meta.referrals:
                by_urgency[referral.urgency].append((chapter, referral))
        ctx.update(by_urgency=by_urgency)
        title = i18n.t("quick.referrals", lang)
        parts = [f"# {title}"]
        for level_id in model.URGENCY_ORDER:
            if by_urgency[level_id]:
                shape = urgency_scale.level(level_id).shape
                parts.append(f"## {shape} {i18n.t('urgency.' + level_id, lang)} {{#{level_id}}}")
                block = _html("quick_referrals.html.j2", **ctx, items=by_urgency[level_id])
                if self.member_slots is not None:  # the member's route for this level, after the list
                    from ..members.slots import slot

                    head, tail = block.rsplit("</ul>", 1)
                    block = f"{head}</ul>{slot('level', lang, level_id)}{tail}"
                parts.append(block)
        return GeneratedPage(doc, lang, title, "\n\n".join(parts) + "\n", "quick")

    def quick_a_z(self, lang: str) -> GeneratedPage:
        doc = self.layout.quick(lang, "a-z")
        ctx = self._context(doc, lang)
        ctx.update(letters=a_z_entries(self.manual.in_language(lang), lang))
        title = i18n.t("quick.a_z", lang)
        body = _html("quick_a_z.html.j2", **ctx)
        return GeneratedPage(doc, lang, title, f"# {title}\n\n{body}\n", "quick")

    # -- pieces for hand-written pages ---------------------------------------------------------
    def symptom_grid(self, doc: str) -> str:
        lang = self.layout.language_of(doc)
        ctx = self._context(doc, lang)
        ctx.update(sections=self._by_group(lang))
        return _html("symptom_grid.html.j2", **ctx)

    def quick_links(self, doc: str) -> str:
        """The three quick-reference pages as large buttons (the home page shows them first)."""
        lang = self.layout.language_of(doc)
        ctx = self._context(doc, lang)
        ctx.update(emergency=triage_level("red"))
        return _html("quick_links.html.j2", **ctx)

    def expand_directives(self, markdown: str, doc: str) -> str:
        """Replace ``<!-- cloudpeds:symptom-grid -->`` and ``<!-- cloudpeds:quick-links -->`` lines in a
        hand-written page (not in code)."""
        if "symptom-grid" not in markdown and "quick-links" not in markdown:
            return markdown  # most pages (finding the code blocks of a long chapter page costs more)
        code = fenced_ranges(markdown)

        def replace(match: re.Match[str]) -> str:
            if any(start <= match.start() < end for start, end in code):
                return match[0]
            name = match["name"]
            if name not in ("symptom-grid", "quick-links"):
                return match[0]
            make = self.symptom_grid if name == "symptom-grid" else self.quick_links
            return remembered(self.memo, "directive",
                              lambda: digest(self.fronts_key(self.layout.language_of(doc)), doc, name),
                              lambda: make(doc))
        return DIRECTIVE.sub(replace, markdown)

    def disclaimer(self, lang: str) -> str | None:
        return i18n.t("sample_disclaimer", lang) if self.sample_disclaimer else None

    # -- navigation ----------------------------------------------------------------------------
    def navigation(self, lang: str, content_docs: Iterable[str]) -> list[NavEntry]:
        home = self.layout.home(lang)
        nav: list[NavEntry] = [NavEntry(i18n.t("home", lang), home)]
        if lang in self.whats_new:
            nav.append(NavEntry(i18n.t("edition.whats_new_short", lang), self.whats_new[lang]))
        for group_title, chapters in self._by_group(lang):
            nav.append(NavEntry(group_title, children=[
                NavEntry(chapter.meta.title, self.layout.chapter(lang, chapter.id)) for chapter in chapters]))
        nav += self.extra_nav.get(lang, [])
        nav.append(NavEntry(i18n.t("quick", lang), children=[
            NavEntry(i18n.t("quick." + name.replace("-", "_"), lang), self.layout.quick(lang, name))
            for name in QUICK_PAGES]))
        about = [NavEntry(None, doc) for doc in sorted(content_docs)
                 if doc != home and self.layout.language_of(doc) == lang]
        if about:
            nav.append(NavEntry(i18n.t("about", lang), children=about))
        return nav

    # -- internals -----------------------------------------------------------------------------
    def _by_group(self, lang: str) -> list[tuple[str, list[Chapter]]]:
        sections: dict[str, list[Chapter]] = {}
        for chapter in self.manual.in_language(lang):
            sections.setdefault(chapter.meta.group, []).append(chapter)
        return [(self.manual.group_title(group, lang), chapters) for group, chapters in sections.items()]

    def _title(self, lang: str, chapter_id: str) -> str:
        chapter = self.manual.chapter(lang, chapter_id) or self.manual.chapter(
            self.manual.default_language, chapter_id)
        return chapter.meta.title if chapter else chapter_id

    def _dose_context(self, chapter: Chapter) -> dict[str, object]:
        from ..clinical.dosetable import WORDS, summary

        formulary = getattr(self.manual.clinical, "formulary", None)
        doses = {dose.id: dose for dose in chapter.meta.doses}
        return {"cw": WORDS[chapter.lang],
                "dose_summary": lambda dose_id: summary(doses[dose_id], formulary, chapter.lang)
                if dose_id in doses else dose_id}

    def _dose_html(self, chapter: Chapter, dose_id: str, ctx: dict) -> str:
        from ..clinical.dosetable import WORDS, dose_view

        dose = next((d for d in chapter.meta.doses if d.id == dose_id), None)
        if dose is None:
            return ""
        formulary = getattr(self.manual.clinical, "formulary", None)
        view = dose_view(dose, formulary, chapter.meta.age_range, chapter.lang)
        return _html("dose.html.j2", **ctx, view=view, words=WORDS[chapter.lang], by_age=bool(dose.by_age))

    def _doses(self, chapter: Chapter, ctx: dict) -> list[str]:
        """The "Doses" section: every dose of the chapter not placed in the body with ``[[dose:ID]]``."""
        from ..clinical.dosetable import WORDS, referenced_in_body

        inline = set(referenced_in_body(chapter.body))
        blocks = [self._dose_html(chapter, dose.id, ctx) for dose in chapter.meta.doses if dose.id not in inline]
        if not blocks:
            return []
        return [f"## {WORDS[chapter.lang]['doses_heading']} {{#doses}}", *blocks]

    def _expand_doses(self, chapter: Chapter, ctx: dict, body: str) -> str:
        """The body with each ``[[dose:ID]]`` line replaced by the dose's block (the same in every language)."""
        from ..clinical.dosetable import DOSE_REFERENCE

        return DOSE_REFERENCE.sub(lambda m: "\n" + self._dose_html(chapter, m["id"], ctx) + "\n",
                                  body)

    def _body_with_charts(self, chapter: Chapter) -> str:
        """The body with its flow charts compiled here, where the chapter's items are known: the text
        outline and the walker name each linked item by its words and level, not by its id."""
        items = item_labels(chapter.meta, chapter.lang)

        def render(fence: Fence) -> str | None:
            chart = compile_chart(fence.source, lang=chapter.lang, items=items)
            # errors: `check` reports them with file:line; a chart is ours, so the sanitizer leaves it alone
            return trusted(figure_html(chart)) if chart.ok else None
        return replace_fences(chapter.body, render)

    def _citations(self, chapter: Chapter) -> list[str]:
        """Reference ids in citation order: declared first, then any cited only in an item."""
        order: list[str] = []
        cited = [*chapter.meta.references]
        for referral in chapter.meta.referrals:
            for step in referral.pre_referral:
                cited += step.sources
        for recommendation in chapter.meta.recommendations:
            cited += recommendation.sources
        for dose in chapter.meta.doses:
            cited += dose.sources
        for ref in cited:
            if ref not in order:
                order.append(ref)
        return order


def item_labels(meta: model.ChapterMeta, lang: str, *, limit: int = 80) -> dict[str, ItemLabel]:
    """What a flow chart's links to this chapter's items read: a sign's words with its colour and level,
    a referral's destination with its level, a recommendation's words."""
    def short(text: str) -> str:
        return text if len(text) <= limit else text[: limit - 1] + "…"

    labels = {sign.id: ItemLabel(sign.text, urgency_scale.TRIAGE_LEVEL[sign.triage],
                                 i18n.t("triage." + sign.triage, lang)) for sign in meta.danger_signs}
    labels |= {ref.id: ItemLabel(ref.target, ref.urgency, i18n.t("urgency." + ref.urgency, lang))
               for ref in meta.referrals}
    labels |= {rec.id: ItemLabel(short(rec.text)) for rec in meta.recommendations}
    return labels


#: Where the referral note's files are in the site (loaded on first use by theme/partials/cp-note.html).
NOTE_SCRIPT = "assets/note.js"
NOTE_STYLE = "assets/note.css"
QR_SCRIPT = "assets/vendor/qrcode.js"
BEDSIDE_CORE = "assets/bedside-core.js"


def note_urls(doc: str, chapter_id: str, *, directory_urls: bool) -> dict[str, str]:
    """The note's files relative to the page made of ``doc`` (the delivery step may give them hashed names)."""
    from ..clinical.export import script_path
    from ..clinical.note import note_path

    root = links.root_of(doc, directory_urls=directory_urls)
    return {"data": f"{root}/{note_path(chapter_id)}", "clinical": f"{root}/{script_path(chapter_id)}",
            "script": f"{root}/{NOTE_SCRIPT}",
            "style": f"{root}/{NOTE_STYLE}",
            "qr": f"{root}/{QR_SCRIPT}", "core": f"{root}/{BEDSIDE_CORE}"}


def _member_slots(markdown: str, meta: model.ChapterMeta, lang: str, noted: frozenset[str]) -> str:
    """The chapter page with slots for a member's route in each referral card, its notes, its doses."""
    from ..members.slots import mark_items

    items = [*meta.danger_signs, *meta.referrals, *meta.doses, *meta.recommendations]
    return mark_items(markdown, lang, notes={item.id for item in items if item.id in noted},
                      routes=[referral.id for referral in meta.referrals], doses=[dose.id for dose in meta.doses])


def _referral_of(meta: model.ChapterMeta) -> dict[str, model.Referral]:
    """For each danger sign, the most urgent referral it triggers."""
    found: dict[str, model.Referral] = {}
    for urgency in model.URGENCY_ORDER:
        for referral in meta.referrals:
            if referral.urgency == urgency:
                for sign in referral.signs:
                    found.setdefault(sign, referral)
    return found


@dataclass(frozen=True)
class AZEntry:
    term: str
    chapter_id: str
    title: str
    is_synonym: bool


@functools.lru_cache(maxsize=65536)
def sort_key(term: str, lang: str) -> str:
    if lang == "zh":
        return "".join(lazy_pinyin(term, style=Style.NORMAL, errors="default")).lower()
    return term.lower()


def a_z_entries(chapters: Iterable[Chapter], lang: str) -> list[tuple[str, list[AZEntry]]]:
    """Titles and synonyms grouped by initial (pinyin initial for Chinese)."""
    entries: list[AZEntry] = []
    for chapter in chapters:
        entries.append(AZEntry(chapter.meta.title, chapter.id, chapter.meta.title, False))
        entries += [AZEntry(s, chapter.id, chapter.meta.title, True) for s in chapter.meta.synonyms]
    letters: dict[str, list[AZEntry]] = {}
    for entry in sorted(entries, key=lambda e: (sort_key(e.term, lang), e.term)):
        initial = sort_key(entry.term, lang)[:1].upper()
        letters.setdefault(initial if initial.isalpha() else "#", []).append(entry)
    return sorted(letters.items())
