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


def test_links_from_the_root_are_folders_on_a_server_and_files_from_file_urls():
    from cloudpeds.not_found import FILE_NO_SCRIPT, NO_SCRIPT, from_root

    docs = ("index.md", "quick/a-z.md", "en/index.md", "en/quick/a-z.md")
    assert [from_root(doc, True) for doc in docs] == [".", "quick/a-z/", "en/", "en/quick/a-z/"]
    assert [from_root(doc, False) for doc in docs] == ["index.html", "quick/a-z.html", "en/index.html",
                                                       "en/quick/a-z.html"]
    assert NO_SCRIPT in relocatable(PAGE) and FILE_NO_SCRIPT in relocatable(PAGE, directory_urls=False)
    assert 'href="./' not in FILE_NO_SCRIPT
