import pytest

from cloudpeds.links import href, url_of


@pytest.mark.parametrize(("doc", "directory", "file"), [
    ("index.md", "", "index.html"),
    ("en/index.md", "en/", "en/index.html"),
    ("manual/fever.md", "manual/fever/", "manual/fever.html"),
])
def test_url_of(doc, directory, file):
    assert url_of(doc, directory_urls=True) == directory
    assert url_of(doc, directory_urls=False) == file


@pytest.mark.parametrize(("src", "dst", "anchor", "directory", "file"), [
    ("manual/fever.md", "quick/referrals.md", "", "../../quick/referrals/", "../quick/referrals.html"),
    ("index.md", "manual/fever.md", "fever-ds-1", "manual/fever/#fever-ds-1", "manual/fever.html#fever-ds-1"),
    ("en/manual/fever.md", "manual/fever.md", "", "../../../manual/fever/", "../../manual/fever.html"),
    ("manual/fever.md", "index.md", "", "../../", "../index.html"),
    ("manual/fever.md", "manual/fever.md", "x", "#x", "#x"),
])
def test_href(src, dst, anchor, directory, file):
    assert href(src, dst, anchor, directory_urls=True) == directory
    assert href(src, dst, anchor, directory_urls=False) == file
