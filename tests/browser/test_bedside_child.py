"""The "this child" control at 360×740, zh and en: the result, this child's doses, clearing, expiry, the path,
the walker, no request carrying the child, axe; offline through the service worker and from file://."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from cloudpeds.delivery import csp_for_site
from cloudpeds.delivery.local_nginx import serve

from ..integration.test_bundle import bundle  # noqa: F401 (the fixture)
from .conftest import ARTIFACTS, AXE
from .test_service_worker import browser, wait_until_controlled  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

KEY = "cloudpeds:child"
WORDS = {
    "zh": {"open": "此患儿", "clear": "清除", "done": "完成", "emergency": "紧急", "capped": "已达最大剂量",
           "target": "上级医院儿科急诊", "cleared": "已清除", "set": "填年龄体重", "days": "d", "years": "y",
           "met": "已符合"},
    "en": {"open": "This child", "clear": "Clear", "done": "Done", "emergency": "Emergency", "capped": "capped",
           "target": "Paediatric emergency department", "cleared": "Cleared", "set": "Set age, weight",
           "days": "d", "years": "y", "met": "met"},
}
EVENTS = """window.__childEvents = [];
document.addEventListener("cloudpeds:child", (e) => window.__childEvents.push(e.detail));"""


def prefix(lang: str) -> str:
    return "" if lang == "zh" else "/en"


class Requests:
    """Every request of a page, through Playwright routing: URL, headers and body."""

    def __init__(self, page) -> None:
        self.seen: list[str] = []
        page.route("**/*", self._record)

    def _record(self, route, request) -> None:
        self.seen.append(" ".join([request.url, json.dumps(request.headers), request.post_data or ""]))
        route.continue_()

    def carrying(self, *values: str) -> list[str]:
        return [seen for seen in self.seen for value in values if value in seen]


def open_control(page) -> None:
    page.click(".cp-child-open")
    page.wait_for_selector(".cp-child__form:not([hidden])", timeout=30_000)


def set_child(page, *, age: str, unit: str, weight: str, measures: dict[str, str] | None = None) -> None:
    page.fill("#cp-child-age", age)
    page.select_option("#cp-child-unit", unit)
    page.fill("#cp-child-weight", weight)
    for code, value in (measures or {}).items():
        page.fill(f"#cp-child-m-{code}", value)


def stored(page) -> dict | None:
    text = page.evaluate(f"localStorage.getItem({KEY!r})")
    return json.loads(text) if text else None


def storage_text(page) -> str:
    return page.evaluate("JSON.stringify(Object.entries(localStorage))")


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    page.add_init_script(EVENTS)
    yield page
    page.evaluate("localStorage.clear()")
    page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_febrile_20_day_old_is_an_emergency(served_site, page, lang):
    words = WORDS[lang]
    requests = Requests(page)
    page.goto(f"{served_site}{prefix(lang)}/manual/fever/")
    assert page.locator(".cp-child-open").inner_text().startswith(words["open"])
    assert not requests.carrying("bedside.js", "clinical/")  # nothing loads before the first tap
    open_control(page)
    set_child(page, age="20", unit="d", weight="3.5", measures={"temperature": "38.2"})
    page.click(f".cp-child__form button:text-is('{words['done']}')")
    result = page.locator(".cp-child__result.cp-level--emergency")
    result.wait_for(timeout=30_000)
    text = result.inner_text()
    assert words["emergency"] in text and words["target"] in text
    assert page.locator(".cp-child__result .cp-tag.cp-level--emergency").count() == 1
    child = stored(page)
    assert child["v"] == 1 and child["ageDays"] == 20 and child["age"] == {"value": 20, "unit": "d"}
    assert child["weightKg"] == 3.5 and child["measures"] == {"temperature": 38.2} and child["findings"] == []
    assert abs(child["touched"] - time.time() * 1000) < 600_000
    assert page.evaluate("window.__childEvents.at(-1).ageDays") == 20
    # the met sign is marked in the danger-signs box, with this age's thresholds; other ages are folded
    assert page.locator("#fever-ds-young-infant.cp-sign--met").count() == 1
    assert page.locator(".cp-box--danger .cp-child-threshold").count() >= 1
    assert page.locator(".cp-box--danger details.cp-child-other li.cp-sign").count() >= 1
    # the pre-transfer doses for 3.5 kg: ampicillin 175 mg, gentamicin 17.5 mg
    assert "175 mg" in text and "17.5 mg" in text
    # the flow chart's path and the walker from the known answers
    assert page.locator(".cp-flowchart [data-node].cp-fc-node--path").count() >= 2
    figure = page.locator(".cp-flowchart").first
    strings = json.loads(figure.locator(".cp-fc-strings").text_content())
    figure.get_by_role("button", name=strings["walk"]).click()
    assert figure.locator(".cp-fc-walker__path li").count() >= 1
    # kept on the phone: a reload shows the child without a tap
    page.reload()
    page.locator(".cp-child__result.cp-level--emergency").wait_for(timeout=30_000)
    assert "3.5 kg" in page.locator(".cp-child-open").inner_text()
    # nothing about the child in any request
    assert requests.carrying("38.2", "3.5", "ageDays", "weightKg", KEY) == []
    assert len(requests.seen) > 5
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"bedside-fever-{lang}.png"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_diazepam_dose_for_this_weight(served_site, page, lang):
    """18 kg: 0.5 mg/kg gives 9 mg (1.8 mL of 10 mg/2 mL), under the 10 mg maximum in the sample's data;
    25 kg reaches it: 10 mg, 2 mL, said capped."""
    words = WORDS[lang]
    requests = Requests(page)
    page.goto(f"{served_site}{prefix(lang)}/manual/convulsions/")
    open_control(page)
    set_child(page, age="4", unit="y", weight="18")
    line = page.locator("#convulsions-dose-diazepam-rectal .cp-child-dose-line")
    line.wait_for(timeout=30_000)
    assert "9 mg" in line.inner_text() and "1.8 mL" in line.inner_text()
    assert words["capped"] not in line.inner_text()
    page.fill("#cp-child-weight", "25")
    page.wait_for_function("document.querySelector('#convulsions-dose-diazepam-rectal .cp-child-dose-line')"
                           ".textContent.includes('10 mg')")
    text = line.inner_text()
    assert "10 mg" in text and "2 mL" in text and words["capped"] in text
    assert line.locator(".cp-child-dose--capped").count() == 1
    # by-age doses too: buccal midazolam 5 mg at 4 years
    assert "5 mg" in page.locator("#convulsions-dose-midazolam-buccal .cp-child-dose-line").inner_text()
    assert requests.carrying('"weightKg"', "weightKg", KEY) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_clearing_forgets_everything(served_site, page, lang):
    words = WORDS[lang]
    page.goto(f"{served_site}{prefix(lang)}/manual/fever/")
    open_control(page)
    set_child(page, age="20", unit="d", weight="3.5", measures={"temperature": "38.2"})
    page.locator(".cp-child__result.cp-level--emergency").wait_for(timeout=30_000)
    assert stored(page) is not None
    page.locator(".cp-child__form .cp-child__clear").click()
    page.locator(".cp-child__status").filter(has_text=words["cleared"]).wait_for(timeout=30_000)
    assert stored(page) is None
    assert "38.2" not in storage_text(page) and "3.5" not in storage_text(page)
    assert page.evaluate("window.__childEvents.at(-1)") is None
    assert page.locator(".cp-child__result").inner_text() == ""
    assert page.locator(".cp-sign--met, .cp-child-threshold, .cp-child-dose-line, .cp-fc-node--path").count() == 0
    assert page.locator("details.cp-child-other").count() == 0
    assert page.input_value("#cp-child-age") == "" and page.input_value("#cp-child-m-temperature") == ""
    assert words["set"] in page.locator(".cp-child-open").inner_text()
    page.reload()
    assert stored(page) is None and page.locator(".cp-child").count() == 0


def test_a_child_expires_after_two_hours_without_use(served_site, page):
    page.goto(f"{served_site}/manual/fever/")
    stale = {"v": 1, "ageDays": 20, "age": {"value": 20, "unit": "d"}, "weightKg": 3.5,
             "measures": {"temperature": 38.2},
             "findings": [], "touched": int(time.time() * 1000) - 2 * 3600 * 1000 - 5000}
    page.evaluate(f"localStorage.setItem({KEY!r}, {json.dumps(json.dumps(stale))})")
    requests = Requests(page)
    page.reload()
    page.wait_for_load_state("load")
    assert stored(page) is None  # removed by the page's boot script, before anything loads
    assert not requests.carrying("bedside.js")
    fresh = dict(stale, touched=int(time.time() * 1000) - 3600 * 1000)
    page.evaluate(f"localStorage.setItem({KEY!r}, {json.dumps(json.dumps(fresh))})")
    page.reload()
    page.locator(".cp-child__result.cp-level--emergency").wait_for(timeout=30_000)
    assert stored(page)["touched"] > fresh["touched"]  # using it counts as use


@pytest.mark.parametrize("path", ["/manual/fever/", "/en/manual/convulsions/"])
def test_the_open_control_and_result_pass_axe(served_site, page, path):
    page.goto(served_site + path)
    open_control(page)
    set_child(page, age="20", unit="d", weight="3.5")
    page.locator(".cp-child__check").first.check()
    page.locator(".cp-child__result:not(:empty)").wait_for(timeout=30_000)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], [n["html"][:120] for n in v["nodes"][:3]]) for v in result["violations"]] == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1


def test_from_the_unzipped_bundle(bundle, tmp_path, page):  # noqa: F811
    folder = tmp_path / "unzipped"
    shutil.unpack_archive(bundle, folder)
    page.goto((folder / "en" / "manual" / "convulsions.html").as_uri())
    open_control(page)
    set_child(page, age="4", unit="y", weight="25")
    line = page.locator("#convulsions-dose-diazepam-rectal .cp-child-dose-line")
    line.wait_for(timeout=30_000)
    assert "10 mg" in line.inner_text() and "capped" in line.inner_text()
    page.goto((folder / "manual" / "fever.html").as_uri())
    page.locator(".cp-child__result").wait_for(timeout=30_000)  # the same child, on another chapter


def test_offline_through_the_service_worker(sample_site, tmp_path, browser):  # noqa: F811
    with serve(sample_site, tmp_path / "nginx", csp=csp_for_site(sample_site)) as server:
        chromium = browser(server.origin)
        page = chromium.page()
        page.goto(server.url("manual/fever/"))
        wait_until_controlled(page)
        page.evaluate("() => navigator.serviceWorker.ready")
        chromium.context.set_offline(True)
        page.goto(server.url("en/manual/fever/"))
        open_control(page)
        set_child(page, age="20", unit="d", weight="3.5", measures={"temperature": "38.2"})
        page.locator(".cp-child__result.cp-level--emergency").wait_for(timeout=30_000)
        chromium.collect(page)
        page.close()
    assert chromium.csp_reports() == []
    assert [text for text in chromium.console if "Failed to load" not in text] == []
