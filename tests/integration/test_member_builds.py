"""Member builds: `cloudpeds build --site all` builds the generic site and every member's from one build of the
manual; each member's pages carry its own numbers and no other member's; the fever page shows the member's
emergency route; doses show what the member stocks; bundle and publish work per member."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cloudpeds.members.loader import load_members
from cloudpeds.members.render import tel

from ..conftest import ROOT

pytestmark = pytest.mark.build
MEMBERS = {loaded.member.id: loaded.member for loaded in load_members(ROOT / "sites", ROOT, [])}


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cloudpeds.cli", *args], capture_output=True, text=True, cwd=cwd,
                          check=False, timeout=900)


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """``--site all`` once: the generic site (key ``""``) and each member's, beside it."""
    out = tmp_path_factory.mktemp("members")
    result = cli("build", "--site", "all", "-d", str(out / "site"))
    assert result.returncode == 0, result.stderr
    assert "the manual was built once" in result.stderr
    return {"": out / "site", **{member_id: out / f"site-{member_id}" for member_id in MEMBERS}}


def pages(site: Path) -> list[Path]:
    found = sorted(site.rglob("*.html"))
    assert len(found) > 50
    return found


def foreign_numbers(member_id: str) -> set[str]:
    """The numbers other members give that this one does not (shared ones, like the tertiary hospital's green
    channel, belong to every member that sends children there)."""
    own = MEMBERS[member_id].numbers()
    return {n for other, m in MEMBERS.items() if other != member_id for n in m.numbers()} - own


def test_there_are_three_sample_members():
    assert sorted(MEMBERS) == ["community-centre", "district-hospital", "district-tcm-hospital"]


@pytest.mark.parametrize("member_id", sorted(MEMBERS))
def test_every_page_of_a_member_has_its_own_numbers_and_no_other_members(sites, member_id):
    member = MEMBERS[member_id]
    banner = [member.emergency_number, *(phone.number for phone in member.phones)]
    foreign = foreign_numbers(member_id)
    assert foreign  # the check below means something
    for page in pages(sites[member_id]):
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(sites[member_id])
        assert f'data-cp-member="{member_id}"' in text, where
        for number in banner:
            assert f'href="tel:{tel(number)}"' in text and f">{number}</a>" in text, (where, number)
        for number in foreign:
            assert number not in text and tel(number) not in text, (where, number)
        assert "cp-slot" not in text, where


def test_the_generic_site_has_no_member_data_and_no_slots(sites):
    numbers = {n for m in MEMBERS.values() for n in m.numbers() if len(tel(n)) > 6}
    for page in pages(sites[""]):
        text = page.read_text(encoding="utf-8")
        assert "cp-slot" not in text and "data-cp-member" not in text, page
        assert not [n for n in numbers if n in text], page
    assert "member" not in json.loads((sites[""] / "clinical" / "fever.json").read_text(encoding="utf-8"))


def referral_card(page: Path, referral_id: str) -> str:
    text = page.read_text(encoding="utf-8")
    match = re.search(rf'<article id="{referral_id}".*?</article>', text, re.DOTALL)
    assert match, referral_id
    return match[0]


@pytest.mark.parametrize("member_id", sorted(MEMBERS))
def test_each_members_fever_page_shows_its_emergency_route_and_phone(sites, member_id):
    route = MEMBERS[member_id].routes["emergency"]
    for lang, page in (("zh", "manual/fever/index.html"), ("en", "en/manual/fever/index.html")):
        card = referral_card(sites[member_id] / page, "fever-ref-emergency")
        assert 'class="cp-local cp-route"' in card
        assert route.department.get(lang) in card.replace("&#39;", "'")
        assert f'href="tel:{tel(route.phone)}">{route.phone}</a>' in card
        assert route.green_channel.get(lang).replace('"', "&#34;") in card.replace("&#39;", "'")
        assert f'href="tel:{MEMBERS[member_id].emergency_number}"' in card
    data = json.loads((sites[member_id] / "clinical" / "fever.json").read_text(encoding="utf-8"))
    assert data["member"]["id"] == member_id and data["member"]["routes"]["emergency"]["phone"] == route.phone
    assert data["member"]["emergency_number"] == "120"


