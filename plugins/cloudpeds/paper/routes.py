"""Referral routes as the printed editions show them: per urgency level, where to send the child.

The interface between a consortium member (``sites/<id>.yml``, read by the member builds) and the print
editions is this small data class, so the PDFs need nothing else of the member model:

- ``Routes.name`` / ``short_name``: who the routes belong to (the member, or the chapter's own referrals);
- ``Routes.phones``: the clinic's own numbers, ``(label, number)``, printed on the cover and in each referral box;
- ``Routes.emergency_number``: the local emergency number (120 in mainland China);
- ``Routes.levels``: urgency level id (``cloudpeds.clinical.urgency``) → ``Route``.

Without a member (``routes=None``) the PDFs show each chapter's own referral cards (target and time frame
from the chapter's front matter), as the site does.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Route:
    """Where a child at one urgency level goes: the receiving department and how to get the child there."""

    department: str
    address: str = ""
    phone: str = ""
    hours: str = ""
    #: How to use the consortium's green channel (emergency: call ahead, what to say).
    green_channel: str = ""
    #: What to send with the child (referral note, results, the drugs given).
    send_with: str = ""


@dataclass(frozen=True)
class Routes:
    """One member's referral routes in one language (the texts already in that language)."""

    name: str
    short_name: str
    phones: tuple[tuple[str, str], ...] = ()
    emergency_number: str = ""
    levels: dict[str, Route] = field(default_factory=dict)

    def for_level(self, level: str) -> Route | None:
        return self.levels.get(level)


#: What a member loader hands the ``pdf`` command: language → that language's routes.
MemberRoutes = dict[str, Routes]
