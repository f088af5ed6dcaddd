"""Member site files (sites/<id>.yml): the samples are valid; each class of bad input is reported at its
file:line with a hint, all at once; slots are marked and filled; a member's blocks show its own data."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from cloudpeds.diagnostics import Severity
from cloudpeds.manual.pages import Layout, Renderer
from cloudpeds.manual.validate import check
from cloudpeds.members import slots
from cloudpeds.members.derive import derive_site, root_of, strip_slots
from cloudpeds.members.loader import check_members, load_member
from cloudpeds.members.render import MemberBlocks

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sites" / "community-centre.yml"


@pytest.fixture(scope="module")
def manual():
    loaded, diagnostics = check(ROOT / "manual", root=ROOT)
    assert not [d for d in diagnostics if d.severity is Severity.ERROR]
    return loaded


def write_site(tmp_path: Path, text: str, name: str = "community-centre") -> Path:
    sites = tmp_path / "sites"
    sites.mkdir(exist_ok=True)
    path = sites / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_the_three_sample_members_are_valid(manual):
    members, problems = check_members(ROOT / "sites", manual, ROOT)
    assert problems == []
    assert sorted(m.member.id for m in members) == ["community-centre", "district-hospital", "district-tcm-hospital"]
    for loaded in members:
        assert loaded.member.sample and "示例" in loaded.member.name.zh and "sample" in loaded.member.name.en
        assert loaded.member.routes["emergency"].phone == "021-5550-0120"  # the tertiary green channel


def test_every_problem_of_a_bad_file_is_reported_at_its_line_with_a_fix(manual, tmp_path):
    text = (sample_text()
            .replace("paracetamol-tablet-500, ibuprofen-suspension", "paracetamol-tablet-50, ibuprofen-suspension")
            .replace("- formulation: ceftriaxone-1g-iv", "- formulation: ceftriaxone-1g-im")
            .replace("- item: fever-ref-emergency", "- item: fever-ref-emergncy"))
    path = write_site(tmp_path, text)
    _, problems = check_members(tmp_path / "sites", manual, tmp_path)
    shown = {(d.line, d.message, d.hint) for d in problems}
    assert (line_of(path, "paracetamol-tablet-50,"),
            "'paracetamol-tablet-50' is neither a medicine nor a formulation of manual/medicines.yml",
            "did you mean 'paracetamol-tablet-500'?") in shown
    assert (line_of(path, "- formulation: ceftriaxone-1g-im"), "'ceftriaxone-1g-im' is stocked, so it needs no "
            "alternative", "remove this alternative, or take the formulation out of `stocked`") in shown
    assert (line_of(path, "fever-ref-emergncy"),
            "no danger sign, referral, dose or recommendation has the id 'fever-ref-emergncy'",
            "did you mean 'fever-ref-emergency'?") in shown
    assert all(d.path == "sites/community-centre.yml" and d.severity is Severity.ERROR for d in problems)
    assert len(problems) == 3


def test_unknown_ids_without_a_close_match_get_the_general_fix(manual, tmp_path):
    text = sample_text().replace("- item: fever-ref-emergency", "- item: zzz-unknown").replace(
        "stocked: [paracetamol-suspension-120-5,", "stocked: [qqq-nothing, paracetamol-suspension-120-5,").replace(
        "- formulation: paracetamol-drops-100", "- formulation: qqq-drops")
    write_site(tmp_path, text)
    _, problems = check_members(tmp_path / "sites", manual, tmp_path)
    hints = sorted(d.hint for d in problems)
    assert "copy the item's id from its chapter's front matter" in hints
    assert "use a formulation id from manual/medicines.yml" in hints
    assert any(h.startswith("use a medicine id (") and h.endswith("or a formulation id from manual/medicines.yml")
               for h in hints)


def test_model_errors_are_at_their_lines(manual, tmp_path):
    text = (sample_text().replace("number: 021-5553-0101", "number: call-us")
            .replace("  emergency:\n", "  emergncy:\n", 1)
            .replace("id: community-centre", "id: community-center"))
    path = write_site(tmp_path, text)
    _, problems = check_members(tmp_path / "sites", manual, tmp_path)
    lines = {d.line for d in problems}
    assert line_of(path, "number: call-us") in lines
    assert line_of(path, "emergncy:") in lines
    assert all(d.severity is Severity.ERROR for d in problems) and len(problems) >= 2
    # with the model fixed, the file name and the id must agree
    path.write_text(sample_text().replace("id: community-centre", "id: community-center"), encoding="utf-8")
    _, problems = check_members(tmp_path / "sites", manual, tmp_path)
    assert [(d.line, d.message, d.hint) for d in problems] == [
        (line_of(path, "id: community-center"), "the id 'community-center' differs from the file name "
         "'community-centre.yml'", "rename the file to community-center.yml, or set `id: community-centre`")]


def test_an_emergency_route_is_required_and_a_missing_referring_level_warns(manual, tmp_path):
    text = sample_text()
    start, end = text.index("  emergency:\n"), text.index("  urgent:\n")
    path = write_site(tmp_path, text[:start] + text[end:])
    _, problems = check_members(tmp_path / "sites", manual, tmp_path)
    assert [(d.line, d.severity) for d in problems] == [(line_of(path, "  urgent:"), Severity.ERROR)]
    assert "`routes` needs an `emergency` route" in problems[0].message
    start, end = text.index("  routine:\n"), text.index("formulary:\n")
    path = write_site(tmp_path, text[:start] + text[end:])
    _, problems = check_members(tmp_path / "sites", manual, tmp_path)
    assert [(d.line, d.severity) for d in problems] == [(line_of(path, "routes:"), Severity.WARNING)]
    assert problems[0].message == ("the manual refers children at level 'routine' but this member has no route for "
                                   "it: those referral cards show no local route")


def test_a_missing_or_wrong_logo_is_an_error(manual, tmp_path):
    path = write_site(tmp_path, sample_text().replace("sample: true", "logo: logos/none.svg\nsample: true"))
    _, problems = check_members(tmp_path / "sites", manual, tmp_path)
    assert [(d.line, d.message) for d in problems] == [
        (line_of(path, "logo:"), "the logo 'logos/none.svg' is not found")]
    (tmp_path / "sites" / "logo.gif").write_bytes(b"GIF89a")
    path.write_text(sample_text().replace("sample: true", "logo: logo.gif\nsample: true"), encoding="utf-8")
    _, problems = check_members(tmp_path / "sites", manual, tmp_path)
    assert [d.message for d in problems] == ["the logo 'logo.gif' is not SVG or PNG"]


def test_slots_are_marked_in_items_and_the_generic_filling_restores_the_page():
    page = ('<ul>\n<li id="a-ds-1" class="x">sign <span>more</span></li>\n</ul>\n'
            '<article id="a-ref-1"><h3>t</h3><dl><dt>x</dt></dl>\n</article>\n'
            '<section id="a-dose-1" class="cp-dose"><section>inner</section></section>\n<p>after</p>')
    marked = slots.mark_items(page, "zh", notes={"a-ds-1", "a-dose-1"}, routes=["a-ref-1"], doses=["a-dose-1"])
    assert '<span>more</span><!--cp-slot:note:zh:a-ds-1--></li>' in marked
    assert '<h3>t</h3><!--cp-slot:route:zh:a-ref-1--><dl>' in marked
    assert ('<!--cp-slot:dose:zh:a-dose-1-->\n<section id="a-dose-1" class="cp-dose"><section>inner</section>'
            '</section>\n<!--/cp-slot--><!--cp-slot:note:zh:a-dose-1-->') in marked
    assert slots.fill(marked, slots.empty) == page
    filled = slots.fill(marked, lambda kind, lang, key, inner: f"[{kind}:{lang}:{key}]")
    assert "[dose:zh:a-dose-1][note:zh:a-dose-1]" in filled and "inner" not in filled


def test_a_pages_root_is_relative_and_the_404_page_has_none():
    assert root_of("index.html") == "" and root_of("manual/fever/index.html") == "../../"
    assert root_of("en/manual/fever.html") == "../../" and root_of("404.html") is None


@pytest.fixture(scope="module")
def community(manual):
    loaded = load_member(SAMPLE, ROOT, [])
    renderer = Renderer(manual, Layout())
    return MemberBlocks(loaded, renderer)


def test_a_members_dose_table_shows_only_what_it_stocks_and_says_what_to_use_instead(community, manual):
    generic = Renderer(manual, Layout()).chapter_page(manual.chapter("zh", "fever")).markdown
    assert "<th scope=\"col\">口服滴剂 100 mg/mL</th>" in generic
    html = community.dose("fever-dose-paracetamol", "zh")
    assert "<th scope=\"col\">口服滴剂 100 mg/mL</th>" not in html
    assert "<th scope=\"col\">口服混悬液 120 mg/5 mL</th>" in html
    assert re.search(r"未备此制剂：口服滴剂 100 mg/mL — 本中心无滴剂：用口服混悬液 120 mg/5 mL", html)
    english = community.dose("fever-dose-paracetamol", "en")
    assert "not stocked: Oral drops 100 mg/mL — No drops here" in english
    # a medicine not stocked at all: only the dose in mg, and the formulation listed as not stocked
    ampicillin = community.dose("fever-dose-ampicillin-young-infant", "zh")
    assert "未备此制剂" in ampicillin and 'scope="col">注射' not in ampicillin


def test_routes_banner_and_bedside_data_carry_the_members_numbers(community):
    route = community.route("emergency", "zh")
    assert "021-5550-0120" in route and 'href="tel:02155500120"' in route and "先拨打 120" in route
    assert 'href="tel:120"' in route and "本院" in route
    assert community.route("observe", "zh") == ""  # no route at that level
    banner = community.banner("en", "../../assets/member/community-centre.svg")
    assert "Lanwan CHC" in banner and "sample" in banner and "021-5553-0101" in banner
    assert "<img" in banner
    data = community.chapter_data("fever")
    assert data["emergency_number"] == "120" and data["routes"]["emergency"]["phone"] == "021-5550-0120"
    assert [n["item"] for n in data["notes"]] == ["fever-ref-emergency"]
    assert {"formulation": "paracetamol-drops-100"}.items() <= data["not_stocked"][0].items() or any(
        entry["formulation"] == "paracetamol-drops-100" for entry in data["not_stocked"])
    json.dumps(data)  # plain JSON


def test_a_derived_site_fills_every_slot_and_adds_the_member_to_the_bedside_data(community, tmp_path):
    template = tmp_path / "template"
    (template / "manual" / "fever").mkdir(parents=True)
    (template / "clinical").mkdir()
    page = ('<aside><!--cp-slot:banner:zh:--></aside><article id="fever-ref-emergency">'
            '<!--cp-slot:route:zh:fever-ref-emergency--></article>')
    (template / "manual" / "fever" / "index.html").write_text(page, encoding="utf-8")
    (template / "clinical" / "fever.json").write_text('{"chapter": "fever"}', encoding="utf-8")
    (template / "video.mp4").write_bytes(b"x")
    target = tmp_path / "target"
    target.mkdir()
    logo = (community.loaded.logo_path or ROOT / "sites" / "logos" / "sample-member.svg", "assets/member/x.svg")
    assert derive_site(template, target, community.block, chapter_data=community.chapter_data, logo=logo) == 1
    out = (target / "manual" / "fever" / "index.html").read_text(encoding="utf-8")
    assert "cp-slot" not in out and "021-5553-0101" in out and "021-5550-0120" in out
    assert json.loads((target / "clinical" / "fever.json").read_text())["member"]["id"] == "community-centre"
    assert (target / "assets" / "member" / "x.svg").is_file() and (target / "video.mp4").stat().st_nlink == 2
    assert json.loads((template / "clinical" / "fever.json").read_text()) == {"chapter": "fever"}  # kept as it was
    shutil.copy(template / "manual" / "fever" / "index.html", tmp_path / "generic.html")
    strip_slots(template)
    assert (template / "manual" / "fever" / "index.html").read_text(encoding="utf-8") == (
        '<aside></aside><article id="fever-ref-emergency"></article>')


def test_a_members_site_goes_beside_the_generic_one(tmp_path):
    from cloudpeds.adapters.members import configured_site_dir, member_site_dir

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nmarkdown_extensions:\n  - x: !!python/name:y.z\n", encoding="utf-8")
    assert configured_site_dir(config, "cdn") == tmp_path / "site"
    assert configured_site_dir(config, "offline") == tmp_path / "site-offline"
    assert member_site_dir(tmp_path / "site", "community-centre") == tmp_path / "site-community-centre"
    config.write_text("site_name: x\nsite_dir: public\n", encoding="utf-8")
    assert configured_site_dir(config, "cdn") == tmp_path / "public"
