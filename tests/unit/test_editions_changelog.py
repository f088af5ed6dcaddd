"""The changelog between two editions lists exactly what changed, by stable id."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cloudpeds.editions import snapshot
from cloudpeds.editions.changelog import compare, field_changes
from cloudpeds.editions.model import Edition
from cloudpeds.manual.loader import load_manual

from ..editions_support import write_edition

YOUNG_INFANT = {"zh": "月龄 < 3 个月且体温 ≥ 38 °C", "en": "Age < 3 months and temperature ≥ 38 °C"}


def edition(number: int) -> Edition:
    return Edition.model_validate({"version": str(2017 + number), "number": number, "date": f"{2017 + number}-06-01",
                                   "label": {"zh": f"第 {number} 版", "en": f"Edition {number}"},
                                   "status": "trial" if number == 1 else "current"})


@pytest.fixture
def snapshots(project: Path) -> tuple[dict, dict]:
    manual = project / "manual"
    taken = []
    for number in (1, 2):
        write_edition(manual, number)
        result = load_manual(manual, root=project)
        assert [d for d in result.diagnostics if d.severity == "error"] == []
        taken.append(json.loads(snapshot.dumps(snapshot.take(result.manual, edition(number)))))
    return taken[0], taken[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_changelog_lists_exactly_the_five_differences(snapshots, lang):
    log = compare(*snapshots).languages[lang]
    assert [(c.chapter, c.change) for c in log.chapters] == [("cough", "added")]
    items = {(i.id, i.change): [(f.field, f.before, f.after) for f in i.fields] for i in log.items}
    assert items == {
        ("fever-ds-young-infant", "changed"): [("text", YOUNG_INFANT[lang].replace("38", "38.5"), YOUNG_INFANT[lang]),
                                               ("threshold.value", 38.5, 38.0)],
        ("fever-ds-reduced-activity", "added"): [],
        ("fever-ref-5-days", "changed"): [("urgency", "routine", "urgent")],
    }
    assert len(log.charts) == 1
    chart = log.charts[0]
    assert (chart.chapter, chart.nodes_added, chart.nodes_removed, chart.nodes_changed) == ("fever", (), (), ())
    assert [(e.change, e.before["target"], e.after["target"]) for e in chart.edges] == [("relabelled", "H", "H")]
    edge = chart.edges[0]
    assert edge.before["label"] in ("否", "No") and edge.after["label"] in ("否，且反应好", "No, responds normally")
    assert log.count == 5
    assert log.changed_items() == {"fever-ds-young-infant": "changed", "fever-ds-reduced-activity": "added",
                                   "fever-ref-5-days": "changed"}
    assert log.changed_chapters() == {"fever": "chart", "cough": "added"}


def test_an_edition_compared_with_itself_has_no_changes(snapshots):
    log = compare(snapshots[1], snapshots[1])
    assert all(lang_log.count == 0 for lang_log in log.languages.values())


def test_removed_and_renamed_chapters_and_removed_items(snapshots):
    old, new = snapshots
    log = compare(new, old).languages["zh"]
    assert [(c.chapter, c.change) for c in log.chapters] == [("cough", "removed")]
    assert ("fever-ds-reduced-activity", "removed") in {(i.id, i.change) for i in log.items}
    renamed = json.loads(json.dumps(new))
    renamed["chapters"]["zh"]["fever"]["title"] = "发热（发烧）"
    log = compare(new, renamed).languages["zh"]
    assert [(c.chapter, c.change, c.before, c.title) for c in log.chapters] == [
        ("fever", "renamed", "发热", "发热（发烧）")]
    assert log.items == [] and log.charts == []


def test_a_rerouted_edge_and_changed_nodes():
    before = {"nodes": {"B": {"text": "?", "kind": "decision", "links": []}, "H": {"text": "home", "kind": "home",
              "links": []}, "O": {"text": "observe", "kind": "observe", "links": []}},
              "edges": [{"source": "B", "target": "H", "label": "no"}]}
    after = json.loads(json.dumps(before))
    after["edges"] = [{"source": "B", "target": "O", "label": "no"}]
    after["nodes"]["O"]["text"] = "observe 24 h"
    log = compare({"chapters": {"zh": {"c": {"title": "t", "flowcharts": [before]}}}},
                  {"languages": ["zh"], "chapters": {"zh": {"c": {"title": "t", "flowcharts": [after]}}}})
    chart = log.languages["zh"].charts[0]
    assert [(e.change, e.before["target"], e.after["target"]) for e in chart.edges] == [("rerouted", "H", "O")]
    assert chart.nodes_changed == (("O", (field_changes({"text": "observe"}, {"text": "observe 24 h"})[0],)),)


def test_a_threshold_that_appears_is_one_change():
    changes = field_changes({"id": "x", "threshold": None},
                            {"id": "x", "threshold": {"measure": "temperature", "value": 38}})
    assert [(c.field, c.before) for c in changes] == [("threshold", None)]


def test_snapshots_are_deterministic(project):
    result = load_manual(project / "manual", root=project)
    first = snapshot.dumps(snapshot.take(result.manual, edition(1)))
    again = snapshot.dumps(snapshot.take(load_manual(project / "manual", root=project).manual, edition(1)))
    assert first == again
    data = json.loads(first)
    assert data["edition"]["date"] == "2018-06-01"
    fever = data["chapters"]["zh"]["fever"]
    assert fever["danger_signs"][0]["age_bands"] == ["0d-28d", "28d-3mo"]
    assert fever["flowcharts"][0]["edges"][0] == {"source": "A", "target": "B", "label": None}


def test_a_broken_snapshot_names_the_file(tmp_path):
    bad = tmp_path / "snapshot.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(snapshot.SnapshotError, match=r"snapshot\.json: cannot read"):
        snapshot.load(bad)
    with pytest.raises(snapshot.SnapshotError, match="is missing"):
        snapshot.load(tmp_path / "none.json")


def test_problems_in_editions_yml_name_the_line(tmp_path):
    from cloudpeds.editions.loader import load_editions

    path = tmp_path / "manual" / "editions.yml"
    path.parent.mkdir()
    path.write_text("""\
