"""A member's blocks: the banner on every page, the local route in each referral card and on the quick-reference
page, the local notes, the doses with the member's stocked formulations, and the member section of the bedside
data (``clinical/<chapter>.json``). HTML from Jinja2 with autoescaping: nothing in a site file is markup."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .. import i18n
from ..clinical.medicines import Formulary
from .loader import LoadedMember, stocked_formulations
from .model import LOCAL_LABEL, SAMPLE_LABEL, Member

WORDS: dict[str, dict[str, str]] = {
    "zh": {"local": LOCAL_LABEL["zh"], "sample": SAMPLE_LABEL["zh"], "emergency": "急救",
           "route": "转诊路径", "department": "接收科室", "phone": "电话", "address": "地址", "hours": "接诊时间",
           "green_channel": "绿色通道", "send_with": "随患儿带上", "not_stocked": "未备此制剂"},
    "en": {"local": LOCAL_LABEL["en"], "sample": SAMPLE_LABEL["en"], "emergency": "Emergency",
           "route": "referral route", "department": "Receiving department", "phone": "Phone", "address": "Address",
           "hours": "Hours", "green_channel": "Green channel", "send_with": "Send with the child",
           "not_stocked": "not stocked"},
}
#: Where the member's logo is put in its site (fingerprinted by the delivery step like every asset).
LOGO_DIR = "assets/member"
_BLANK_LINES = re.compile(r"\n\s*\n")
_env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                          trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def tel(number: str) -> str:
    """The number as a ``tel:`` URL wants it: digits and a leading +."""
    return re.sub(r"[^0-9+]", "", number)


def _render(template: str, **context: object) -> str:
    return _BLANK_LINES.sub("\n", _env.get_template(template).render(tel=tel, **context).strip())


@dataclass
class MemberBlocks:
    """Renders one member's blocks for pages of one manual (the renderer of the build that made the slots)."""

    loaded: LoadedMember
    renderer: object  # cloudpeds.manual.pages.Renderer
    _doses: dict[str, tuple[object, str]] = field(default_factory=dict)  # dose id → (chapter, lang)
    _referral_level: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        manual = self.renderer.manual
        for lang in manual.languages:
            for chapter in manual.in_language(lang):
                for referral in chapter.meta.referrals:
                    self._referral_level[referral.id] = referral.urgency
                for dose in chapter.meta.doses:
                    self._doses[(dose.id, lang)] = chapter
        self.formulary: Formulary | None = getattr(getattr(manual, "clinical", None), "formulary", None)
        self.stocked = stocked_formulations(self.member, self.formulary)
        self._stocked_formulary = _only_stocked(self.formulary, self.stocked)

    @property
    def member(self) -> Member:
        return self.loaded.member

    def logo_name(self) -> str | None:
        path = self.loaded.logo_path
        return f"{LOGO_DIR}/{self.member.id}{path.suffix.lower()}" if path else None

    # -- slots ------------------------------------------------------------------------------------
    def block(self, kind: str, lang: str, key: str, inner: str | None, root: str | None) -> str:
        """The HTML for a slot (``root``: the page's relative path to the site's root, None where unknown)."""
        if kind == "banner":
            logo = self.logo_name()
            return self.banner(lang, f"{root}{logo}" if logo and root is not None else None)
        if kind == "route":
            level = self._referral_level.get(key)
            return self.route(level, lang) if level else ""
        if kind == "level":
            return self.route(key, lang)
        if kind == "note":
            return self.notes(key, lang)
        if kind == "dose":
            return self.dose(key, lang) or inner or ""
        return ""

    def banner(self, lang: str, logo: str | None) -> str:
        return _render("banner.html.j2", member=self.member, lang=lang, w=WORDS[lang], logo=logo)

    def route(self, level: str, lang: str) -> str:
        route = self.member.routes.get(level)
        if route is None:
            return ""
        return _render("route.html.j2", member=self.member, route=route, level=level, lang=lang, w=WORDS[lang],
                       colon=i18n.t("punct.colon", lang))

    def notes(self, item_id: str, lang: str) -> str:
        notes = [note for note in self.member.notes if note.item == item_id]
        if not notes:
            return ""
        return _render("note.html.j2", member=self.member, notes=notes, lang=lang, w=WORDS[lang])

    def dose(self, dose_id: str, lang: str) -> str | None:
        """The dose block with the stocked formulations only, then the ones not stocked and what to use instead."""
        chapter = self._doses.get((dose_id, lang))
        if chapter is None:
            return None
        from ..clinical.dosetable import WORDS as DOSE_WORDS
        from ..clinical.dosetable import dose_view, formulations_for
        from ..manual import pages

        dose = next(d for d in chapter.meta.doses if d.id == dose_id)
        renderer = self.renderer
        doc = renderer.layout.chapter(lang, chapter.id)
        ctx = renderer._context(doc, lang)
        ctx.update(citations=renderer._citations(chapter))
        view = dose_view(dose, self._stocked_formulary, chapter.meta.age_range, lang)
        html = pages._env.get_template("dose.html.j2").render(**ctx, view=view, words=DOSE_WORDS[lang],
                                                               by_age=bool(dose.by_age)).strip()
        html = _BLANK_LINES.sub("\n", html)
        medicine = self.formulary.medicines.get(dose.drug) if self.formulary else None
        missing = [(f.label.get(lang), self.instead(f.id, lang)) for f in formulations_for(dose, medicine)
                   if self.stocked is not None and f.id not in self.stocked]
        if missing:
            html += "\n" + _render("not_stocked.html.j2", member=self.member, missing=missing, lang=lang,
                                   w=WORDS[lang], colon=i18n.t("punct.colon", lang))
        return html

    def instead(self, formulation_id: str, lang: str) -> str | None:
        if self.member.formulary is None:
            return None
        found = next((a for a in self.member.formulary.alternatives if a.formulation == formulation_id), None)
        return found.instead.get(lang) if found else None

    # -- bedside data -------------------------------------------------------------------------------
    def chapter_data(self, chapter_id: str) -> dict:
        """The ``member`` section of ``clinical/<chapter>.json``: routes and numbers for the act-now block and the
        referral handover note, this chapter's local notes and the formulations its doses name that are not
        stocked (with the alternative)."""
        member = self.member
        manual = self.renderer.manual
        chapter = manual.chapter(manual.default_language, chapter_id) or next(
            (manual.chapter(lang, chapter_id) for lang in manual.languages if manual.chapter(lang, chapter_id)), None)
        items = set()
        not_stocked = []
        if chapter is not None:
            meta = chapter.meta
            items = {i.id for i in [*meta.danger_signs, *meta.referrals, *meta.doses, *meta.recommendations]}
            seen: set[str] = set()
            for dose in meta.doses:
                from ..clinical.dosetable import formulations_for

                medicine = self.formulary.medicines.get(dose.drug) if self.formulary else None
                for f in formulations_for(dose, medicine):
                    if self.stocked is not None and f.id not in self.stocked and f.id not in seen:
                        seen.add(f.id)
                        alternative = next((a for a in member.formulary.alternatives if a.formulation == f.id), None)
                        not_stocked.append({"formulation": f.id, "label": f.label.model_dump(),
                                            "instead": alternative.instead.model_dump() if alternative else None})
        return {
            "id": member.id,
            "name": member.name.model_dump(),
            "short_name": member.short_name.model_dump(),
            "sample": member.sample,
            "emergency_number": member.emergency_number,
            "phones": [{"label": p.label.model_dump(), "number": p.number} for p in member.phones],
            "routes": {level: route.model_dump(mode="json") for level, route in member.routes.items()},
            "notes": [{"item": n.item, "text": n.text.model_dump()} for n in member.notes if n.item in items],
            "not_stocked": not_stocked,
        }


def _only_stocked(formulary: Formulary | None, stocked: set[str] | None) -> Formulary | None:
    """The formulary with only the stocked formulations (dose tables then show columns for those)."""
    if formulary is None or stocked is None:
        return formulary
    medicines = {mid: medicine.model_copy(update={"formulations": [f for f in medicine.formulations
                                                                   if f.id in stocked]})
                 for mid, medicine in formulary.medicines.items()}
    return Formulary(medicines, formulary.path, formulary.positions)
