"""Load and check the members' site files (``sites/*.yml``) against the manual: every problem at once, each at
its ``file:line``, like the chapters."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .. import yamlpos
from ..diagnostics import Diagnostic, display_path, error, warning
from .model import Member

#: The members' folder inside the project.
SITES_DIR = "sites"
LOGO_SUFFIXES = (".svg", ".png")
#: Levels at which a referral sends the child to another hospital: a member without a route there is told so.
REFERRING_LEVELS = ("emergency", "urgent", "routine")


@dataclass
class LoadedMember:
    member: Member
    path: Path
    shown: str
    positions: yamlpos.Positions

    @property
    def logo_path(self) -> Path | None:
        return logo_file(self.member, self.path)


def logo_file(member: Member, site_file: Path) -> Path | None:
    """The logo beside the site file, else relative to the project (the site file's parent's parent)."""
    if not member.logo:
        return None
    for base in (site_file.parent, site_file.parent.parent):
        candidate = base / member.logo
        if candidate.is_file():
            return candidate
    return None


def member_files(sites_dir: Path) -> list[Path]:
    return sorted(sites_dir.glob("*.yml")) if sites_dir.is_dir() else []


def load_member(path: Path, root: Path, diagnostics: list[Diagnostic]) -> LoadedMember | None:
    from ..manual.loader import load_yaml_model

    loaded = load_yaml_model(path, Member, root, diagnostics)
    if loaded is None:
        return None
    member, positions = loaded
    shown = display_path(path, root)
    if member.id != path.stem:
        diagnostics.append(error(shown, *positions.of(("id",)), "id",
                                 f"the id {member.id!r} differs from the file name {path.name!r}",
                                 f"rename the file to {member.id}.yml, or set `id: {path.stem}`"))
    return LoadedMember(member, path, shown, positions)


def load_members(sites_dir: Path, root: Path, diagnostics: list[Diagnostic]) -> list[LoadedMember]:
    return [loaded for path in member_files(sites_dir)
            if (loaded := load_member(path, root, diagnostics)) is not None]


def _suggest(value: str, choices: list[str], what: str) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else what


def item_index(manual) -> dict[str, str]:
    """Every item id a local note may name (danger signs, referrals, doses, recommendations) → its chapter."""
    found: dict[str, str] = {}
    for lang in manual.languages:
        for chapter in manual.in_language(lang):
            meta = chapter.meta
            for item in [*meta.danger_signs, *meta.referrals, *meta.doses, *meta.recommendations]:
                found.setdefault(item.id, meta.id)
    return found


def check_member(loaded: LoadedMember, manual, diagnostics: list[Diagnostic]) -> None:
    """The member's ids against the manual and its formulary; the logo; missing routes."""
    member, shown, where = loaded.member, loaded.shown, loaded.positions.of
    if member.logo:
        path = loaded.logo_path
        if path is None:
            diagnostics.append(error(shown, *where(("logo",)), "logo", f"the logo {member.logo!r} is not found",
                                     f"put the picture beside {shown} or give its path from the project folder"))
        elif path.suffix.lower() not in LOGO_SUFFIXES:
            diagnostics.append(error(shown, *where(("logo",)), "logo", f"the logo {member.logo!r} is not SVG or PNG",
                                     "save the logo as .svg or .png"))
    formulary = getattr(getattr(manual, "clinical", None), "formulary", None)
    if member.formulary is not None and formulary is not None:
        medicines = sorted(formulary.medicines)
        formulations = sorted(f.id for m in formulary.medicines.values() for f in m.formulations)
        for index, name in enumerate(member.formulary.stocked):
            if name not in formulary.medicines and formulary.formulation(name) is None:
                diagnostics.append(error(
                    shown, *where(("formulary", "stocked", index)), f"formulary.stocked[{index}]",
                    f"{name!r} is neither a medicine nor a formulation of {formulary.path}",
                    _suggest(name, medicines + formulations,
                             f"use a medicine id ({', '.join(repr(m) for m in medicines[:4])}, …) or a formulation "
                             f"id from {formulary.path}")))
        stocked = stocked_formulations(member, formulary)
        for index, alternative in enumerate(member.formulary.alternatives):
            field = ("formulary", "alternatives", index, "formulation")
            dotted = f"formulary.alternatives[{index}].formulation"
            if formulary.formulation(alternative.formulation) is None:
                diagnostics.append(error(shown, *where(field), dotted,
                                         f"{alternative.formulation!r} is not a formulation of {formulary.path}",
                                         _suggest(alternative.formulation, formulations,
                                                  f"use a formulation id from {formulary.path}")))
            elif stocked is not None and alternative.formulation in stocked:
                diagnostics.append(error(shown, *where(field), dotted,
                                         f"{alternative.formulation!r} is stocked, so it needs no alternative",
                                         "remove this alternative, or take the formulation out of `stocked`"))
    items = item_index(manual)
    for index, note in enumerate(member.notes):
        if note.item not in items:
            diagnostics.append(error(shown, *where(("notes", index, "item")), f"notes[{index}].item",
                                     f"no danger sign, referral, dose or recommendation has the id {note.item!r}",
                                     _suggest(note.item, sorted(items),
                                              "copy the item's id from its chapter's front matter")))
    used = {referral.urgency for lang in manual.languages for chapter in manual.in_language(lang)
            for referral in chapter.meta.referrals}
    for level in REFERRING_LEVELS:
        if level in used and level not in member.routes:
            diagnostics.append(warning(shown, *where(("routes",), key=True), "routes",
                                       f"the manual refers children at level {level!r} but this member has no "
                                       f"route for it: those referral cards show no local route",
                                       f"add `{level}:` under `routes` with department, address, phone and hours"))


def stocked_formulations(member: Member, formulary) -> set[str] | None:
    """The formulation ids the member stocks; None: everything (no ``formulary`` in the site file)."""
    if member.formulary is None or formulary is None:
        return None
    out: set[str] = set()
    for name in member.formulary.stocked:
        medicine = formulary.medicines.get(name)
        if medicine is not None:
            out.update(f.id for f in medicine.formulations)
        else:
            out.add(name)
    return out


def check_members(sites_dir: Path, manual, root: Path) -> tuple[list[LoadedMember], list[Diagnostic]]:
    """Load every ``sites/*.yml`` and check it against the (already checked) manual."""
    diagnostics: list[Diagnostic] = []
    members = load_members(sites_dir, root, diagnostics)
    if manual is not None:
        for loaded in members:
            check_member(loaded, manual, diagnostics)
    return members, sorted(diagnostics)
