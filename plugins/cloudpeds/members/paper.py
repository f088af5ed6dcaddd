"""A member's routes for the print editions (``cloudpeds pdf --site ID``): ``sites/<id>.yml`` as
`cloudpeds.paper.routes.MemberRoutes` (one `Routes` per language, texts already in that language)."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Severity
from ..paper.routes import MemberRoutes, Route, Routes
from .loader import load_member


def print_routes(project: Path, site_id: str, languages: tuple[str, ...] = ("zh", "en")) -> MemberRoutes:
    """Raises ValueError with every problem of the member file at its file:line."""
    path = project / "sites" / f"{site_id}.yml"
    if not path.is_file():
        known = sorted(p.stem for p in (project / "sites").glob("*.yml"))
        raise ValueError(f"sites/{site_id}.yml: no such member site; the members are: {', '.join(known) or 'none'}")
    diagnostics: list = []
    loaded = load_member(path, project, diagnostics)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if loaded is None or errors:
        raise ValueError("\n".join(d.format() for d in errors) or f"sites/{site_id}.yml: cannot be read")
    member = loaded.member
    return {lang: Routes(
        name=member.name.get(lang), short_name=member.short_name.get(lang),
        phones=tuple((phone.label.get(lang), phone.number) for phone in member.phones),
        emergency_number=member.emergency_number,
        levels={level: Route(department=route.department.get(lang), address=route.address.get(lang),
                             phone=route.phone, hours=route.hours.get(lang),
                             green_channel=route.green_channel.get(lang) if route.green_channel else "",
                             send_with="; ".join(item.get(lang) for item in route.send_with))
                for level, route in member.routes.items()})
        for lang in languages}
