"""Danger signs at a glance (quick/danger-signs/) on a phone: a jump list by chapter, red signs before amber,
no green, and each sign a card in its level's colour and shape (cloudpeds.clinical.urgency), not a teal
underlined body link."""

from __future__ import annotations

import pytest

from cloudpeds.clinical import urgency

pytestmark = pytest.mark.browser

TEAL_LINK = "rgb(0, 105, 92)"


def rgb(hex_colour: str) -> str:
    value = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(value[i:i + 2], 16) for i in (0, 2, 4)))


CARDS = """() => [...document.querySelectorAll('.cp-qsign')].map(li => {
  const link = li.querySelector('a.cp-qsign__link'), badge = li.querySelector('.cp-qsign__level');
  const chapter = li.closest('ul').previousElementSibling;
  const ls = getComputedStyle(link), bs = getComputedStyle(badge);
  return {id: li.id, chapter: chapter.id, triage: li.className.match(/cp-qsign--(\\w+)/)[1],
          badge: badge.textContent.trim(), fill: bs.backgroundColor, ink: bs.color,
          border: ls.borderLeftColor, colour: ls.color, underline: ls.textDecorationLine,
          width: link.getBoundingClientRect().width};
})"""


@pytest.mark.parametrize("prefix, lang", [("", "zh"), ("en/", "en")])
def test_quick_danger_signs_page(sample_site, served_site, browser_context, prefix, lang):
    page = browser_context.new_page()
    page.goto(f"{served_site}/{prefix}quick/danger-signs/", wait_until="load")
    cards = page.evaluate(CARDS)
    assert len(cards) >= 20
    problems: list[str] = []
    order: dict[str, list[str]] = {}
    for card in cards:
        order.setdefault(card["chapter"], []).append(card["triage"])
        if card["triage"] == "green":
            problems.append(f"{card['id']}: green sign listed")
            continue
        level = urgency.triage_level(card["triage"])
        if not card["badge"].startswith(level.shape) or level.word[lang] not in card["badge"]:
            problems.append(f"{card['id']}: badge {card['badge']!r}, not {level.label(lang)!r}")
        if (card["fill"], card["ink"], card["border"]) != (rgb(level.fill), rgb(level.ink), rgb(level.border)):
            problems.append(f"{card['id']}: colours {card['fill']} {card['ink']} {card['border']} not {level.id}'s")
        if card["colour"] == TEAL_LINK or card["underline"] != "none":
            problems.append(f"{card['id']}: styled as a body link ({card['colour']}, {card['underline']})")
    for chapter, triages in order.items():
        if triages != sorted(triages, key=("red", "amber").index):
            problems.append(f"{chapter}: signs not red first then amber: {triages}")
    assert problems == []
    # Green signs exist in the manual (the chapter pages show them), but not here.
    assert (sample_site / prefix / "manual" / "fever" / "index.html").read_text(encoding="utf-8").count(
        "cp-sign--green") > 0

    jump = page.locator("nav.cp-quick-jump a")
    chapters = sorted(p.name for p in (sample_site / "manual").iterdir() if (p / "index.html").exists())
    assert sorted(h.removeprefix("#ch-") for h in jump.evaluate_all("as => as.map(a => a.getAttribute('href'))")) \
        == chapters
    assert set(order) == {f"ch-{c}" for c in chapters}
    jump.last.click()
    target = jump.last.get_attribute("href")
    page.wait_for_url(f"**{target}")
    box = page.locator(target).bounding_box()
    assert 0 <= box["y"] < 740
    page.close()
