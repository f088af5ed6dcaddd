"""CP101/CP102: the urgency scale's rules, on the small fixture chapter (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

from cloudpeds.clinical import levels_check
from cloudpeds.diagnostics import Severity
from cloudpeds.manual.loader import load_manual

from .test_validation import ZH, edit, line_of, run

EN = "manual/chapters/fever.en.md"


def coded(diagnostics, code: str):
    return [d for d in diagnostics if d.code == code]


def test_valid_fixture_passes(project):
    assert coded(run(project), "CP101") == coded(run(project), "CP102") == []


def test_cp101_node_of_another_level_than_its_referral(project):
    edit(project, "R[紧急转诊]:::emergency", "R[紧急转诊]:::urgent")
    [found] = coded(run(project), "CP101")
    assert found.severity is Severity.ERROR and found.path == ZH
    assert found.line == line_of(project, 'click R "#fever-ref-emergency"')  # the click line in the fence
    assert found.col == 3
    assert "node R" in found.message and "▲ Urgent" in found.message and "■ Emergency" in found.message
    assert "`:::emergency`" in found.hint
    assert found.format().startswith(f"{ZH}:{found.line}:3: error: [CP101] ")


def test_cp101_a_step_linked_to_a_referral_is_not_a_disposition(project):
    edit(project, 'click R "#fever-ref-emergency"', 'click A "#fever-ref-emergency"')
    [found] = coded(run(project), "CP101")
    assert "node A" in found.message and "assess" in found.message
    assert found.line == line_of(project, 'click A "#fever-ref-emergency"')


def test_cp101_treat_is_the_old_name_of_treat_home(project):
    edit(project, "urgency: emergency", "urgency: treat-home")
    edit(project, "urgency: emergency", "urgency: treat-home", lang="en")
    edit(project, "R[紧急转诊]:::emergency", "R[紧急转诊]:::treat")
    diagnostics = run(project)
    assert [d.path for d in coded(diagnostics, "CP101")] == [EN]  # only the English chart still says emergency


def test_cp101_links_to_signs_and_recommendations_are_not_concerned(project):
    edit(project, 'click B "#fever-ds-young-infant"',
         'click B "#fever-ds-young-infant"\n  click H "#fever-rec-measure"')
    assert coded(run(project), "CP101") == []


def test_cp102_red_sign_routed_only_to_an_urgent_referral(project):
    for lang in ("zh", "en"):
        edit(project, "urgency: emergency", "urgency: urgent", lang=lang)
    diagnostics = run(project)
    found = [d for d in coded(diagnostics, "CP102") if d.path == ZH]
    assert len(found) == 1 and found[0].severity is Severity.ERROR
    assert found[0].line == line_of(project, "- id: fever-ds-young-infant")
    assert found[0].field == "danger_signs[0].id"
    assert "only to ▲ Urgent (urgent) referrals" in found[0].message and "triage_reason" in found[0].hint


def test_cp102_red_sign_routed_to_no_referral(project):
    for lang in ("zh", "en"):
        edit(project, "    signs: [fever-ds-young-infant]\n", "    criteria: [x]\n", lang=lang)
    found = [d for d in coded(run(project), "CP102") if d.path == ZH]
    assert len(found) == 1 and "to no referral" in found[0].message


def test_cp102_a_written_reason_allows_another_level(project):
    edit(project, "urgency: emergency", "urgency: urgent")
    edit(project, "urgency: emergency", "urgency: urgent", lang="en")
    edit(project, "    triage: red\n", "    triage: red\n    triage_reason: 当天在上级医院评估即可\n")
    edit(project, "    triage: red\n", "    triage: red\n    triage_reason: Same-day assessment is enough\n", lang="en")
    assert coded(run(project), "CP102") == []
    assert coded(run(project), "CP101") != []  # the chart still draws the node as an emergency


def test_cp102_replaces_the_old_warning(project):
    for lang in ("zh", "en"):
        edit(project, "urgency: emergency", "urgency: urgent", lang=lang)
    assert not any("leads to no emergency or urgent referral" in d.message for d in run(project))


def test_check_chapter_reads_only_the_chapter(project: Path):
    """The rules are domain code: a loaded chapter in, diagnostics out (no MkDocs, no site)."""
    chapter = load_manual(project / "manual", root=project).manual.chapters["zh"]["fever"]
    assert list(levels_check.check_chapter(chapter)) == []


def test_the_sample_as_it_was_before_the_urgency_scale_is_flagged(tmp_path: Path):
    """Two chapters of the sample before issue 12 (tests/fixtures/before-issue-12): the emergency node drawn as
    "urgent" beside an emergency card, a home node linked to a routine card, red signs sent same-day unexplained."""
    chapters = tmp_path / "manual" / "chapters"
    chapters.mkdir(parents=True)
    for source in (Path(__file__).parents[1] / "fixtures" / "before-issue-12").glob("*.md"):
        (chapters / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    manual = load_manual(tmp_path / "manual", root=tmp_path).manual
    found = {(d.code, d.path.rsplit("/", 1)[-1], d.line)
             for chapter in manual.chapters["zh"].values() for d in levels_check.check_chapter(chapter)}
    assert found == {
        ("CP101", "fever.zh.md", 174), ("CP101", "fever.zh.md", 177),  # click E (emergency card), click H (routine)
        ("CP101", "vomiting.zh.md", 188), ("CP101", "vomiting.zh.md", 190),
        ("CP102", "vomiting.zh.md", 20), ("CP102", "vomiting.zh.md", 45),  # projectile vomiting, raised ICP
    }
