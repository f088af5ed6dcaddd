"""The print style sheet: the urgency scale's colours (as on the site) and paper.css."""

from __future__ import annotations

from pathlib import Path

from ..clinical.level_styles import css as level_css

STYLE = level_css() + "\n" + (Path(__file__).parent / "paper.css").read_text(encoding="utf-8")
