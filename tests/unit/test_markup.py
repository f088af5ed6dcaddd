"""Content HTML: the allowlist check with source lines, the sanitizer, and the site's own blocks left alone."""

from __future__ import annotations

import markdown
import pytest

from cloudpeds import urls
from cloudpeds.markup.sanitize import SanitizeExtension, sanitize, sanitize_page
from cloudpeds.markup.source import check_pages, find
from cloudpeds.markup.trust import trusted

from ..hostile import PAYLOADS


@pytest.mark.parametrize(("payload", "words"), PAYLOADS)
def test_each_payload_is_found_on_its_line(payload, words):
    text = f"# Heading\n\nSome text.\n\n{payload}\n"
    found = find(text)
    assert found and found[0].line == 5 and words in found[0].message, found


def test_code_markdown_and_allowed_html_pass():
    text = ("`<script>` in code, <https://www.who.int/> and <who@example.org> are fine.\n\n"
            "```html\n<script>alert(1)</script>\n```\n\n"
            '<details markdown="1"><summary>More</summary>\n\n*text*\n\n</details>\n\n'
            '<p class="x" style="text-align: center">a <b>b</b> <abbr title="x">c</abbr></p>\n\n'
            "[who](https://www.who.int/) [mail](mailto:a@b.c) [here](#x) ![logo](../assets/logo.svg){: .wide }\n"
            "| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert find(text) == []


def test_content_pages_are_checked_at_their_file_line(tmp_path):
    (tmp_path / "content" / "en").mkdir(parents=True)
    (tmp_path / "content" / "about.md").write_text("---\ntitle: About\n---\n\n# About\n\n<script>x()</script>\n")
    (tmp_path / "content" / "en" / "index.md").write_text("# Home\n\n[x](java&#x09;script:x)\n")
    found = [(d.path, d.line, d.col) for d in check_pages(tmp_path / "content", tmp_path)]
    assert found == [("content/about.md", 7, 1), ("content/en/index.md", 3, 5)]


def test_urls_are_resolved_as_a_browser_does():
    assert urls.scheme("java\tscript:x") == urls.scheme(" \x01JaVaScript:x") == "javascript"
    assert urls.host("https:/\\evil.example/a") == urls.host("\\\\evil.example\\") == "evil.example"
    assert urls.host("HTTPS://user@Evil.Example:8443/") == "evil.example"
    assert urls.host("file://server/share") == "server" and urls.host("file:///x") is None
    assert urls.host("/a//b") is urls.host("a.png") is urls.host("#x") is urls.host("data:x") is None


def test_the_sanitizer_drops_what_the_check_refuses():
    for payload, _ in PAYLOADS:
        html = markdown.Markdown(extensions=["attr_list"]).convert(payload)
        clean = sanitize(html).lower()
        for bad in ("<script", "onerror", "onload", "onclick", "javascript", "vbscript", "data:", "<base",
                    "<iframe", "<object", "<embed", "<form", "<meta", "<svg", "url(", "ping=", "srcset",
                    "evil.example/a.png"):
            assert bad not in clean, (payload, clean)


def test_generated_blocks_are_left_alone_and_content_is_sanitized():
    ours = '<div class="cp-x" data-cp="1">\n<script type="application/json">{"a": 1}</script>\n</div>'
    source = f"# T\n\n{trusted(ours)}\n\n<p onclick=x>body</p>\n\n{trusted('<p>end</p>')}\n"
    html = markdown.Markdown(extensions=["md_in_html", SanitizeExtension()]).convert(source)
    assert ours in html and "<p>body</p>" in html and "<p>end</p>" in html
    assert "cp-trusted" not in html and "onclick" not in html
    # A forged marker (without the process's token) is content like any other.
    assert sanitize_page("<!--cp-trusted:0--><script>x()</script><!--/cp-trusted:0-->") == ""


def test_captions_allow_webvtt_tags_only():
    from cloudpeds.courses.vtt import parse_vtt

    text = ("WEBVTT\n\n00:00.000 --> 00:02.000\n<v Doctor>Look <b>first</b> <c.loud>at</c> <00:01.000>signs</v>\n\n"
            "00:02.000 --> 00:03.000\nok\n<img src=x onerror=alert(1)>\n")
    cues, problems = parse_vtt(text)
    assert cues[0].text == "Look first at signs"
    assert [(p.line, p.message[:33]) for p in problems] == [(8, "HTML in a caption is not allowed:")]


def _convert(text: str, *, stash_trusted: bool) -> str:
    md = markdown.Markdown(extensions=["md_in_html", "attr_list", SanitizeExtension()])
    if not stash_trusted:
        md.preprocessors.deregister("cloudpeds_trusted_blocks")
    return md.convert(text)


_DIV = trusted('<div class="a"><p>x &amp; y</p>\n<ul><li>1</li></ul></div>')
_SECTION = trusted("<section><h2>S</h2></section>")
_DETAILS, _NAV = trusted("<details><summary>A</summary><p>B</p></details>"), trusted("<nav>n</nav>")
_INLINE = trusted('<span class="x">inline first</span> and text')
_INDENTED = trusted("<div>indented: not a block of its own</div>").replace("\n", "\n    ")


@pytest.mark.parametrize("text", [
    f"# Title\n\n{_DIV}\n",
    f"{_SECTION}\nText right below, no blank line.\n\nMore *text*.\n",
    f"Para.\n\n{_DETAILS}\n\n{_NAV}\n",
    f"{_INLINE}\n",  # Markdown makes a paragraph of it
    f"- item\n\n    {_INDENTED}\n",
])
def test_generated_blocks_skip_the_html_parser_with_the_same_result(text):
    """Generated blocks go into Markdown's raw-HTML store as they are (the HTML-block parser was the slowest
    part of a large quick-reference page); the page is what the parser made of them, up to blank lines."""
    def lines(html: str) -> list[str]:
        return [line for line in html.splitlines() if line.strip()]
    assert lines(_convert(text, stash_trusted=True)) == lines(_convert(text, stash_trusted=False))


def test_a_forged_marker_is_not_a_generated_block():
    forged = "<!--cp-trusted:0000-->\n<script>alert(1)</script>\n<!--/cp-trusted:0000-->\n"
    assert "<script" not in _convert(forged, stash_trusted=True)
