"""The urgency scale's colours as a stylesheet: the only way a level's colour reaches CSS.

Every view marks an element with ``cp-level--<id>``; the generated rules set three custom properties on
it (``--cp-fill``, ``--cp-border``, ``--cp-ink``) that the theme's components (tags, cards, signs, flow
chart badges) draw with. The theme itself names no level colour.
"""

from __future__ import annotations

from .urgency import LEVELS, TRIAGE_LEVEL

#: Where the cloudpeds/manual plugin writes the stylesheet in the site.
FILE = "assets/cp-levels.css"
#: The theme's own stylesheet, which the levels are appended to when the site lists it in extra_css.
THEME_FILE = "assets/cloudpeds.css"


def css() -> str:
    lines = ["/* Generated from cloudpeds.clinical.urgency (the one urgency scale). Do not edit. */", ":root {"]
    for lv in LEVELS:
        lines.append(f"  --cp-level-{lv.id}-fill: {lv.fill}; --cp-level-{lv.id}-border: {lv.border}; "
                     f"--cp-level-{lv.id}-ink: {lv.ink};")
    lines.append("}")
    for lv in LEVELS:
        lines.append(f".cp-level--{lv.id} {{ --cp-fill: var(--cp-level-{lv.id}-fill); "
                     f"--cp-border: var(--cp-level-{lv.id}-border); --cp-ink: var(--cp-level-{lv.id}-ink); }}")
    # A danger sign's colour is drawn as the level it calls for (red → emergency).
    for triage, level_id in TRIAGE_LEVEL.items():
        lines.append(f".cp-sign--{triage} {{ --cp-fill: var(--cp-level-{level_id}-fill); "
                     f"--cp-border: var(--cp-level-{level_id}-border); --cp-ink: var(--cp-level-{level_id}-ink); }}")
    return "\n".join(lines) + "\n"
