"""Where each document of the site lives, and relative links between them.

Links are computed here rather than by the site generator so that generated HTML carries
correct relative URLs in both layouts: directory URLs (``manual/fever/``, for a web server)
and file URLs (``manual/fever.html``, for ``file://`` offline use).
"""

from __future__ import annotations

import posixpath


def url_of(doc: str, *, directory_urls: bool) -> str:
    """``manual/fever.md`` → ``manual/fever/`` or ``manual/fever.html``; ``en/index.md`` → ``en/``."""
    stem = doc[:-3] if doc.endswith(".md") else doc
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def href(from_doc: str, to_doc: str, anchor: str = "", *, directory_urls: bool) -> str:
    """A relative link from the page made of ``from_doc`` to ``to_doc`` (and ``#anchor``)."""
    fragment = f"#{anchor}" if anchor else ""
    if from_doc == to_doc:
        return fragment or "./"
    source = url_of(from_doc, directory_urls=directory_urls)
    target = url_of(to_doc, directory_urls=directory_urls)
    base = source if source.endswith("/") or not source else posixpath.dirname(source)
    relative = posixpath.relpath(target or ".", base or ".")
    if directory_urls and (target.endswith("/") or not target):
        relative = "./" if relative == "." else relative + "/"
    return relative + fragment


def root_of(doc: str, *, directory_urls: bool) -> str:
    """The relative path from the page made of ``doc`` to the site root: ``.``, ``..``, ``../..``."""
    url = url_of(doc, directory_urls=directory_urls)
    folder = url if directory_urls else posixpath.dirname(url)
    depth = len([part for part in folder.split("/") if part])
    return "/".join([".."] * depth) or "."
