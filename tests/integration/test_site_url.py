"""Hosting without ``site_url``: the build says what is missing and how to fix it."""

from __future__ import annotations

from cloudpeds.adapters.manual_plugin import SITEMAP_NOTE

from ..conftest import mkdocs_build


def test_build_without_site_url_says_the_sitemap_is_empty(site_project, tmp_path):
    result = mkdocs_build(site_project, tmp_path / "site", "--strict")
    assert result.returncode == 0, result.stderr
    assert SITEMAP_NOTE in result.stderr
    assert "<loc>" not in (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")

    config = site_project / "mkdocs.yml"
    config.write_text("site_url: https://peds.example.org/manual/\n" + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    result = mkdocs_build(site_project, tmp_path / "site2", "--strict")
    assert result.returncode == 0, result.stderr
    assert SITEMAP_NOTE not in result.stderr
    assert "<loc>https://peds.example.org/manual/</loc>" in (tmp_path / "site2" / "sitemap.xml").read_text(
        encoding="utf-8")


def test_share_cards_with_site_url(site_project, tmp_path):
    """Links pasted into WeChat: og:title, og:description (the chapter's summary) and a 300×300 card per
    chapter with its title (drawn with a CJK font), the site's card elsewhere; absolute addresses."""
    import re
    from html.parser import HTMLParser

    from PIL import Image

    class Meta(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.og: dict[str, str] = {}

        def handle_starttag(self, tag, attrs):
            found = dict(attrs)
            if tag == "meta" and (found.get("property") or "").startswith("og:"):
                self.og[found["property"]] = found.get("content") or ""

    def og(path) -> dict[str, str]:
        parser = Meta()
        parser.feed(path.read_text(encoding="utf-8"))
        return parser.og

    config = site_project / "mkdocs.yml"
    config.write_text("site_url: https://peds.example.org/manual/\n" + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(site_project, site, "--strict")
    assert result.returncode == 0, result.stderr
    chapter = og(site / "manual" / "fever" / "index.html")
    assert chapter["og:type"] == "article" and chapter["og:title"].startswith("发热"), chapter
    assert chapter["og:description"] and chapter["og:url"] == "https://peds.example.org/manual/manual/fever/"
    image = chapter["og:image"]
    assert re.fullmatch(r"https://peds\.example\.org/manual/assets/share/fever-zh\.[0-9a-f]{10}\.png", image), image
    card = site / image.removeprefix("https://peds.example.org/manual/")
    with Image.open(card) as picture:
        assert picture.size == (300, 300) and picture.format == "PNG"
    english = og(site / "en" / "manual" / "fever" / "index.html")
    assert english["og:title"].startswith("Fever") and english["og:image"] != image
    home = og(site / "index.html")
    assert home["og:type"] == "website" and "/assets/share/site-zh." in home["og:image"]
    assert (int(chapter["og:image:width"]), int(chapter["og:image:height"])) == (300, 300)
    # Drawn once: a second build takes every card from the cache.
    again = mkdocs_build(site_project, tmp_path / "site2", "--strict")
    assert again.returncode == 0 and "share cards:" not in again.stderr
