"""The 404 page at any depth of a site whose path the build does not know (no ``site_url``).

Servers show the site's 404.html for every missing URL (nginx ``error_page``, GitHub Pages), so the page
is read at ``/manual/no/such/page`` as well as at ``/manual/404.html``. MkDocs writes it with absolute
URLs (``/assets/…``), right only when the site is at the host's root. cloudpeds writes it relative to the
site's root instead, and the page finds that root before it loads anything: the folder of the service
worker that controls it (offline), else the deepest folder of its URL that has a ``404.html`` (HEAD
requests), and makes it the document's ``<base>``. The rest of the page waits in ``<template>`` elements,
which the browser's preload scanner does not fetch from, and is written into the document once the base
is set, so no request goes to a wrong URL.
"""

from __future__ import annotations

import re

#: Finds the site's root and makes it the document's base URL (then writes the head kept in #cp-head).
FIND_ROOT = (
    '(function(){var root=null,sw=navigator.serviceWorker&&navigator.serviceWorker.controller;'
    'if(sw&&/\\/sw\\.js$/.test(new URL(sw.scriptURL).pathname)){root=new URL(".",sw.scriptURL).pathname}'
    'else if(location.protocol!=="file:"){var dir=location.pathname.slice(0,location.pathname.lastIndexOf("/")+1);'
    'while(dir){try{var probe=new XMLHttpRequest();probe.open("HEAD",dir+"404.html",false);probe.send();'
    'if(probe.status===200){root=dir;break}}catch(e){}if(dir==="/")break;'
    'dir=dir.slice(0,dir.lastIndexOf("/",dir.length-2)+1)}}'
    'if(root){var base=document.createElement("base");base.href=root;document.head.appendChild(base)}})();'
)
#: Writes the markup kept in the template just before this script.
WRITE_TEMPLATE = "document.write(document.currentScript.previousElementSibling.innerHTML);"
#: Shown without JavaScript (the links are relative to the page, right at the site's first level).
#: Every inline script this module writes: the site's own, allowed by the CSP like the templates' scripts.
SCRIPTS = (FIND_ROOT, WRITE_TEMPLATE)
NO_SCRIPT = ('<noscript><p>页面不存在。<span lang="en">Page not found.</span> '
             '<a href="./">首页</a> · <a href="./en/" lang="en">Home</a></p></noscript>')
#: The same for a site opened from file://, where a folder URL shows a file listing instead of the page.
FILE_NO_SCRIPT = NO_SCRIPT.replace('href="./"', 'href="index.html"').replace('href="./en/"', 'href="en/index.html"')
_KEPT_IN_PLACE = re.compile(r'<meta charset="[^"]*">|<meta name="viewport"[^>]*>|<title>.*?</title>', re.DOTALL)


def from_root(doc: str, directory_urls: bool) -> str:
    """The URL of the page made from ``doc`` (``en/index.md``) relative to the site's root: its folder on a server
    (``en/``), its file for a site opened from file:// (``en/index.html``: a folder URL shows a file listing)."""
    bare = doc.removesuffix(".md")
    if directory_urls:
        if bare == "index":
            return "."
        return bare.removesuffix("index") if bare.endswith("/index") else f"{bare}/"
    return f"{bare}.html"


def relocatable(html: str, *, directory_urls: bool = True) -> str:
    """``html`` (a 404 page whose URLs are relative to the site's root) made to work at any depth."""
    head_open, head_close = html.find("<head>"), html.find("</head>")
    body = re.search(r"<body\b[^>]*>", html)
    body_close = html.rfind("</body>")
    if min(head_open, head_close, body_close) < 0 or body is None or "<template" in html:
        raise ValueError("not a page cloudpeds can make relocatable (no head or body, or a <template> in it)")
    head = html[head_open + len("<head>"):head_close]
    kept = "".join(match.group(0) for match in _KEPT_IN_PLACE.finditer(head))
    rest = _KEPT_IN_PLACE.sub("", head)
    return (f"{html[:head_open]}<head>{kept}<script>{FIND_ROOT}</script>"
            f"<template>{rest}</template><script>{WRITE_TEMPLATE}</script></head>"
            f"{html[head_close + len('</head>'):body.end()]}"
            f"{NO_SCRIPT if directory_urls else FILE_NO_SCRIPT}"
            f"<template>{html[body.end():body_close]}</template><script>{WRITE_TEMPLATE}</script>"
            f"{html[body_close:]}")
