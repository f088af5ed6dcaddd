"""The ZIM's file selection, titles and the 240p master playlist (no libzim needed)."""

from __future__ import annotations

from cloudpeds.formats.zim import _master_240p, main_page, page_title, select_files

from ..conftest import write_files


def test_select_files_by_language_and_purpose(tmp_path):
    site = write_files(tmp_path, {
        "index.html": "x", "manual/fever.html": "x", "en/index.html": "x", "en/manual/fever.html": "x",
        "assets/cloudpeds.css": "x", "assets/cloudpeds.css.gz": "x", "api/2018/manual.json": "{}",
        "search/index.zh.js": "x", "search/index.en.js": "x", "search/en/terms-001.js": "x",
        "404.html": "x", "sitemap.xml": "x", "guide/editors.html": "x", "clinical/fever.json": "{}"})
    zh = select_files(site, languages=("zh",), all_languages=("zh", "en"))
    assert zh == ["assets/cloudpeds.css", "clinical/fever.json", "index.html", "manual/fever.html",
                  "search/index.zh.js"]
    en = select_files(site, languages=("en",), all_languages=("zh", "en"))
    assert "en/manual/fever.html" in en and "manual/fever.html" not in en and "search/en/terms-001.js" in en
    assert main_page(("en",), ("zh", "en")) == "en/index.html" and main_page(("zh", "en"), ("zh", "en")) == "index.html"


def test_page_title_drops_the_site_name():
    assert page_title("<title>发热 - 云儿科 Cloudpeds</title>", "云儿科 Cloudpeds") == "发热"
    assert page_title("<title>A &amp; B</title>", "X") == "A & B"


def test_master_playlist_keeps_only_240p():
    master = ("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=426x240\n240p/index.m3u8\n"
              "#EXT-X-STREAM-INF:BANDWIDTH=2,RESOLUTION=640x360\n360p/index.m3u8\n")
    assert _master_240p(master) == ("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=426x240\n"
                                    "240p/index.m3u8\n")
