"""Quizzes in Chromium, zh and en: a lesson's questions (quiz.js loads on first use), the course quiz passed
and failed, the "may be outdated" flag after an edition change, and the completion record exported as xAPI
statements checked against the xAPI 1.0.3 statement's required fields.

One build of the real sample (manual, courses, the transcoded media from the cache) compared with a baseline
snapshot in which fever-rec-antipyretic differed, so that recommendation "changed in this edition"."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest

from ..conftest import ROOT, mkdocs_build
from .conftest import ARTIFACTS, AXE, _QuietHandler

pytestmark = pytest.mark.browser

COURSE = "fever-in-the-community"
CHANGED = "fever-rec-antipyretic"
#: The questions of the fever course that test the changed recommendation.
OUTDATED = {"fq-antipyretic-purpose", "fq-paracetamol-dose"}
LESSONS = ["fever-danger-signs", "fever-traffic-light", "fever-antipyretics"]

# The parts of an xAPI 1.0.3 statement that an LRS requires, and those this export promises (Data.md,
# section 2.4): actor (Agent with an account: homePage IRL + name), verb (IRI id), object (Activity with an
# IRI id), result.score within min..max with scaled in -1..1, a timestamp in ISO 8601, a UUID id.
IRI = {"type": "string", "pattern": r"^https?://[^\s]+$"}
STATEMENT_SCHEMA = {
    "type": "object",
    "required": ["id", "actor", "verb", "object", "result", "context", "timestamp"],
    "properties": {
        "id": {"type": "string",
               "pattern": r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"},
        "actor": {"type": "object", "required": ["objectType", "name", "account"],
                  "properties": {"objectType": {"const": "Agent"}, "name": {"type": "string", "minLength": 1},
                                 "account": {"type": "object", "required": ["homePage", "name"],
                                             "properties": {"homePage": IRI, "name": {"type": "string",
                                                                                      "minLength": 1}},
                                             "additionalProperties": False}},
                  "not": {"anyOf": [{"required": ["mbox"]}, {"required": ["mbox_sha1sum"]},
                                    {"required": ["openid"]}]}},
        "verb": {"type": "object", "required": ["id", "display"],
                 "properties": {"id": {"enum": ["http://adlnet.gov/expapi/verbs/completed",
                                                "http://adlnet.gov/expapi/verbs/passed",
                                                "http://adlnet.gov/expapi/verbs/failed"]},
                                "display": {"type": "object", "minProperties": 1,
                                            "additionalProperties": {"type": "string"}}}},
        "object": {"type": "object", "required": ["objectType", "id"],
                   "properties": {"objectType": {"const": "Activity"}, "id": IRI,
                                  "definition": {"type": "object", "properties": {
                                      "name": {"type": "object", "minProperties": 1}, "type": IRI}}}},
        "result": {"type": "object", "required": ["score", "success", "completion"],
                   "properties": {"score": {"type": "object", "required": ["scaled", "raw", "min", "max"],
                                            "properties": {"scaled": {"type": "number", "minimum": -1,
                                                                      "maximum": 1},
                                                           "raw": {"type": "number"}, "min": {"type": "number"},
                                                           "max": {"type": "number"}}},
                                  "success": {"type": "boolean"}, "completion": {"type": "boolean"},
                                  "extensions": {"type": "object", "propertyNames": {"pattern": r"^https?://"}}}},
        "context": {"type": "object", "required": ["revision", "extensions"],
                    "properties": {"revision": {"type": "string"}, "platform": {"type": "string"},
                                   "extensions": {"type": "object", "propertyNames": {"pattern": r"^https?://"}}}},
        "timestamp": {"type": "string",
                      "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$"},
    },
}


def check_statement(statement: dict) -> None:
    jsonschema.validate(statement, STATEMENT_SCHEMA)
    score = statement["result"]["score"]
    assert score["min"] <= score["raw"] <= score["max"]
    assert abs(score["scaled"] - score["raw"] / score["max"]) < 1e-3


@pytest.fixture(scope="module")
def quiz_site(tmp_path_factory) -> Path:
    from cloudpeds.editions import snapshot
    from cloudpeds.manual.loader import load_manual

    project = tmp_path_factory.mktemp("quiz") / "project"
    project.mkdir()
    for folder in ("manual", "courses", "theme", "content"):
        shutil.copytree(ROOT / folder, project / folder)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    baseline = snapshot.take(load_manual(project / "manual", root=project).manual, None)
    for lang in ("zh", "en"):
        rec = next(r for r in baseline["chapters"][lang]["fever"]["recommendations"] if r["id"] == CHANGED)
        rec["text"] = rec["text"] + " (earlier wording)"
    (project / "baseline.json").write_text(snapshot.dumps(baseline), encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = (config.replace("      releases_dir: releases\n",
                             f"      releases_dir: releases\n      baseline: {project / 'baseline.json'}\n")
              .replace("  - cloudpeds/courses\n",
                       f"  - cloudpeds/courses:\n      cache_dir: {ROOT / '.cache' / 'media'}\n"))
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    site = project.parent / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def quiz_url(quiz_site) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(quiz_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def page(browser_context, quiz_url):
    page = browser_context.new_page()
    origin = urlsplit(quiz_url).netloc
    page.problems, page.requested = [], []
    page.on("request", lambda r: page.requested.append(r.url))
    page.on("request", lambda r: page.problems.append(f"other host: {r.url}")
            if urlsplit(r.url).netloc not in (origin, "") else None)
    page.on("response", lambda r: page.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.goto(quiz_url + "/", wait_until="load")
    page.evaluate("localStorage.clear()")
    yield page
    page.close()


def key_of(page, form: str) -> dict[str, list[str]]:
    return json.loads(page.locator(f"{form} .cp-quiz-data").text_content())["key"]


def answer(page, form: str, wrong: set[str] = frozenset()) -> None:
    """Answer every question of ``form``: right, except those in ``wrong`` (the first other choice)."""
    for question, right in key_of(page, form).items():
        choices = page.locator(f"#q-{question} input").evaluate_all("els => els.map(e => e.value)")
        picks = [next(c for c in choices if c not in right)] if question in wrong else right
        for choice in picks:
            page.locator(f"#q-{question} input[value={choice}]").check()


def quiz_scripts(page) -> list[str]:
    return [url for url in page.requested if re.search(r"/assets/quiz(\.[0-9a-f]+)?\.js$", url)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_answering_a_lessons_questions(page, quiz_url, lang):
    prefix = "" if lang == "zh" else "/en"
    page.goto(f"{quiz_url}{prefix}/courses/{COURSE}/fever-danger-signs/", wait_until="load")
    form = "#quiz-fever-danger-signs"
    assert page.locator(f"{form} .cp-question").count() == 2
    assert quiz_scripts(page) == []  # the lesson page does not load quiz.js until the quiz is used
    assert page.evaluate("window.cpQuiz") is None
    answer(page, form, wrong={"fq-young-infant"})
    page.wait_for_function("window.cpQuiz")
    assert len(quiz_scripts(page)) == 1
    page.locator(f"{form} button[type=submit]").click()
    wrong = page.locator("#q-fq-young-infant")
    page.wait_for_function("document.querySelector('#q-fq-young-infant').dataset.result === 'wrong'")
    assert page.locator("#q-fq-general-danger").get_attribute("data-result") == "correct"
    verdict = wrong.locator(".cp-question__verdict").inner_text()
    assert ("回答不正确" if lang == "zh" else "Not correct") in verdict
    assert ("紧急转诊" if lang == "zh" else "Emergency referral") in verdict
    assert wrong.locator(".cp-question__explanation").is_visible()
    assert wrong.locator(".cp-choice--answer input").get_attribute("value") == "d"
    result = page.locator(f"{form} .cp-quiz__result").inner_text()
    assert ("答对 1/2 题" if lang == "zh" else "1 of 2 correct") in result
    kept = page.evaluate(f"JSON.parse(localStorage.getItem('cp-quiz:{COURSE}'))")
    assert kept["practice"] == {"fq-young-infant": False, "fq-general-danger": True} and kept["attempts"] == []
    assert page.problems == []


def submit_course_quiz(page, quiz_url, lang: str, wrong: set[str]) -> str:
    prefix = "" if lang == "zh" else "/en"
    page.goto(f"{quiz_url}{prefix}/courses/{COURSE}/quiz/", wait_until="load")
    page.wait_for_function("window.cpQuiz")
    assert page.locator("#quiz .cp-question").count() == 7
    # Unanswered questions are named, not scored.
    page.locator("#quiz button[type=submit]").click()
    page.wait_for_function("document.querySelector('#quiz .cp-quiz__result').textContent.length > 0")
    assert "7" in page.locator("#quiz .cp-quiz__result").inner_text()
    assert page.evaluate(f"localStorage.getItem('cp-quiz:{COURSE}')") is None
    answer(page, "#quiz", wrong)
    page.locator("#quiz button[type=submit]").click()
    page.wait_for_function("document.querySelector('#quiz .cp-quiz__result').dataset.passed")
    return page.locator("#quiz .cp-quiz__result").inner_text()


def export(page, name: str) -> list[dict]:
    page.locator("#cp-record-name").fill(name)
    page.locator("#cp-record-name").dispatch_event("change")
    with page.expect_download() as download:
        page.locator(".cp-record__export").click()
    return json.loads(Path(download.value.path()).read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_passing_the_course_quiz_and_exporting_xapi(page, quiz_url, lang):
    for lesson in LESSONS:  # every lesson watched to its end (as player.js records it)
        page.evaluate(f"localStorage.setItem('cp-lesson:{lesson}', JSON.stringify({{dur: 21, done: true}}))")
    result = submit_course_quiz(page, quiz_url, lang, wrong={"fq-no-combination"})  # 6 of 7 = 86 % ≥ 80 %
    assert page.locator("#quiz .cp-quiz__result").get_attribute("data-passed") == "true"
    assert ("得分 6/7（86%），及格线 80%：通过" if lang == "zh" else "Score 6/7 (86%), pass mark 80%: passed") in result
    record = page.locator(".cp-record")
    assert ("自行填报" if lang == "zh" else "Self-reported") in record.inner_text()
    assert "6/7 (86%)" in record.locator(".cp-record__score").inner_text()
    assert record.locator(".cp-record__edition").inner_text().endswith("(2018)")
    assert record.locator(".cp-record__lessons").inner_text().startswith("3/3" if lang == "zh" else "3 of 3")
    statements = export(page, "张医生" if lang == "zh" else "Dr Li")
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in statements] == ["passed", "completed"]
    for statement in statements:
        check_statement(statement)
        assert statement["actor"]["name"] == ("张医生" if lang == "zh" else "Dr Li")
        assert statement["actor"]["account"]["homePage"] == quiz_url + "/"
        # One activity per course in both languages: the course page of the default language.
        assert statement["object"]["id"] == f"{quiz_url}/courses/{COURSE}/"
        assert statement["result"]["score"] == {"scaled": 0.8571, "raw": 6, "min": 0, "max": 7}
        assert statement["result"]["success"] is True and statement["result"]["completion"] is True
        assert statement["context"]["revision"] == "2018"
        assert statement["context"]["extensions"][quiz_url + "/xapi/self-reported"] is True
    assert len({s["id"] for s in statements}) == 2
    # The name is kept for the next record; the print view shows the record without the questions.
    page.reload(wait_until="load")
    page.wait_for_function("window.cpQuiz")
    assert page.locator("#cp-record-name").input_value() == ("张医生" if lang == "zh" else "Dr Li")
    page.evaluate("document.documentElement.classList.add('cp-printing-record')")
    page.emulate_media(media="print")
    assert not page.locator("#quiz").is_visible() and page.locator(".cp-record__fields").is_visible()
    page.emulate_media(media="screen")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"quiz-record-{lang}.png"), full_page=True)
    assert page.problems == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_failing_the_course_quiz(page, quiz_url, lang):
    result = submit_course_quiz(page, quiz_url, lang, wrong={"fq-young-infant", "fq-five-days"})  # 5/7 = 71 %
    assert page.locator("#quiz .cp-quiz__result").get_attribute("data-passed") == "false"
    assert ("未通过" if lang == "zh" else "not passed") in result
    assert page.locator("#q-fq-five-days").get_attribute("data-result") == "wrong"
    page.locator(".cp-record__export").click()  # no name yet: asked for, nothing downloaded
    assert ("请先填写姓名" if lang == "zh" else "Type your name first") in page.locator(
        ".cp-record__message").inner_text()
    [statement] = export(page, "Learner")  # no lesson watched: no "completed"
    check_statement(statement)
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/failed"
    assert statement["result"]["success"] is False and statement["result"]["score"]["raw"] == 5
    # Try again: the form is cleared; the attempt stays on the phone.
    page.locator(".cp-quiz__again").click()
    assert page.locator("#quiz .cp-question[data-result]").count() == 0
    kept = page.evaluate(f"JSON.parse(localStorage.getItem('cp-quiz:{COURSE}'))")
    assert [(a["raw"], a["max"], a["passed"]) for a in kept["attempts"]] == [(5, 7, False)]
    assert page.problems == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_questions_on_a_changed_item_may_be_outdated(page, quiz_url, lang):
    prefix = "" if lang == "zh" else "/en"
    words = "可能已过时" if lang == "zh" else "May be outdated"
    page.goto(f"{quiz_url}{prefix}/courses/{COURSE}/quiz/", wait_until="load")
    flagged = set(page.locator(".cp-question:has(.cp-question__outdated)").evaluate_all(
        "els => els.map(e => e.dataset.question)"))
    assert flagged == OUTDATED
    note = page.locator("#q-fq-paracetamol-dose .cp-question__outdated")
    assert words in note.inner_text() and note.locator("a").get_attribute("href").endswith(f"#{CHANGED}")
    page.goto(f"{quiz_url}{prefix}/courses/{COURSE}/fever-antipyretics/", wait_until="load")
    assert page.locator("#q-fq-antipyretic-purpose .cp-question__outdated").inner_text().startswith(words)
    page.goto(f"{quiz_url}{prefix}/courses/{COURSE}/fever-danger-signs/", wait_until="load")
    assert page.locator(".cp-question__outdated").count() == 0
    assert page.problems == []


def test_quiz_page_passes_axe(page, quiz_url):
    page.goto(f"{quiz_url}/courses/{COURSE}/quiz/", wait_until="load")
    page.wait_for_function("window.cpQuiz")
    answer(page, "#quiz", wrong={"fq-young-infant"})
    page.locator("#quiz button[type=submit]").click()
    page.wait_for_function("document.querySelector('#quiz .cp-quiz__result').dataset.passed")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [v["id"] for v in result["violations"]] == []
