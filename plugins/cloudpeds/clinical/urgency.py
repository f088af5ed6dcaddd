"""The one urgency scale: every part of the site that shows how fast to act draws from this table.

Flowchart node kinds, referral cards, the step-through walker, the text outline, quick-reference pages,
search badges and print all take a level's colour, shape and words from here; no other module may
hard-code "red = emergency". Each level has a shape that no other level uses, so the scale reads in
greyscale, on paper and for colour-blind readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LevelId = Literal["emergency", "urgent", "routine", "observe", "treat-home", "home"]
TriageId = Literal["red", "amber", "green"]


@dataclass(frozen=True)
class Level:
    id: LevelId
    #: 0 is the most urgent; a higher rank is never more urgent.
    rank: int
    #: (background, border, text) colours for boxes and badges; text on background meets WCAG AA.
    fill: str
    border: str
    ink: str
    #: A glyph no other level uses, and its name for screen readers and CSS classes.
    shape: str
    shape_name: str
    #: One word per language: what the level is called everywhere.
    word: dict[str, str]
    #: How fast, in words, per language.
    when: dict[str, str]

    def label(self, lang: str) -> str:
        """Shape and word, as printed on badges: "■ 紧急"."""
        return f"{self.shape} {self.word[lang]}"


LEVELS: tuple[Level, ...] = (
    Level("emergency", 0, "#b71c1c", "#7f0000", "#ffffff", "■", "square",
          {"zh": "紧急", "en": "Emergency"}, {"zh": "立即转诊", "en": "refer immediately"}),
    Level("urgent", 1, "#ffe0b2", "#e65100", "#3e1a00", "▲", "triangle",
          {"zh": "当天", "en": "Urgent"}, {"zh": "当天（数小时内）就诊", "en": "same day, within hours"}),
    Level("routine", 2, "#e3f2fd", "#1565c0", "#0d2a4d", "◆", "diamond",
          {"zh": "常规", "en": "Routine"}, {"zh": "择期转诊", "en": "planned referral"}),
    Level("observe", 3, "#f3e5f5", "#6a1b9a", "#2a0a3d", "◐", "half-circle",
          {"zh": "观察", "en": "Observe"}, {"zh": "安全网提示并按时复诊", "en": "safety net and review"}),
    Level("treat-home", 4, "#e0f2f1", "#00695c", "#00332c", "✚", "cross",
          {"zh": "治疗后居家", "en": "Treat at home"}, {"zh": "诊室处理后回家", "en": "treat, then home"}),
    Level("home", 5, "#e8f5e9", "#2e7d32", "#0f3d14", "●", "circle",
          {"zh": "居家", "en": "Home"}, {"zh": "居家照护", "en": "home care"}),
)
BY_ID: dict[str, Level] = {level.id: level for level in LEVELS}
LEVEL_IDS: tuple[str, ...] = tuple(level.id for level in LEVELS)

#: A danger sign's triage colour and the level it calls for unless the item gives a `triage_reason`.
TRIAGE_LEVEL: dict[str, LevelId] = {"red": "emergency", "amber": "urgent", "green": "home"}
TRIAGE_WORD: dict[str, dict[str, str]] = {
    "red": {"zh": "红色", "en": "Red"},
    "amber": {"zh": "黄色", "en": "Amber"},
    "green": {"zh": "绿色", "en": "Green"},
}
TRIAGE_ORDER: tuple[TriageId, ...] = ("red", "amber", "green")


def level(level_id: str) -> Level:
    return BY_ID[level_id]


def triage_level(triage: str) -> Level:
    """The level a triage colour calls for: its colour, shape and word are the level's."""
    return BY_ID[TRIAGE_LEVEL[triage]]


def most_urgent(level_ids: list[str]) -> str | None:
    return min(level_ids, key=lambda lid: BY_ID[lid].rank) if level_ids else None


def as_json() -> dict:
    """The table for the browser (walker, search badges, bedside): one source for JS too."""
    return {
        "levels": [
            {"id": lv.id, "rank": lv.rank, "fill": lv.fill, "border": lv.border, "ink": lv.ink,
             "shape": lv.shape, "shape_name": lv.shape_name, "word": lv.word, "when": lv.when}
            for lv in LEVELS
        ],
        "triage": {t: {"level": TRIAGE_LEVEL[t], "word": TRIAGE_WORD[t]} for t in TRIAGE_ORDER},
    }