def test_local_notes_routes_per_level_and_stocked_doses(sites):
    fever = (sites["community-centre"] / "manual" / "fever" / "index.html").read_text(encoding="utf-8")
    assert "本中心无儿科急诊：红色征象一律先拨打 120" in referral_card(
        sites["community-centre"] / "manual" / "fever" / "index.html", "fever-ref-emergency")
    assert '<th scope="col">口服滴剂 100 mg/mL</th>' not in fever and "cp-dose__not-stocked" in fever
    assert "未备此制剂：口服滴剂 100 mg/mL — 本中心无滴剂" in fever
    generic = (sites[""] / "manual" / "fever" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="col">口服滴剂 100 mg/mL</th>' in generic and "cp-dose__not-stocked" not in generic
    district = (sites["district-hospital"] / "manual" / "fever" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="col">口服滴剂 100 mg/mL</th>' in district  # it stocks every paracetamol product
    quick = (sites["district-tcm-hospital"] / "quick" / "referrals" / "index.html").read_text(encoding="utf-8")
    assert quick.count('class="cp-local cp-route"') == 3  # emergency, urgent, routine
    assert 'data-cp-level="urgent"' in quick and "021-5551-0110" in quick  # urgent: the district hospital


def test_the_service_worker_cache_is_named_by_member_and_edition(sites):
    for member_id in MEMBERS:
        worker = (sites[member_id] / "sw.js").read_text(encoding="utf-8")
        assert re.search(rf'"cloudpeds-{member_id}-2018-[0-9a-f]+"', worker), member_id
    assert re.search(r'"cloudpeds-2018-[0-9a-f]+"', (sites[""] / "sw.js").read_text(encoding="utf-8"))


def test_a_members_logo_is_copied_and_fingerprinted(sites):
    fever = (sites["district-hospital"] / "manual" / "fever" / "index.html").read_text(encoding="utf-8")
    logo = re.search(r'<img class="cp-member__logo" src="([^"]+)"', fever)
    assert logo and logo[1].startswith("../../assets/member/district-hospital.")
    assert (sites["district-hospital"] / "manual" / "fever" / logo[1]).resolve().is_file()


def test_bundle_and_publish_a_member_site(tmp_path):
    result = cli("bundle", "--site", "community-centre", "-f", str(ROOT / "mkdocs.yml"), "--date", "2026-11-25",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    bundle = tmp_path / "cloudpeds-community-centre-2018-offline.zip"  # named by member and edition
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("cloudpeds-bundle.json"))
        fever = archive.read("manual/fever.html").decode("utf-8")
    assert manifest["member"] == "community-centre" and manifest["edition"] == "2018"
    assert "021-5553-0101" in fever and "021-5551-0110" in fever and "021-5552" not in fever
    assert cli("bundle", "--verify", str(bundle)).returncode == 0

    releases = tmp_path / "releases"
    result = cli("publish", "2018", "--site", "district-tcm-hospital", "--releases-dir", str(releases))
    assert result.returncode == 0, result.stderr
    page = (releases / "2018" / "manual" / "fever" / "index.html").read_text(encoding="utf-8")
    assert "021-5552-0110" in page and "021-5553" not in page
    assert "cloudpeds-district-tcm-hospital-2018-" in (releases / "2018" / "sw.js").read_text(encoding="utf-8")
    assert json.loads((releases / "versions.json").read_text(encoding="utf-8"))[0]["version"] == "2018"


def test_an_unknown_member_is_refused_and_nothing_is_written(tmp_path):
    result = cli("build", "--site", "nowhere", "-d", str(tmp_path / "site"))
    assert result.returncode == 1 and "there is no member 'nowhere'" in result.stderr
    assert "Traceback" not in result.stderr and not list(tmp_path.iterdir())


@pytest.mark.parametrize("member_id", sorted(MEMBERS))
def test_act_now_and_the_bedside_scripts_carry_the_members_emergency_route(sites, member_id):
    """The act-now block ends with where this member sends an emergency; the bedside data the pages load as a
    script (clinical/<chapter>.js, also from file://) carries the member section the referral note reads."""
    route = MEMBERS[member_id].routes["emergency"]
    for lang, page in (("zh", "manual/convulsions/index.html"), ("en", "en/manual/convulsions/index.html")):
        text = (sites[member_id] / page).read_text(encoding="utf-8")
        block = re.search(r'<details id="act-now".*?</details>', text, re.DOTALL)
        assert block, page
        assert f'href="tel:{tel(route.phone)}">{route.phone}</a>' in block[0]
        assert route.department.get(lang) in block[0].replace("&#39;", "'")
    scripts = [p for p in (sites[member_id] / "clinical").glob("fever*.js") if ".note" not in p.name]
    assert len(scripts) == 1, scripts
    assert f'"id":"{member_id}"' in scripts[0].read_text(encoding="utf-8")
    generic = (sites[""] / "manual" / "convulsions" / "index.html").read_text(encoding="utf-8")
    assert route.phone not in generic and "cp-slot" not in generic


def test_a_members_wall_chart_carries_its_routes_and_no_other_members(tmp_path):
    """cloudpeds pdf --site ID: the printed wall chart shows this member's routes and phones only."""
    member = MEMBERS["district-hospital"]
    result = cli("pdf", "--site", member.id, "--kind", "wall", "--chapter", "fever", "--lang", "zh",
                 "--out", str(tmp_path), "--site-url", "https://peds.example.org/")
    assert result.returncode == 0, result.stderr
    [pdf] = tmp_path.glob(f"{member.id}-zh-*-wall-fever.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert member.routes["emergency"].phone in text and member.short_name.get("zh") in text
    assert not [n for n in foreign_numbers(member.id) if n in text]
