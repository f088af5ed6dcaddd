"""The first screen of a phone (360×740, device scale 2, sample banner on): what a doctor sees before
scrolling. Every chapter in both languages shows its danger-signs box and first red sign above 600 px
(WeChat's own bars take another 100–150 px), and still shows that sign at 360×640; the home page starts
with the quick references."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

LANGUAGES = {"zh": "", "en": "en/"}
FOLD = 600

MEASURE = """() => {
  const box = document.querySelector('.cp-box--danger');
  const red = box && box.querySelector('.cp-sign--red');
  const banner = document.querySelector('.cp-disclaimer');
  const rect = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
  return {
    box: box && rect(box), red: red && rect(red),
    banner: banner && {...rect(banner), font: parseFloat(getComputedStyle(banner).fontSize),
                       visible: banner.checkVisibility()},
  };
}"""


def chapter_ids(site) -> list[str]:
    return sorted(p.name for p in (site / "manual").iterdir() if (p / "index.html").exists())


def test_danger_signs_on_the_first_screen_of_every_chapter(sample_site, served_site, browser_context):
    chapters = chapter_ids(sample_site)
    assert len(chapters) >= 10
    page = browser_context.new_page()
    problems: list[str] = []
    for prefix in LANGUAGES.values():
        for chapter in chapters:
            path = f"/{prefix}manual/{chapter}/"
            page.goto(served_site + path, wait_until="load")
            found = page.evaluate(MEASURE)
            banner, box, red = found["banner"], found["box"], found["red"]
            if not (banner and banner["visible"] and banner["top"] >= 0 and banner["bottom"] <= 120):
                problems.append(f"{path}: sample banner not visible at the top: {banner}")
            elif banner["font"] < 12:
                problems.append(f"{path}: sample banner text {banner['font']} px (< 12 px)")
            if box is None or red is None:
                problems.append(f"{path}: no danger-signs box with a red sign")
                continue
            if not 0 <= box["top"] < FOLD:
                problems.append(f"{path}: danger-signs box starts at {box['top']:.0f} px")
            if red["bottom"] > FOLD:
                problems.append(f"{path}: first red sign ends at {red['bottom']:.0f} px (> {FOLD})")
    page.close()
    assert problems == []


def test_first_red_sign_visible_at_360_by_640(sample_site, served_site, browser_context):
    page = browser_context.new_page()
    page.set_viewport_size({"width": 360, "height": 640})
    problems: list[str] = []
    for prefix in LANGUAGES.values():
        for chapter in chapter_ids(sample_site):
            path = f"/{prefix}manual/{chapter}/"
            page.goto(served_site + path, wait_until="load")
            red = page.evaluate(MEASURE)["red"]
            if red is None or red["bottom"] > 640:
                problems.append(f"{path}: first red sign {red}")
    page.close()
    assert problems == []


def test_synonyms_and_summary_open_in_full(served_site, browser_context):
    page = browser_context.new_page()
    page.goto(served_site + "/en/manual/cough/", wait_until="load")
    synonyms = page.locator(".cp-intro .cp-synonyms")
    closed = synonyms.bounding_box()["height"]
    page.locator(".cp-intro > summary").click()
    assert page.locator(".cp-intro").get_attribute("open") is not None
    assert synonyms.bounding_box()["height"] > closed * 1.5
    assert "trouble breathing" in synonyms.inner_text()
    page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_page_starts_with_the_quick_references(served_site, browser_context, lang):
    page = browser_context.new_page()
    page.goto(f"{served_site}/{LANGUAGES[lang]}", wait_until="load")
    links = page.locator(".md-content .cp-quicklinks a")
    assert links.count() == 3
    hrefs = []
    for i in range(3):
        box = links.nth(i).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= FOLD, (i, box)
        hrefs.append(links.nth(i).get_attribute("href"))
    assert [h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs] == ["danger-signs", "referrals", "a-z"]
    links.first.click()
    page.wait_for_url("**/quick/danger-signs/")
    page.close()