editions:
  - version: "2018"
    number: 1
    label: {zh: 2018 试行版}
    date: 2018-06-01
    status: draft
  - version: "2018"
    number: 2
    label: {zh: 2019 版}
    date: 2019-06-01
    status: current
""", encoding="utf-8")
    diagnostics = []
    assert load_editions(path, tmp_path, diagnostics) is None
    assert [d.format().split(" (hint")[0] for d in diagnostics] == [
        "manual/editions.yml:6:13: error: editions[0].status: 'draft' is not allowed here"]
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: trial"), encoding="utf-8")
    diagnostics = []
    assert load_editions(path, tmp_path, diagnostics) is None
    assert "two editions have the same version" in diagnostics[0].message


def test_cloudpeds_check_reports_problems_in_editions_yml(project):
    import subprocess
    import sys

    (project / "manual" / "editions.yml").write_text(
        'editions:\n  - version: latest\n    number: 1\n    label: {zh: 试行版}\n    date: 2018-06-01\n'
        '    status: trial\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "cloudpeds.cli", "check", "--project", str(project),
                             "--today", "2026-11-25"], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "manual/editions.yml:2:" in result.stderr and "used by the releases folder itself" in result.stderr


def test_values_read_as_a_clinician_reads_them():
    from cloudpeds.editions.pages import field_label, item_title, value_text

    assert value_text("threshold.value", 38.0, "zh") == "38"
    assert value_text("threshold.op", ">=", "en") == "≥"
    assert value_text("threshold", {"measure": "temperature", "op": ">=", "value": 38.5, "unit": "°C"}, "en") \
        == "≥ 38.5 °C"
    assert value_text("urgency", "urgent", "zh") == "当天"  # the urgency scale's word
    assert value_text("triage", "red", "en") == "Red · Emergency"
    assert value_text("signs", ["a", "b"], "en") == "a; b"
    assert value_text("pre_referral", [{"text": "Give oxygen", "sources": []}], "en") == "Give oxygen"
    assert value_text("threshold", None, "zh") == "—"
    assert field_label("threshold.value", "en") == "threshold value" and field_label("odd", "en") == "odd"
    assert item_title({"urgency": "emergency", "target": "ED"}, "en") == "Emergency: ED"


# -- doses and the danger-sign fields of the clinical formats -------------------------------------------

DOSES_BLOCK = """\
doses:
  - id: fever-dose-paracetamol
    drug: paracetamol
    indication: {indication}
    route: oral
    per_kg: 15
    max_single: 1000
    interval: 6h
    max_doses_24h: 4
    min_age: 1mo
    sources: [nice-ng143]
