"""Act now on the first screen, and the referral handover note (转诊单) in Chromium at 360×740: its QR code decodes
(zbarimg) to the note's text, its print is one A5 page with the sample disclaimer, and copying gives the same text.
Nothing is sent: every request of the note is a same-site GET of a static file."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.browser

ZBARIMG = shutil.which("zbarimg")
PDFINFO = shutil.which("pdfinfo")
PDFTOTEXT = shutil.which("pdftotext")
PREFIX = {"zh": "", "en": "en/"}
FOLD = 600
WITH_ACT_NOW = ("convulsions", "diarrhoea", "fever", "wheeze", "rash")
DISCLAIMER = {"zh": "示例内容，仅供演示本软件，不得用于临床。",
              "en": "Sample content for demonstrating this software. Not for clinical use."}
CLINIC = {"zh": "示例社区卫生服务中心", "en": "Sample community health centre"}
#: A child as the "this child" control keeps it (localStorage cloudpeds:child).
CHILD = {"v": 1, "ageDays": 1096, "age": {"value": 3, "unit": "y"}, "weightKg": 18,
         "measures": {"temperature": 38.2, "respiratory_rate": 52}, "findings": []}


@pytest.fixture
def page(browser_context, served_site):
    page = browser_context.new_page()
    requests: list[tuple[str, str]] = []
    page.on("request", lambda request: requests.append((request.method, request.url)))
    page.requests = requests
    yield page
    # The profile is shared by the session: leave no child or clinic behind for other tests.
    page.goto(served_site + "/", wait_until="load")
    page.evaluate("() => { localStorage.removeItem('cloudpeds:child'); localStorage.removeItem('cloudpeds:clinic'); }")
    page.close()


def set_child(page, served_site: str, child: dict | None) -> None:
    page.goto(served_site + "/", wait_until="load")
    if child is None:
        page.evaluate("() => localStorage.removeItem('cloudpeds:child')")
    else:
        page.evaluate("child => localStorage.setItem('cloudpeds:child', JSON.stringify("
                      "{...child, touched: Date.now()}))", child)


def open_note(page, served_site: str, lang: str, chapter: str = "convulsions"):
    page.goto(f"{served_site}/{PREFIX[lang]}manual/{chapter}/", wait_until="load")
    page.locator(".cp-note-entry .cp-note-open").click()
    page.wait_for_selector(".cp-note[open]")
    page.fill(".cp-note-clinic", CLINIC[lang])
    page.check(f".cp-note input[value={chapter}-ds-ongoing]")
    page.check(f".cp-note-dose[value={chapter}-dose-diazepam-rectal]")
    return page.locator(".cp-note__text")


@pytest.mark.parametrize("lang", PREFIX)
def test_act_now_is_on_the_first_screen(page, served_site, lang):
    problems = []
    for chapter in WITH_ACT_NOW:
        page.goto(f"{served_site}/{PREFIX[lang]}manual/{chapter}/", wait_until="load")
        bar = page.locator(".cp-act-now__summary").bounding_box()
        if bar is None or not (bar["y"] >= 0 and bar["y"] + bar["height"] <= FOLD):
            problems.append(f"{chapter}: act-now bar at {bar}")
            continue
        page.locator(".cp-act-now__summary").click()
        step = page.locator(".cp-act-now__step").first
        step.wait_for(state="visible")
        box = step.bounding_box()
        if box["y"] + min(box["height"], 60) > 740:
            problems.append(f"{chapter}: first step at {box}")
        level = page.locator(".cp-act-now").evaluate(
            "e => [e.classList.contains('cp-level--emergency'),"
            " getComputedStyle(e.querySelector('summary')).backgroundColor]")
        if not level[0] or level[1] != "rgb(183, 28, 28)":  # the emergency level's fill (#b71c1c)
            problems.append(f"{chapter}: act-now not drawn in the emergency level: {level}")
    assert problems == []


DIAZEPAM = ".cp-act-now__dose[data-cp-dose=convulsions-dose-diazepam-rectal] .cp-act-now__child"
MIDAZOLAM = ".cp-act-now__dose[data-cp-dose=convulsions-dose-midazolam-buccal] .cp-act-now__child"


@pytest.mark.parametrize("lang", PREFIX)
def test_act_now_shows_this_childs_doses_capped_when_capped(page, served_site, lang):
    """18 kg: rectal diazepam 0.5 mg/kg = 9 mg = 1.8 mL of 10 mg/2 mL (under the 10 mg maximum in the data);
    25 kg: 12.5 mg capped at 10 mg = 2 mL, and it says so. Clearing the child takes the doses away."""
    capped = {"zh": "已达最大剂量", "en": "capped"}[lang]
    set_child(page, served_site, CHILD)
    page.goto(f"{served_site}/{PREFIX[lang]}manual/convulsions/", wait_until="load")
    page.locator(".cp-act-now__summary").click()
    line = page.locator(DIAZEPAM)
    line.wait_for(state="visible")
    text = line.inner_text()
    assert "18 kg" in text and "9 mg" in text and "1.8 mL" in text and capped not in text, text
    assert "5 mg" in page.locator(MIDAZOLAM).inner_text()  # by age: 1-5 years
    set_child(page, served_site, {**CHILD, "weightKg": 25})
    page.goto(f"{served_site}/{PREFIX[lang]}manual/convulsions/", wait_until="load")
    page.locator(".cp-act-now__summary").click()
    line.wait_for(state="visible")
    text = line.inner_text()
    assert "25 kg" in text and "10 mg" in text and "2 mL" in text and capped in text, text
    page.wait_for_function("() => window.cpBedside && window.cpBedside.child()")
    page.evaluate("() => window.cpBedside.clear()")  # the control's one-tap clear
    line.wait_for(state="hidden")


@pytest.mark.parametrize("lang", PREFIX)
def test_the_note_from_the_bedside_result(page, served_site, lang):
    """A febrile 20-day-old (3.5 kg, 38.2 °C) on fever: the "this child" result offers the note, which starts with
    the evaluator's signs met and referral (emergency) and this child's ampicillin dose (50 mg/kg = 175 mg)."""
    set_child(page, served_site, {"v": 1, "ageDays": 20, "age": {"value": 20, "unit": "d"}, "weightKg": 3.5,
                                  "measures": {"temperature": 38.2}, "findings": []})
    page.goto(f"{served_site}/{PREFIX[lang]}manual/fever/", wait_until="load")
    button = page.locator(".cp-child__result.cp-level--emergency [data-cp-note]")
    button.wait_for(timeout=30_000)
    button.click()
    page.wait_for_selector(".cp-note[open]")
    assert page.locator(".cp-note input[type=checkbox][value^=fever-ds-]:checked").count() >= 1
    assert page.locator(".cp-note-referral").input_value() == "fever-ref-emergency"
    note = page.input_value(".cp-note__text")
    assert ("紧急程度：■ 紧急" if lang == "zh" else "Urgency: ■ Emergency") in note
    assert ("体温 38.2 ℃" if lang == "zh" else "temperature 38.2 °C") in note
    ampicillin = page.locator(".cp-note__dose", has=page.locator("[value=fever-dose-ampicillin-young-infant]"))
    assert ampicillin.locator("input[type=number]").input_value() == "175"


@pytest.mark.skipif(ZBARIMG is None, reason="needs zbarimg (Debian package zbar-tools)")
@pytest.mark.parametrize("lang", PREFIX)
def test_the_qr_code_decodes_to_the_note(page, served_site, tmp_path, lang):
    set_child(page, served_site, CHILD)
    text = open_note(page, served_site, lang)
    note = text.input_value()
    if lang == "zh":
        assert "体温 38.2 ℃，呼吸 52 次/分" in note and "年龄：3 岁；体重：18 kg" in note
        assert "转出机构：" + CLINIC["zh"] in note and "地西泮 9 mg 直肠给药" in note
    else:
        assert "temperature 38.2 °C, RR 52 /min" in note and "Age: 3 years" in note
        assert "Referring clinic: " + CLINIC["en"] in note and "Diazepam 9 mg rectal at " in note
    assert DISCLAIMER[lang] in note
    page.locator(".cp-note-qr").click()
    page.wait_for_selector(".cp-note__qr svg")
    png = tmp_path / "qr.png"
    page.locator(".cp-note__qr").screenshot(path=str(png))
    decoded = subprocess.run([ZBARIMG, "--raw", "-q", str(png)], capture_output=True, check=False)
    assert decoded.returncode == 0, decoded.stderr
    assert decoded.stdout.decode("utf-8").rstrip("\n") == note
    # Nothing left the phone: only GETs of this site's files.
    assert {method for method, _ in page.requests} == {"GET"}
    assert all(url.startswith(served_site) for _, url in page.requests)


@pytest.mark.skipif(PDFINFO is None or PDFTOTEXT is None, reason="needs poppler-utils")
@pytest.mark.parametrize("lang", PREFIX)
def test_the_printed_note_is_one_a5_page_with_the_disclaimer(page, served_site, tmp_path, lang):
    set_child(page, served_site, None)
    text = open_note(page, served_site, lang)
    note = text.input_value()
    page.evaluate("() => { window.print = () => {}; }")  # headless: print to PDF below instead of a dialog
    page.locator(".cp-note-print").click()
    assert page.evaluate("() => document.documentElement.classList.contains('cp-note-printing')")
    pdf = tmp_path / "note.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run([PDFINFO, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    assert "(A5)" in info, info
    printed = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    squeezed = "".join(printed.split())
    assert "".join(DISCLAIMER[lang].split()) in squeezed
    assert "".join(note.splitlines()[0].split()) in squeezed and "".join(CLINIC[lang].split()) in squeezed
    assert "2018-06-01" in printed  # the edition's date


def test_copy_gives_the_same_text_and_the_clinic_is_kept(page, browser_context, served_site):
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_site)
    set_child(page, served_site, CHILD)
    note = open_note(page, served_site, "zh").input_value()
    page.locator(".cp-note-copy").click()
    page.wait_for_function("() => document.querySelector('.cp-note__status').textContent.length > 0")
    assert page.evaluate("() => navigator.clipboard.readText()") == note
    # The clinic is typed once: kept on the phone (not patient data) and filled in next time.
    assert page.evaluate("() => localStorage.getItem('cloudpeds:clinic')") == CLINIC["zh"]
    page.reload(wait_until="load")
    page.locator(".cp-note-entry .cp-note-open").click()
    page.wait_for_selector(".cp-note[open]")
    assert page.input_value(".cp-note-clinic") == CLINIC["zh"]
    assert json.loads(page.evaluate("() => JSON.stringify(Object.keys(localStorage))")).count("cloudpeds:clinic") == 1


@pytest.mark.skipif(PDFTOTEXT is None, reason="needs poppler-utils")
def test_a_printed_chapter_shows_act_now_open(page, served_site, tmp_path):
    page.goto(f"{served_site}/en/manual/wheeze/", wait_until="load")
    assert not page.locator(".cp-act-now__step").first.is_visible()  # closed on screen
    pdf = tmp_path / "chapter.pdf"
    page.pdf(path=str(pdf), format="A4")
    printed = " ".join(subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True,
                                      check=True).stdout.split())
    assert "Act now" in printed
    assert "Suspected anaphylaxis: before anything else, give IM adrenaline" in printed
    assert printed.index("Act now") < printed.index("Check these danger signs first")


@pytest.mark.parametrize("lang", PREFIX)
def test_the_open_note_and_act_now_pass_axe(page, served_site, lang):
    from .conftest import AXE

    set_child(page, served_site, CHILD)
    page.goto(f"{served_site}/{PREFIX[lang]}manual/convulsions/", wait_until="load")
    page.locator(".cp-act-now__summary").click()
    page.locator(".cp-act-now__child:not([hidden])").first.wait_for()
    open_note(page, served_site, lang)
    page.locator(".cp-note-qr").click()
    page.wait_for_selector(".cp-note__qr svg")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], [n["html"][:120] for n in v["nodes"][:3]]) for v in result["violations"]] == []
