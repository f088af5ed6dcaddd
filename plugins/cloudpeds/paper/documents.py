"""The HTML of each print edition, from the same model and the same Markdown rendering as the site.

A chapter is rendered exactly as its page (``manual.pages.Renderer.chapter_page`` through Python-Markdown with the
site's extensions and the sanitizer); the pocket edition and the wall chart take their blocks from that HTML
(danger signs, act now, referral cards, doses: ``parts``), and every flowchart is the flowchart compiler's SVG.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cached_property

import markdown

from .. import i18n
from ..clinical import urgency as urgency_scale
from ..flowchart.compile import Chart, compile_chart
from ..flowchart.fences import find_fences
from ..manual import model
from ..manual.loader import Chapter, Manual
from ..manual.pages import Renderer, a_z_entries, item_labels
from . import parts
from .routes import Routes
from .settings import EditionLabel
from .words import DEFAULT_EMERGENCY_NUMBER, word

KINDS = ("pocket", "full", "wall", "handout")
#: Page size and margins (top right bottom left) per kind; the bottom margin holds the footer.
PAGES = {
    "pocket": ("105mm 148mm", "9mm 8mm 15mm 8mm", "6.5pt"),
    "full": ("A4", "18mm 18mm 22mm 18mm", "8pt"),
    "wall": ("A4", "10mm 10mm 17mm 10mm", "7.5pt"),
    "handout": ("A5", "12mm 12mm 18mm 12mm", "7pt"),
}
FONT_STACK = '"Noto Sans CJK SC", "Noto Sans CJK", "Noto Sans", sans-serif'


def markdown_html(text: str) -> str:
    """Markdown → HTML with the site's extensions (mkdocs.yml ``markdown_extensions``) and its sanitizer."""
    from pymdownx.slugs import slugify

    from ..flowchart.fence import format as flowchart_format
    from ..markup.sanitize import SanitizeExtension

    md = markdown.Markdown(
        extensions=["toc", "attr_list", "md_in_html", "admonition", "tables", "def_list", "pymdownx.details",
                    "pymdownx.superfences", SanitizeExtension()],
        extension_configs={
            "toc": {"slugify": slugify(case="lower")},
            "pymdownx.superfences": {"custom_fences": [
                {"name": "flowchart", "class": "flowchart", "format": flowchart_format}]},
        })
    return md.convert(text)