"""
INDICATION = {"zh": "发热伴不适", "en": "Fever with distress"}


def _with_doses(project: Path) -> None:
    """The fever chapter of the test project with one structured dose (paracetamol 15 mg/kg, max 1000 mg)."""
    for lang in ("zh", "en"):
        path = project / "manual" / "chapters" / f"fever.{lang}.md"
        text = path.read_text(encoding="utf-8")
        assert text.count("\nreferences:") == 1
        path.write_text(text.replace("\nreferences:", "\n" + DOSES_BLOCK.format(indication=INDICATION[lang])
                                     .rstrip("\n") + "\nreferences:"), encoding="utf-8")


@pytest.fixture
def dosed(project: Path) -> dict:
    """The snapshot (as published JSON) of edition 2 with the paracetamol dose."""
    manual = project / "manual"
    write_edition(manual, 2)
    _with_doses(project)
    result = load_manual(manual, root=project)
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    return json.loads(snapshot.dumps(snapshot.take(result.manual, edition(2))))


def _copy(data: dict) -> dict:
    return json.loads(json.dumps(data))


def _dose(data: dict, lang: str) -> dict:
    return data["chapters"][lang]["fever"]["doses"][0]


def test_a_snapshot_holds_every_field_of_each_dose(dosed):
    dose = _dose(dosed, "en")
    assert dose["id"] == "fever-dose-paracetamol" and dose["drug"] == "paracetamol"
    assert (dose["per_kg"], dose["max_single"], dose["interval"], dose["max_doses_24h"], dose["min_age"]) == \
        (15.0, 1000.0, "6h", 4, "1mo")
    assert (dose["route"], dose["unit"], dose["by_weight"], dose["max_24h"], dose["sources"]) == \
        ("oral", "mg", [], None, ["nice-ng143"])
    assert dose["drug_name"] == "paracetamol"  # no formulary loaded: the medicine's id
    sign = dosed["chapters"]["zh"]["fever"]["danger_signs"][0]
    assert {"findings", "thresholds", "triage_reason", "waivers", "match"} <= set(sign)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_changed_dose_maximum_is_listed_with_before_and_after(dosed, lang):
    new = _copy(dosed)
    _dose(new, lang)["max_single"] = 500.0
    _dose(new, lang)["by_weight"] = []
    log = compare(dosed, new).languages[lang]
    assert [(i.kind, i.id, i.change, [(f.field, f.before, f.after) for f in i.fields]) for i in log.items] == [
        ("doses", "fever-dose-paracetamol", "changed", [("max_single", 1000.0, 500.0)])]
    assert log.count == 1 and log.changed_items() == {"fever-dose-paracetamol": "changed"}
    other = "en" if lang == "zh" else "zh"
    assert compare(dosed, new).languages[other].count == 0  # per language, as for the other items


def test_an_added_and_a_removed_dose(dosed):
    without = _copy(dosed)
    for lang in ("zh", "en"):
        without["chapters"][lang]["fever"]["doses"] = []
    log = compare(without, dosed).languages["en"]
    assert [(i.kind, i.id, i.change) for i in log.items] == [("doses", "fever-dose-paracetamol", "added")]
    assert log.items[0].item["drug_name"] == "paracetamol" and log.unrecorded == []
    assert log.changed_items() == {"fever-dose-paracetamol": "added"}
    log = compare(dosed, without).languages["zh"]
    assert [(i.kind, i.id, i.change) for i in log.items] == [("doses", "fever-dose-paracetamol", "removed")]
    assert log.changed_items() == {}


def test_the_name_of_a_medicine_is_shown_not_compared(dosed):
    renamed = _copy(dosed)
    _dose(renamed, "en")["drug_name"] = "Paracetamol (acetaminophen)"
    assert compare(dosed, renamed).languages["en"].count == 0


def test_an_old_snapshot_without_doses_does_not_list_them_as_added(dosed):
    """A release published before doses were recorded: its doses are "not recorded", not all added, and
    danger signs lacking the newer fields (findings, thresholds, waivers...) are read with their defaults."""
    old = _copy(dosed)
    for lang in ("zh", "en"):
        for chapter in old["chapters"][lang].values():
            del chapter["doses"]
            for sign in chapter["danger_signs"]:
                for name in ("findings", "thresholds", "triage_reason", "waivers", "match"):
                    del sign[name]
            for referral in chapter["referrals"]:
                del referral["waivers"]
                for step in referral["pre_referral"]:
                    step.pop("dose", None)
    log = compare(old, dosed).languages["zh"]
    assert log.items == [] and log.count == 0
    assert log.unrecorded == ["doses"]
    assert compare(old, dosed).as_json()["languages"]["zh"]["unrecorded"] == ["doses"]
    # A real change in the new fields is still listed, from the default.
    new = _copy(dosed)
    new["chapters"]["zh"]["fever"]["danger_signs"][0]["triage_reason"] = "不足 3 个月的婴儿病情变化快"
    changes = [(i.id, [(f.field, f.before) for f in i.fields]) for i in compare(old, new).languages["zh"].items]
    assert changes == [("fever-ds-young-infant", [("triage_reason", None)])]


def test_an_old_snapshot_without_doses_and_no_doses_now_says_nothing(snapshots):
    old, new = _copy(snapshots[0]), snapshots[1]
    for chapter in old["chapters"]["en"].values():
        del chapter["doses"]
    assert compare(old, new).languages["en"].unrecorded == []


# -- What's new and the badges ---------------------------------------------------------------------------

def _whats_new(log, lang: str) -> str:
    from cloudpeds.editions.pages import whats_new_page
    from cloudpeds.manual.pages import Layout

    return whats_new_page(Layout(("zh", "en")), lang, edition(2), log, edition(1)).markdown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_whats_new_shows_dose_changes_in_their_own_group(project, lang):
    import datetime as dt
    import shutil

    from cloudpeds.manual.validate import check

    from ..conftest import ROOT

    shutil.copy(ROOT / "manual" / "medicines.yml", project / "manual" / "medicines.yml")
    _with_doses(project)
    manual, _ = check(project / "manual", root=project, today=dt.date(2026, 11, 25))
    old = json.loads(snapshot.dumps(snapshot.take(manual, edition(1))))
    assert _dose(old, lang)["drug_name"] == {"zh": "对乙酰氨基酚", "en": "Paracetamol"}[lang]
    new = _copy(old)
    _dose(new, lang)["max_single"] = 500.0
    _dose(new, lang)["per_kg"] = 12.5
    page = _whats_new(compare(old, new), lang)
    group = page.split('<h2 id="doses">', 1)[1]
    assert {"zh": "药物剂量", "en": "Doses"}[lang] in group
    text = re.sub(r"<[^>]+>", " ", re.sub(r'<span class="cp-sr">[^<]*</span>', "", group))
    assert {"zh": "对乙酰氨基酚（发热伴不适）", "en": "Paracetamol (Fever with distress)"}[lang] in text
    assert re.search(r"1000 mg\s+→\s+ 500 mg", text) and re.search(r"15 mg/kg\s+→\s+ 12.5 mg/kg", text)
    assert "1000.0" not in text and "500.0" not in text
    assert '#fever-dose-paracetamol">' in group  # links the dose on its chapter page
    # An added dose: its summary as a doctor reads it.
    without = _copy(old)
    without["chapters"][lang]["fever"]["doses"] = []
    text = re.sub(r"<[^>]+>", " ", _whats_new(compare(without, old), lang).split('<h2 id="doses">', 1)[1])
    assert "15 mg/kg" in text and "1000 mg" in text
    assert {"zh": "每 6 小时", "en": "every 6 h"}[lang] in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_whats_new_says_when_the_previous_edition_did_not_record_doses(dosed, lang):
    old = _copy(dosed)
    for chapter in old["chapters"][lang].values():
        del chapter["doses"]
    page = _whats_new(compare(old, dosed), lang)
    assert '<h2 id="doses">' in page and "cp-edition-unrecorded" in page
    assert {"zh": "尚未记录结构化剂量", "en": "published before doses were recorded"}[lang] in page
    assert "cp-change--added" not in page


def test_dose_values_read_as_a_doctor_writes_them():
    from cloudpeds.editions.pages import dose_value_text, item_title, value_text

    assert dose_value_text("max_single", 10.0, "en") == "10 mg"
    assert dose_value_text("per_kg", 0.5, "zh") == "0.5 mg/kg"
    assert dose_value_text("max_24h", 60.0, "en", "mL") == "60 mL"
    assert dose_value_text("max_doses_24h", 4, "zh") == "4 次"
    assert dose_value_text("interval", "10min", "en") == "every 10 min"
    assert dose_value_text("interval", "once", "zh") == "单次给药"
    assert dose_value_text("route", "oral", "en") == "by mouth"
    assert dose_value_text("min_weight_kg", 3.0, "en") == "3 kg"
    assert dose_value_text("by_weight", [{"from_kg": 3.0, "to_kg": 6.0, "dose": 60.0},
                                         {"from_kg": 6.0, "to_kg": 10.0, "dose": 120.0}], "en") \
        == "3–<6 kg: 60 mg; 6–<10 kg: 120 mg"
    assert dose_value_text("by_age", [{"age": "1y-10y", "dose": 600.0}], "en").endswith(": 600 mg")
    assert dose_value_text("max_single", None, "en") == "—"
    assert item_title({"drug": "diazepam", "drug_name": "Diazepam", "indication": "Convulsing"}, "en") \
        == "Diazepam (Convulsing)"
    # The danger-sign fields of the clinical formats.
    assert value_text("thresholds", [{"table": "rr-who", "measure": None, "op": None, "value": None,
                                      "unit": None}], "en") == "table rr-who"
    assert value_text("waivers", [{"rule": "CP204", "reason": "local audit"}], "en") == "CP204: local audit"
    assert value_text("findings", ["fever", "lethargy"], "en") == "fever; lethargy"


def test_a_changed_dose_gets_the_badge_on_its_chapter_page(project):
    from cloudpeds.manual.pages import Layout, Renderer

    _with_doses(project)
    result = load_manual(project / "manual", root=project)
    renderer = Renderer(result.manual, Layout(("zh", "en")))
    renderer.changed = {"zh": {"fever-dose-paracetamol": "changed"}, "en": {"fever-dose-paracetamol": "added"}}
    for lang, badge in (("zh", "本版修改"), ("en", "New in this edition")):
        page = renderer.chapter_page(result.manual.chapters[lang]["fever"]).markdown
        block = re.search(r'<section id="fever-dose-paracetamol".*?</h3>', page, re.S).group(0)
        assert "cp-changed" in block and badge in block


# -- threshold tables named by danger signs -----------------------------------------------------------------

@pytest.fixture
def tabled(project: Path) -> dict:
    """A snapshot taken with the clinical data loaded, the young-infant sign naming a threshold table."""
    import datetime as dt
    import shutil

    from cloudpeds.manual.validate import check

    from ..conftest import ROOT

    for name in ("findings.yml", "medicines.yml"):
        shutil.copy(ROOT / "manual" / name, project / "manual" / name)
    for lang in ("zh", "en"):
        path = project / "manual" / "chapters" / f"fever.{lang}.md"
        text = path.read_text(encoding="utf-8")
        line = '    threshold: {measure: temperature, op: ">=", value: 38, unit: "°C"}\n'
        assert text.count(line) == 1
        path.write_text(text.replace(line, line + "    thresholds: [{table: rr-fast-breathing}]\n"), encoding="utf-8")
    manual, _ = check(project / "manual", root=project, today=dt.date(2026, 11, 25))
    return json.loads(snapshot.dumps(snapshot.take(manual, edition(1))))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_changed_cut_off_of_a_named_table_is_listed_and_badges_its_signs(tabled, lang):
    table = tabled["chapters"][lang]["fever"]["threshold_tables"][0]
    assert (table["id"], table["unit"], table["named_by"]) == ("rr-fast-breathing", "/min", ["fever-ds-young-infant"])
    assert table["rows"][0] == {"age": "0d-2mo", "hours": None, "value": 60.0}
    new = _copy(tabled)
    new["chapters"][lang]["fever"]["threshold_tables"][0]["rows"][0]["value"] = 55.0
    log = compare(tabled, new).languages[lang]
    assert [(i.kind, i.id, i.change, [f.field for f in i.fields]) for i in log.items] == [
        ("threshold_tables", "rr-fast-breathing", "changed", ["rows"])]
    assert log.changed_items() == {"fever-ds-young-infant": "changed"}
    page = _whats_new(compare(tabled, new), lang)
    group = page.split('<h2 id="threshold-tables">', 1)[1]
    text = re.sub(r"<[^>]+>", " ", re.sub(r'<span class="cp-sr">[^<]*</span>', "", group))
    assert table["label"] in text
    assert "≥ 60 /min" in text and "≥ 55 /min" in text and "60.0" not in text


def test_an_old_snapshot_without_threshold_tables_does_not_compare_them(tabled):
    old = _copy(tabled)
    for chapter in old["chapters"]["en"].values():
        chapter.pop("threshold_tables", None)
    log = compare(old, tabled).languages["en"]
    assert log.items == [] and log.unrecorded == ["threshold_tables"]
    assert "cp-edition-unrecorded" in _whats_new(compare(old, tabled), "en")


@pytest.mark.parametrize(("lang", "count"), [("en", "1 change ·"), ("zh", "共 1 处变化")])
def test_one_change_is_counted_in_the_singular(snapshots, lang, count):
    old, new = snapshots[0], _copy(snapshots[0])
    sign = new["chapters"][lang]["fever"]["danger_signs"][0]
    sign["text"] = sign["text"] + "!"
    page = _whats_new(compare(old, new), lang)
    assert count in re.sub(r"<[^>]+>", "", page) and "1 changes" not in page
