"""cloudpeds.not_found: the 404 page made to find its site's root before it loads anything."""

from __future__ import annotations

import pytest

from cloudpeds.not_found import FIND_ROOT, WRITE_TEMPLATE, relocatable

PAGE = ('<!doctype html>\n<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=1">'
        '<title>404</title><link rel="stylesheet" href="./assets/main.css"></head>'
        '<body dir="ltr"><img src="./assets/logo.svg"><a href="./en/">English</a>'
        '<script src="./assets/bundle.js"></script></body></html>')


def test_everything_that_loads_waits_until_the_root_is_known():
    out = relocatable(PAGE)
    head, body = out.split("</head>")
    assert head.index('<meta charset="utf-8">') < head.index(FIND_ROOT) < head.index("<template>")
    assert "<title>404</title>" in head.split("<template>")[0]
    for resource in ('href="./assets/main.css"', 'src="./assets/logo.svg"', 'src="./assets/bundle.js"'):
        before = out.partition(resource)[0]
        assert before.count("<template>") == before.count("</template>") + 1, resource
    assert out.count(WRITE_TEMPLATE) == 2 and '<body dir="ltr">' in body and body.endswith("</body></html>")


def test_a_page_it_cannot_handle_is_refused():
    with pytest.raises(ValueError):
        relocatable("<p>no head</p>")