def css_string(text: str) -> str:
    """A CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


def level_tag(level_id: str, lang: str) -> str:
    level = urgency_scale.level(level_id)
    return (f'<span class="cp-tag cp-level--{level_id}"><span class="cp-shape">{level.shape}</span> '
            f'{html.escape(i18n.t("urgency." + level_id, lang))}</span>')


@dataclass
class Book:
    """Everything one language's print editions are made of, for one member (or the chapters' own routes)."""

    manual: Manual
    renderer: Renderer
    lang: str
    edition: EditionLabel
    disclaimer: str | None
    routes: Routes | None = None
    site_url: str | None = None
    member_name: str = ""
    #: The edition's changelog as the site's "What's new" Markdown (None: no editions).
    changelog_markdown: str | None = None
    _html: dict[str, str] = field(default_factory=dict)

    @cached_property
    def chapters(self) -> list[Chapter]:
        return self.manual.in_language(self.lang)

    def chapter_html(self, chapter: Chapter) -> str:
        if chapter.id not in self._html:
            self._html[chapter.id] = markdown_html(self.renderer.chapter_page(chapter).markdown)
        return self._html[chapter.id]

    def charts(self, chapter: Chapter) -> list[Chart]:
        items = item_labels(chapter.meta, chapter.lang)
        compiled = [compile_chart(fence.source, lang=chapter.lang, items=items) for fence in find_fences(chapter.body)]
        return [chart for chart in compiled if chart.ok]

    # -- shared pieces --------------------------------------------------------------------------
    def page_css(self, kind: str, *, page_label: str | None = None, scale: float = 1.0) -> str:
        size, margin, footer_size = PAGES[kind]
        right = f"{self.edition.label(self.lang)} · {self.edition.date.isoformat()} · "
        if page_label is not None:
            number = css_string(right + page_label)
        elif kind == "handout":
            before, _, after = word("page_of", self.lang, n="\0", total="\1").partition("\0")
            middle, _, end = after.partition("\1")
            number = (f'{css_string(right + before)} counter(page) {css_string(middle)} counter(pages) '
                      f'{css_string(end)}')
        else:
            before, _, after = word("page", self.lang, n="\0").partition("\0")
            number = f"{css_string(right + before)} counter(page) {css_string(after)}"
        left = css_string(self.disclaimer or self.member_name or "")
        header = ('@top-center { content: string(chapter); font-size: 6.5pt; color: #555; }'
                  if kind in ("pocket", "full") else "")
        return (f"@page {{ size: {size}; margin: {margin};"
                f" @bottom-left {{ content: {left}; font-size: {footer_size}; color: #b71c1c; font-weight: 700;"
                f" vertical-align: top; padding-top: 2mm; width: 52%; }}"
                f" @bottom-right {{ content: {number}; font-size: {footer_size}; color: #333;"
                f" vertical-align: top; padding-top: 2mm; width: 46%; text-align: right; }} {header} }}"
                f" @page :first {{ @top-center {{ content: none; }} }}"
                f" html {{ font-family: {FONT_STACK}; font-size: {10 * scale:.2f}pt; }}")

    def document(self, kind: str, body: str, *, page_label: str | None = None, scale: float = 1.0,
                 title: str = "") -> str:
        from .style import STYLE

        body = _unlink_missing(body)
        return (f'<!DOCTYPE html><html lang="{self.lang}" class="cp-paper cp-paper--{kind}"><head>'
                f'<meta charset="utf-8"><title>{html.escape(title)}</title>'
                f"<style>{STYLE}\n{self.page_css(kind, page_label=page_label, scale=scale)}</style>"
                f"</head><body>{body}</body></html>")

    def routes_box(self, levels: list[str]) -> str:
        """This member's routes for the given levels (nothing without a member)."""
        if self.routes is None:
            return ""
        rows = []
        for level_id in levels:
            route = self.routes.for_level(level_id)
            if route is None:
                continue
            facts = [(key, value) for key, value in (
                ("department", route.department), ("address", route.address), ("phone", route.phone),
                ("hours", route.hours), ("green_channel", route.green_channel), ("send_with", route.send_with))
                if value]
            dl = "".join(f"<dt>{html.escape(word(key, self.lang))}</dt><dd>{html.escape(value)}</dd>"
                         for key, value in facts)
            rows.append(f'<div class="cp-route">{level_tag(level_id, self.lang)}<dl>{dl}</dl></div>')
        phones = "".join(f"<li>{html.escape(label)}: <strong>{html.escape(number)}</strong></li>"
                         for label, number in self.routes.phones)
        emergency = self.routes.emergency_number or DEFAULT_EMERGENCY_NUMBER
        return (f'<aside class="cp-routes"><h4>{html.escape(word("routes", self.lang))} · '
                f'{html.escape(self.routes.short_name or self.routes.name)}</h4>{"".join(rows)}'
                f'<ul class="cp-phones">{phones}<li>{html.escape(word("emergency_number", self.lang))}: '
                f"<strong>{html.escape(emergency)}</strong></li></ul></aside>")

    def chapter_levels(self, chapter: Chapter) -> list[str]:
        used = {referral.urgency for referral in chapter.meta.referrals}
        return [level for level in model.URGENCY_ORDER if level in used]

    def blocks(self, chapter: Chapter) -> dict[str, str]:
        page = self.chapter_html(chapter)
        act_now = parts.first(page, parts.by_id("act-now"))
        act_now = re.sub(r"^<details\b", "<div", act_now)
        act_now = re.sub(r"</details>$", "</div>", act_now).replace("<summary", "<p").replace("</summary>", "</p>")
        return {"danger_signs": parts.first(page, parts.by_class("cp-box--danger")),
                "act_now": act_now,
                "referrals": parts.first(page, parts.by_class("cp-referrals")),
                "doses": "".join(parts.elements(page, parts.by_class("cp-dose")))}

    # -- pocket edition -----------------------------------------------------------------------------
    def pocket_html(self) -> str:
        out = [self.cover("pocket")]
        for chapter in self.chapters:
            blocks = self.blocks(chapter)
            out.append(f'<section class="cp-chapter" id="ch-{chapter.id}"><h1 class="cp-chapter-title">'
                       f"{html.escape(chapter.meta.title)}</h1>")
            out.append(f'<h2>{html.escape(word("danger_signs", self.lang))}</h2>{blocks["danger_signs"]}')
            if blocks["act_now"]:
                out.append(f'<h2>{html.escape(word("act_now", self.lang))}</h2>{blocks["act_now"]}')
            out.append(f'<h2>{html.escape(word("referral", self.lang))}</h2>'
                       f'{self.routes_box(self.chapter_levels(chapter))}{blocks["referrals"]}')
            for chart in self.charts(chapter):
                out.append(f'<h2>{html.escape(word("flowchart", self.lang))}</h2>'
                           f'<div class="cp-print-chart cp-print-chart--page">{chart.svg}</div>'
                           f'<h3>{html.escape(word("chart_text", self.lang))}</h3>'
                           f'<div class="cp-fc-outline">{chart.outline_html}</div>')
            out.append("</section>")
        out.append(self.symptom_index())
        out.append(self.dose_tables())
        return self.document("pocket", "".join(out), title=word("pocket", self.lang))

    def symptom_index(self) -> str:
        items = []
        for letter, entries in a_z_entries(self.chapters, self.lang):
            rows = "".join(f'<li><a class="cp-ref" href="#ch-{entry.chapter_id}">{html.escape(entry.term)}'
                           + (f' <span class="cp-see">→ {html.escape(entry.title)}</span>' if entry.is_synonym
                              else "") + "</a></li>" for entry in entries)
            items.append(f"<h3>{html.escape(letter)}</h3><ul>{rows}</ul>")
        return (f'<section class="cp-index" id="symptom-index"><h1 class="cp-chapter-title">'
                f'{html.escape(word("symptom_index", self.lang))}</h1>{"".join(items)}</section>')

    def dose_tables(self) -> str:
        out = []
        for chapter in self.chapters:
            doses = self.blocks(chapter)["doses"]
            if doses:
                out.append(f'<h2><a class="cp-ref" href="#ch-{chapter.id}">{html.escape(chapter.meta.title)}</a>'
                           f"</h2>{doses}")
        if not out:
            return ""
        return (f'<section class="cp-dose-tables" id="dose-tables"><h1 class="cp-chapter-title">'
                f'{html.escape(word("dose_tables", self.lang))}</h1>{"".join(out)}</section>')

    # -- full manual ------------------------------------------------------------------------------
    def cover(self, kind: str) -> str:
        member = (f'<p class="cp-cover__member">{html.escape(word("for", self.lang))}: '
                  f"{html.escape(self.member_name)}</p>" if self.member_name else "")
        disclaimer = f'<p class="cp-cover__disclaimer">{html.escape(self.disclaimer)}</p>' if self.disclaimer else ""
        return (f'<section class="cp-cover"><p class="cp-cover__kind">{html.escape(word(kind, self.lang))}</p>'
                f'<h1 class="cp-cover__title">{html.escape(word("manual_title", self.lang))}</h1>{member}'
                f'<p class="cp-cover__edition">{html.escape(word("edition", self.lang))}: '
                f"{html.escape(self.edition.label(self.lang))}</p>"
                f'<p class="cp-cover__date">{html.escape(word("date", self.lang))}: '
                f"{self.edition.date.isoformat()}</p>{disclaimer}</section>")

    def full_html(self) -> str:
        toc = []
        body = []
        for group_title, chapters in self._by_group():
            rows = "".join(f'<li><a class="cp-ref" href="#ch-{c.id}">{html.escape(c.meta.title)}</a></li>'
                           for c in chapters)
            toc.append(f"<li>{html.escape(group_title)}<ul>{rows}</ul></li>")
            for chapter in chapters:
                page = _local_links(self.chapter_html(chapter))
                body.append(f'<section class="cp-chapter" id="ch-{chapter.id}">{page}'
                            f"{self.routes_box(self.chapter_levels(chapter))}</section>")
        extra = []
        if self.changelog_markdown:
            extra.append(("cp-book-changelog", word("changelog", self.lang)))
            body.append(f'<section class="cp-chapter cp-changelog" id="cp-book-changelog">'
                        f"{_local_links(markdown_html(self.changelog_markdown))}</section>")
        extra.append(("cp-book-references", word("references", self.lang)))
        body.append(self.bibliography())
        toc += [f'<li><a class="cp-ref" href="#{anchor}">{html.escape(title)}</a></li>' for anchor, title in extra]
        contents = (f'<nav class="cp-toc"><h1>{html.escape(word("contents", self.lang))}</h1>'
                    f'<ul>{"".join(toc)}</ul></nav>')
        return self.document("full", self.cover("full") + contents + "".join(body), title=word("full", self.lang))

    def bibliography(self) -> str:
        cited: list[str] = []
        for chapter in self.chapters:
            for ref in chapter.meta.references:
                if ref not in cited and ref in self.manual.references:
                    cited.append(ref)
        rows = []
        for ref_id in cited:
            ref = self.manual.references[ref_id]
            text = ". ".join(part for part in (ref.title, ref.publisher, ref.version) if part)
            url = f' <span class="cp-url">{html.escape(ref.url)}</span>' if ref.url else ""
            rows.append(f'<li id="bib-{ref_id}">{html.escape(text)}{url}</li>')
        return (f'<section class="cp-chapter cp-bibliography" id="cp-book-references"><h1>'
                f'{html.escape(word("references", self.lang))}</h1><ol>{"".join(rows)}</ol></section>')

    def _by_group(self) -> list[tuple[str, list[Chapter]]]:
        sections: dict[str, list[Chapter]] = {}
        for chapter in self.chapters:
            sections.setdefault(chapter.meta.group, []).append(chapter)
        return [(self.manual.group_title(group, self.lang), chapters) for group, chapters in sections.items()]

    # -- wall chart -------------------------------------------------------------------------------
    def wall_html(self, chapter: Chapter, *, number: int, total: int, scale: float = 1.0) -> str:
        blocks = self.blocks(chapter)
        charts = self.charts(chapter)
        chart = charts[0] if charts else None
        # The chart keeps its proportions in a column as tall as the page allows (A4: 297 mm less margins,
        # footer and title); the text column takes the rest.
        height = 250.0
        width = 95.0
        if chart is not None:
            box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', chart.svg)
            if box:
                ratio = float(box[1]) / float(box[2])
                width = min(95.0, height * ratio)
                height = width / ratio
        figure = (f'<td class="cp-wall__chart" style="width: {width:.1f}mm">'
                  f'<div class="cp-print-chart" style="height: {height:.1f}mm">{chart.svg}</div></td>'
                  if chart else "")
        text = (f'<td class="cp-wall__text"><h2>{html.escape(word("danger_signs", self.lang))}</h2>'
                f'{blocks["danger_signs"]}<h2>{html.escape(word("referral", self.lang))}</h2>'
                f'{self.routes_box(self.chapter_levels(chapter))}{self.referral_summary(chapter)}</td>')
        body = (f'<section class="cp-chapter cp-wall" id="ch-{chapter.id}"><h1 class="cp-chapter-title">'
                f'{html.escape(chapter.meta.title)} · {html.escape(word("flowchart", self.lang))}</h1>'
                f'<table class="cp-wall__grid"><tr>{figure}{text}</tr></table></section>')
        label = word("page_of", self.lang, n=number, total=total)
        return self.document("wall", body, page_label=label, scale=scale, title=chapter.meta.title)

    def referral_summary(self, chapter: Chapter) -> str:
        """Each referral in one card: level, destination, time frame and the steps before transfer (the wall
        chart's danger signs already say which level each sign leads to)."""
        colon = i18n.colon(self.lang)
        cards = []
        for level_id in model.URGENCY_ORDER:
            for referral in chapter.meta.referrals:
                if referral.urgency != level_id:
                    continue
                steps = "".join(f"<li>{html.escape(step.text)}</li>" for step in referral.pre_referral)
                criteria = "".join(f"<li>{html.escape(text)}</li>" for text in referral.criteria)
                cards.append(
                    f'<div class="cp-referral cp-level--{level_id}" id="{referral.id}">'
                    f"<p>{level_tag(level_id, self.lang)} <strong>{html.escape(referral.target)}</strong>"
                    f"{html.escape(colon)}{html.escape(referral.time_frame)}</p>"
                    + (f"<ul>{criteria}</ul>" if criteria else "") + (f"<ol>{steps}</ol>" if steps else "")
                    + "</div>")
        return "".join(cards)

    # -- parent handout ---------------------------------------------------------------------------
    def parents_url(self, chapter: Chapter) -> str | None:
        if not self.site_url:
            return None
        prefix = "" if self.lang == self.manual.default_language else f"{self.lang}/"
        return f"{self.site_url}{prefix}parents/{chapter.id}/"

    def handout_html(self, chapter: Chapter) -> str:
        from .qr import qr_svg

        advice = chapter.meta.parent_advice
        title = i18n.t("parents.title", self.lang).format(title=chapter.meta.title)
        out = [f'<section class="cp-chapter cp-handout" id="ch-{chapter.id}"><h1 class="cp-chapter-title">'
               f"{html.escape(title)}</h1>"]
        if advice is None:
            out.append(f'<p>{html.escape(word("no_advice", self.lang))}</p>')
        else:
            now = html.escape(i18n.t("parents.come_back_now", self.lang))
            out.append(f'<div class="cp-handout__now"><h2>■ {now}</h2><ul>'
                       + "".join(f"<li>{html.escape(item.text)}</li>" for item in advice.come_back_now)
                       + "</ul></div>")
            out.append(f'<h2>{html.escape(i18n.t("parents.home", self.lang))}</h2><ul>'
                       + "".join(f"<li>{html.escape(text)}</li>" for text in advice.home) + "</ul>")
            if advice.avoid:
                out.append(f'<h2>{html.escape(i18n.t("parents.avoid", self.lang))}</h2><ul>'
                           + "".join(f"<li>{html.escape(text)}</li>" for text in advice.avoid) + "</ul>")
            if advice.come_back_anyway:
                out.append(f'<h2>{html.escape(i18n.t("parents.come_back_anyway", self.lang))}</h2><ul>'
                           + "".join(f"<li>{html.escape(item.text)}</li>" for item in advice.come_back_anyway)
                           + "</ul>")
        number = self.routes.emergency_number if self.routes and self.routes.emergency_number \
            else DEFAULT_EMERGENCY_NUMBER
        phones = "".join(f"<li>{html.escape(label)}: <strong>{html.escape(value)}</strong></li>"
                         for label, value in (self.routes.phones if self.routes else ()))
        out.append(f'<p class="cp-handout__call">{html.escape(word("call_emergency", self.lang, number=number))}</p>')
        if phones:
            out.append(f'<ul class="cp-phones">{phones}</ul>')
        url = self.parents_url(chapter)
        if url:
            out.append(f'<table class="cp-handout__qr"><tr><td class="cp-qr">{qr_svg(url)}</td>'
                       f'<td><p>{html.escape(word("scan", self.lang))}</p><p class="cp-url">{html.escape(url)}'
                       "</p></td></tr></table>")
        out.append("</section>")
        return self.document("handout", "".join(out), title=title)


def _unlink_missing(body: str) -> str:
    """Links to anchors this document does not have (a citation whose reference list is not printed, a chapter
    not in this edition) keep their text and lose their target."""
    ids = set(re.findall(r'\bid="([^"]+)"', body))
    return re.sub(r'href="#([^"]*)"', lambda m: m[0] if m[1] in ids else "", body)


def _local_links(page: str) -> str:
    """Links between chapters point inside the book (``../cough/`` → ``#ch-cough``)."""
    return re.sub(r'href="(?:\.\./)+([a-z0-9-]+)/(?:#[^"]*)?"', r'href="#ch-\1"', page)
