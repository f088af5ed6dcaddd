"""The print editions' pieces: blocks taken from the rendered page, the fit check on WeasyPrint's boxes."""

from __future__ import annotations

from cloudpeds.paper import parts, render
from cloudpeds.paper.documents import css_string


def test_elements_are_taken_whole_with_their_nested_content():
    html = '<div><p class="a b">x<br>y<section id="s"><p>in</p></section></p><img src=x><div class="b">2</div></div>'
    assert parts.elements(html, parts.by_class("b")) == ['<p class="a b">x<br>y<section id="s"><p>in</p></section></p>',
                                                         '<div class="b">2</div>']
    assert parts.first(html, parts.by_id("s")) == '<section id="s"><p>in</p></section>'
    assert parts.first(html, parts.by_id("none")) == ""


def test_a_block_wider_than_the_page_is_reported_with_its_element_and_how_far():
    html = ('<html><style>@page { size: A6; margin: 10mm }</style><body><p>fits</p>'
            '<div id="wide" style="width: 200mm">too wide</div><p>fits too</p></body></html>')
    cuts = render.cut_off(render.render(html, render.font_config()))
    assert len(cuts) == 1 and cuts[0].page == 1 and cuts[0].element.startswith("div#wide")
    assert "mm past the right edge" in cuts[0].how


def test_a_page_that_fits_reports_nothing():
    html = '<html><style>@page { size: A6; margin: 10mm }</style><body><p>short</p></body></html>'
    assert render.cut_off(render.render(html, render.font_config())) == []


def test_css_strings_escape_quotes_and_backslashes():
    assert css_string('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
