"""Search edge cases on a phone (Chromium 360×740, device scale 2): Chinese with no hit falls back to its
characters, input methods, browsers without <dialog>, level badges and order, highlighting, placeholder."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS
from .test_search import open_search, results_for

pytestmark = pytest.mark.browser

#: rank per level id, most urgent first (cloudpeds.clinical.urgency)
RANK = {"emergency": 0, "urgent": 1, "routine": 2, "observe": 3, "treat-home": 4, "home": 5}


def test_chinese_with_no_hit_falls_back_to_its_characters_and_says_so(served_site, browser_context):
    page = browser_context.new_page()
    page.goto(served_site + "/")
    open_search(page)
    results = results_for(page, "干咳")
    assert results.count() > 0
    status = page.inner_text(".cp-search__status")
    assert "干咳" in status and "干 咳" in status
    assert page.locator(".cp-search__results mark", has_text="咳").count() > 0
    page.close()


def test_nothing_found_is_never_a_dead_end(served_site, browser_context):
    page = browser_context.new_page()
    page.goto(served_site + "/en/")
    open_search(page)
    page.fill(".cp-search__input", "zzqxj")
    page.wait_for_selector(".cp-search__status a.cp-search__az")
    page.click(".cp-search__az")
    page.wait_for_url("**/en/quick/a-z/")
    page.close()


def test_letters_typed_into_an_input_method_are_not_searched(served_site, browser_context):
    page = browser_context.new_page()
    page.goto(served_site + "/")
    open_search(page)
    results_for(page, "咳")  # the index is loaded
    page.fill(".cp-search__input", "")
    page.wait_for_function("document.querySelectorAll('.cp-search__result').length === 0")
    # Every change of the results, with what the input held then.
    page.evaluate("""() => {
        window.cpRendered = [];
        const input = document.querySelector('.cp-search__input');
        new MutationObserver(() => window.cpRendered.push([input.value,
            document.querySelectorAll('.cp-search__result').length,
            document.querySelector('.cp-search__status').textContent]))
          .observe(document.querySelector('.cp-search__dialog'), {childList: true, subtree: true, characterData: true});
    }""")
    compose = """([value, composing]) => {
        const input = document.querySelector('.cp-search__input');
        input.value = value;
        input.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: composing, data: value,
                                                     inputType: 'insertCompositionText'}));
    }"""
    page.evaluate("document.querySelector('.cp-search__input')"
                  ".dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true}))")
    for letters in ("f", "fa", "fa'shao"):
        page.evaluate(compose, [letters, True])
        page.wait_for_timeout(250)  # pacing only: longer than the search's 80 ms debounce
    page.evaluate(compose, ["发烧", True])
    page.evaluate("document.querySelector('.cp-search__input')"
                  ".dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: '发烧'}))")
    page.wait_for_function("document.querySelector('.cp-search__title')?.textContent === '发热'")
    rendered = page.evaluate("window.cpRendered")
    assert rendered and not [r for r in rendered if r[0] != "发烧"], rendered
    page.close()


def test_without_dialog_support_search_opens_as_a_panel(served_site, browser_context):
    page = browser_context.new_page()
    page.add_init_script("delete HTMLDialogElement.prototype.showModal;")
    page.goto(served_site + "/manual/fever/")
    assert page.evaluate("typeof HTMLDialogElement.prototype.showModal") == "undefined"
    page.click(".cp-search__open")
    page.wait_for_selector(".cp-search__input", state="visible")
    panel = page.locator(".cp-search__dialog").bounding_box()
    assert panel["x"] == 0 and panel["y"] == 0 and panel["width"] == 360 and panel["height"] == 740
    first = results_for(page, "抽筋").first
    assert first.locator(".cp-search__title").inner_text() == "惊厥"
    page.click(".cp-search__close")
    page.wait_for_selector(".cp-search__input", state="hidden")
    page.keyboard.press("/")
    page.wait_for_selector(".cp-search__input", state="visible")
    page.keyboard.press("Escape")
    page.wait_for_selector(".cp-search__input", state="hidden")
    page.close()


@pytest.mark.parametrize(("path", "query", "word"), [("/", "心率", "紧急"), ("/en/", "capillary refill", "Emergency")])
def test_danger_signs_show_a_coloured_level_badge_red_before_amber(served_site, browser_context, path, query, word):
    page = browser_context.new_page()
    page.goto(served_site + path)
    open_search(page)
    results_for(page, query)
    signs = page.locator(".cp-search__group--danger-sign .cp-search__result")
    assert signs.count() >= 3
    badges = page.evaluate("""() => [...document.querySelectorAll(
        '.cp-search__group--danger-sign .cp-search__result')].map((link) => {
            const badge = link.querySelector('.cp-search__level');
            if (!badge) return null;
            const style = getComputedStyle(badge);
            return {level: [...badge.classList].find((c) => c.startsWith('cp-search__level--')).slice(18),
                    text: badge.textContent, background: style.backgroundColor,
                    shape: badge.querySelector('[aria-hidden=true]')?.textContent};
        })""")
    assert None not in badges, badges
    levels = [badge["level"] for badge in badges]
    assert "emergency" in levels and "urgent" in levels, levels  # the query finds both
    assert [RANK[level] for level in levels] == sorted(RANK[level] for level in levels), levels
    red = next(badge for badge in badges if badge["level"] == "emergency")
    assert red["shape"] == "■" and red["text"] == f"■ {word}" and red["background"] == "rgb(183, 28, 28)"
    amber = next(badge for badge in badges if badge["level"] == "urgent")
    assert amber["shape"] == "▲" and amber["background"] != red["background"]
    referral = page.locator(".cp-search__group--referral .cp-search__result .cp-search__level")
    assert referral.count() == page.locator(".cp-search__group--referral .cp-search__result").count()
    page.screenshot(path=str(ARTIFACTS / f"search-levels-{query}.png"))
    page.close()


def test_a_chapter_result_shows_its_group_apart_from_its_summary(served_site, browser_context):
    page = browser_context.new_page()
    page.goto(served_site + "/")
    open_search(page)
    chapter = results_for(page, "发烧").first
    page.wait_for_selector(".cp-search__group--chapter .cp-search__snippet")
    assert chapter.locator(".cp-search__title").inner_text() == "发热"
    group = chapter.locator(".cp-search__chapter").inner_text()
    snippet = chapter.locator(".cp-search__snippet").inner_text()
    assert group and not snippet.rstrip("…").endswith(group), (group, snippet)
    page.close()


def test_highlighting_never_shows_an_entity(served_site, browser_context):
    page = browser_context.new_page()
    page.goto(served_site + "/en/")
    open_search(page)
    results_for(page, "seizure lt")
    page.wait_for_selector(".cp-search__snippet")
    texts = page.locator(".cp-search__results").inner_text()
    assert "&lt;" not in texts and "&gt;" not in texts and "&amp;" not in texts
    assert "<" in texts  # "SpO2 < 90%", "aged < 6 months"
    assert not page.evaluate("[...document.querySelectorAll('.cp-search__results mark')]"
                             ".some((m) => /[&;]/.test(m.previousSibling?.textContent.slice(-1) + "
                             "m.nextSibling?.textContent.charAt(0)))")  # never "&" + mark + ";"
    page.close()


@pytest.mark.parametrize("path", ["/", "/en/"])
def test_the_placeholder_fits_at_360_px(served_site, browser_context, path):
    page = browser_context.new_page()
    page.goto(served_site + path)
    open_search(page)
    # The placeholder's text typed into the field: it fits when the field need not scroll.
    needed, room = page.evaluate("""() => {
        const input = document.querySelector('.cp-search__input');
        input.value = input.placeholder;
        const sizes = [input.scrollWidth, input.clientWidth];
        input.value = '';
        return sizes;
    }""")
    assert needed <= room, (needed, room)
    page.close()
