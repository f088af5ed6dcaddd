"""`cloudpeds pdf`: the four kinds of PDF for zh and en, read back with poppler-utils (pdfinfo: page size and count;
pdffonts: every font embedded, Noto CJK among them; pdftotext: the disclaimer, edition and date on every page, every
chapter title), the table of contents' page numbers, vector flowcharts (no images), the handouts' QR codes
(zbarimg), a member's routes and phones, and nothing cut off. Every PDF is written once for the module."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cloudpeds.cli import main
from cloudpeds.manual.validate import check
from cloudpeds.paper.command import make_pdfs
from cloudpeds.paper.routes import Route, Routes
from cloudpeds.paper.settings import EditionLabel, read_settings
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

SITE_URL = "https://peds.example.org/"
DISCLAIMER = {"zh": "示例内容，仅供演示本软件，不得用于临床。",
              "en": "Sample content for demonstrating this software. Not for clinical use."}
EDITION = {"zh": ("2018 试行版", "2018-06-01"), "en": ("2018 trial edition", "2018-06-01")}
#: Page size in PDF points (1 mm = 72 / 25.4 pt).
SIZES = {"pocket": (297.64, 419.53), "full": (595.28, 841.89), "wall": (595.28, 841.89), "handout": (419.53, 595.28)}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdftext(path: Path, *, layout: bool = False) -> list[str]:
    """The text of each page: in reading order (a footer that wraps stays whole), or as laid out (``layout``)."""
    flags = ["-layout"] if layout else []
    out = subprocess.run(["pdftotext", *flags, str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, str, str]:
    out = tmp_path_factory.mktemp("pdf")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(["pdf", "-f", str(ROOT / "mkdocs.yml"), "--out", str(out), "--site-url", SITE_URL])
    assert status == 0, stderr.getvalue()[-3000:]
    return out, stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="module")
def titles() -> dict[str, list[str]]:
    manual, _ = check(ROOT / "manual", root=ROOT)
    return {lang: [chapter.meta.title for chapter in manual.in_language(lang)] for lang in ("zh", "en")}


def path_of(out: Path, lang: str, kind: str) -> Path:
    return out / f"cloudpeds-{lang}-2018-{kind}.pdf"


def test_the_command_writes_four_kinds_per_language_with_a_progress_line(written):
    out, stdout, stderr = written
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(
        f"cloudpeds-{lang}-2018-{kind}.pdf" for lang in ("zh", "en") for kind in SIZES)
    assert "[1/8] zh pocket:" in stderr and "[8/8] en handout:" in stderr
    assert "Wrote" in stdout and "cut off" not in stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", list(SIZES))
def test_page_size_fonts_and_every_page_carries_disclaimer_edition_date(written, titles, lang, kind):
    out = written[0]
    path = path_of(out, lang, kind)
    info = pdfinfo(path)
    width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width, 1), round(height, 1)) == tuple(round(v, 1) for v in SIZES[kind]), info["Page size"]
    pages = int(info["Pages"])
    if kind == "wall":
        assert pages == len(titles[lang])  # one page per chapter: nothing spills over
    else:
        assert pages >= len(titles[lang])
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    assert any("Noto-Sans-CJK" in line for line in fonts)
    texts = pdftext(path)
    assert len(texts) == pages
    for number, text in enumerate(texts, 1):
        for expected in (DISCLAIMER[lang], *EDITION[lang]):
            assert squeeze(expected) in squeeze(text), f"{path.name} page {number} lacks {expected!r}"
    whole = squeeze("".join(texts))
    for title in titles[lang]:
        assert squeeze(title) in whole, f"{path.name} lacks the chapter {title!r}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_full_manual_has_a_cover_and_a_table_of_contents_with_the_right_page_numbers(written, titles, lang):
    texts = pdftext(path_of(written[0], lang, "full"), layout=True)
    assert squeeze(EDITION[lang][0]) in squeeze(texts[0]) and squeeze(DISCLAIMER[lang]) in squeeze(texts[0])
    contents = "\n".join(texts[1:3])
    for title in titles[lang]:
        match = re.search(re.escape(title) + r"[ .]*?(\d+)\s*$", contents, re.MULTILINE)
        assert match, f"no page number for {title!r} in the contents"
        page = int(match[1])
        assert squeeze(title) in squeeze(texts[page - 1]), f"{title!r} is not on page {page}"
    references = {"zh": "参考文献", "en": "References"}[lang]
    page = int(re.search(re.escape(references) + r"[ .]*?(\d+)\s*$", contents, re.MULTILINE)[1])
    assert "ng143" in texts[page - 1] and page > len(texts) - 5, "the contents' references entry points elsewhere"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pocket_edition_has_danger_signs_referral_chart_index_and_dose_tables(written, lang):
    whole = squeeze("".join(pdftext(path_of(written[0], lang, "pocket"))))
    words = {"zh": ("危险征象", "转诊", "流程图", "症状索引", "按体重的剂量表"),
             "en": ("Danger signs", "Referral", "Flow chart", "Symptom index", "Dose tables by weight")}
    for word in words[lang]:
        assert squeeze(word) in whole, word
    assert re.search(r"\d+–<\d+kg", whole), "no weight-band row"


def test_flowcharts_are_vectors(written):
    for lang in ("zh", "en"):
        for kind in ("wall", "pocket"):
            listed = subprocess.run(["pdfimages", "-list", str(path_of(written[0], lang, kind))],
                                    capture_output=True, text=True, check=True).stdout.splitlines()[2:]
            assert listed == [], f"{kind} {lang} has raster images"


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
                    reason="needs zbar-tools and poppler-utils")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_handout_qr_code_opens_the_page_for_parents(written, lang, tmp_path):
    path = path_of(written[0], lang, "handout")
    texts = pdftext(path)
    fever = next(i for i, text in enumerate(texts, 1) if "parents/fever/" in squeeze(text))
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(fever), "-l", str(fever), str(path),
                    str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True).stdout.split()
    prefix = "" if lang == "zh" else "en/"
    assert decoded == [f"{SITE_URL}{prefix}parents/fever/"]


def test_a_member_s_routes_and_phones_are_printed(tmp_path):
    settings = read_settings(ROOT / "mkdocs.yml")
    manual, _ = check(ROOT / settings.manual_dir, root=ROOT)
    routes = {"zh": Routes(name="示例区医院", short_name="示例区医院", phones=(("儿科门诊", "010-5555-0101"),),
                           emergency_number="120",
                           levels={"emergency": Route("示例市儿童医院急诊科", phone="010-5555-0999",
                                                      green_channel="先打电话说明“联合体绿色通道”")})}
    result = make_pdfs(manual, settings, out_dir=tmp_path, languages=("zh",), kinds=("wall", "handout"),
                       edition=EditionLabel("2018", {"zh": "2018 试行版"}, dt.date(2018, 6, 1)), member="district",
                       routes=routes, chapters=("fever",), site_url=SITE_URL)
    assert result.problems == [] and result.warnings == []
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["district-zh-2018-handout-fever.pdf",
                                                             "district-zh-2018-wall-fever.pdf"]
    wall = squeeze("".join(pdftext(tmp_path / "district-zh-2018-wall-fever.pdf")))
    assert "010-5555-0999" in wall and "示例市儿童医院急诊科" in wall and "010-5555-0101" in wall
    handout = squeeze("".join(pdftext(tmp_path / "district-zh-2018-handout-fever.pdf")))
    assert "010-5555-0101" in handout


def test_without_site_url_the_handouts_warn_and_carry_no_qr_code(tmp_path):
    settings = read_settings(ROOT / "mkdocs.yml")
    assert settings.site_url is None  # the sample sets none
    manual, _ = check(ROOT / settings.manual_dir, root=ROOT)
    result = make_pdfs(manual, settings, out_dir=tmp_path, languages=("en",), kinds=("handout",),
                       edition=EditionLabel("2018", {"en": "2018 trial edition"}, dt.date(2018, 6, 1)),
                       chapters=("fever",))
    assert any("no site_url" in line for line in result.warnings)
    assert "parents/fever" not in "".join(pdftext(tmp_path / "cloudpeds-en-2018-handout-fever.pdf"))


def test_an_unknown_chapter_or_member_is_one_line_and_exit_1(tmp_path):
    cases = ((["--chapter", "nope"], "no chapter 'nope'"), (["--site", "no-such-member"], "no-such-member"))
    for extra, expected in cases:
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            status = main(["pdf", "-f", str(ROOT / "mkdocs.yml"), "--out", str(tmp_path), "--kind", "handout", *extra])
        assert status == 1 and expected in err.getvalue() and "Traceback" not in err.getvalue()
    assert not list(tmp_path.glob("*.pdf"))
