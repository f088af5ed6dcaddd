"""An nginx configuration for the built site, made from the policy table.

The output goes inside ``http { }`` (Debian: a file in ``/etc/nginx/sites-enabled/``): two ``map``
blocks (http-level only) and one ``server { }``. Every rule of `policy.RULES` becomes a regex
``location`` in table order (nginx, like `rule_for`, takes the first regex that matches), nested in the
site's prefix location, with its Content-Type (``types { }`` + ``default_type``, so the type comes
from the table and not from ``mime.types``), Cache-Control, CORS and the security headers. nginx does
not merge ``add_header`` across levels, so each location carries its full set.

Precompressed files (`precompress`): ``gzip_static on`` serves ``x.css.gz`` to clients that accept
gzip; ``gzip_proxied any`` keeps doing so behind a CDN (nginx skips requests with ``Via`` otherwise).
For brotli, ``brotli=``:

- ``"module"``: ``brotli_static on`` from the ngx_brotli module. Debian 12's nginx 1.22.1 does NOT
  have it built in (``unknown directive "brotli_static"``); Debian ships it separately as
  ``libnginx-mod-http-brotli-static``, which adds the ``load_module`` line under
  ``/etc/nginx/modules-enabled/`` (a private nginx.conf, as `local_nginx.serve` writes, loads
  `local_nginx.brotli_modules()` itself).
- ``"fallback"`` (default, plain Debian nginx): for each compressible type, ``try_files
  $uri$cloudpeds_br_suffix $uri =404`` picks ``x.css.br`` when ``Accept-Encoding`` names ``br``
  (not ``br;q=0``) and the file exists; the location's fixed ``default_type`` keeps the type, and
  ``Content-Encoding: br`` is added only when the served file ends in ``.br``.
- ``"off"``: gzip only.

Compressible responses carry ``Vary: Accept-Encoding``. Byte ranges (MP4 seeking) are nginx's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from .policy import DEFAULT_RULE, RULES, SECURITY_HEADERS, Rule, sends_csp

BrotliMode = Literal["fallback", "module", "off"]
_INDENT = "    "


def _quote(value: str, *, regex: bool = False) -> str:
    """A double-quoted nginx string. In a header value ``$`` would start a variable and cannot be escaped,
    so it is refused there; a location regex is not interpolated and may end in ``$``."""
    if (not regex and "$" in value) or '"' in value or "\n" in value:
        raise ValueError(f"cannot put {value!r} into an nginx string")
    return f'"{value}"'


_NOT_FOUND_LOCATION = "@cloudpeds_not_found"


def releases_not_found_html(base: str) -> str:
    """The 404 page of a releases folder: both languages, a link to the latest edition and to all of them.
    No ``$`` or ``'`` (nginx would read a variable or end the string), no script (nothing for the CSP)."""
    page = ('<!doctype html><html lang="zh"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<title>页面不存在 · Page not found</title><link rel="icon" href="data:,"></head>'
            '<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem">'
            "<h1>页面不存在</h1><p>这个地址没有页面。</p>"
            f'<p><a href="{base}latest/">打开最新版手册</a> · <a href="{base}versions.json">所有版本</a></p>'
            '<h2 lang="en">Page not found</h2><p lang="en">There is no page at this address.</p>'
            f'<p lang="en"><a href="{base}latest/">Open the latest edition</a></p></body></html>')
    assert "$" not in page and "'" not in page
    return page


def _base(base_path: str) -> str:
    inner = base_path.strip("/")
    return f"/{inner}/" if inner else "/"


def _location_body(rule: Rule, csp: str | None, brotli: BrotliMode) -> list[str]:
    """The directives of one location: its rule's type and headers, plus the br fallback if needed."""
    lines = ["types { }", f"default_type {_quote(rule.content_type)};",
             f"add_header Cache-Control {_quote(rule.cache_control)};"]
    if rule.cors:
        lines.append('add_header Access-Control-Allow-Origin "*";')
    if rule.compress:
        lines.append('add_header Vary "Accept-Encoding" always;')
        if brotli == "fallback":  # always: the 404 page is served with status 404 from 404.html.br too
            lines.append("add_header Content-Encoding $cloudpeds_br_encoding always;")
    lines += [f"add_header {name} {_quote(value)} always;" for name, value in SECURITY_HEADERS.items()]
    if csp and sends_csp(rule):
        lines.append(f"add_header Content-Security-Policy {_quote(csp)} always;")
    if rule.compress and brotli == "fallback":
        lines.append("try_files $uri$cloudpeds_br_suffix $uri =404;")
    return lines


def render_nginx_conf(root: Path | str, *, csp: str | None = None, base_path: str = "/", listen: str = "80",
                      server_name: str = "_", brotli: BrotliMode = "fallback", releases: bool = False) -> str:
    """The configuration text (deterministic: the same arguments give the same bytes).

    ``root`` is the built site's folder on the server. ``base_path`` serves it under a sub-path
    (``/peds/``: ``alias`` in ``location ^~ /peds/``; ``/peds`` redirects there; the rest is 404).
    ``csp`` is `policy.csp_for_site` of the same build (omitted when None). ``listen`` is nginx's
    ``listen`` argument (``80``, ``127.0.0.1:8080``). ``releases``: ``root`` is a releases folder of
    ``cloudpeds publish`` (editions in sub-folders, no 404.html of its own): unknown URLs get a bilingual
    page that links to the latest edition, written here because only here is the base path known.
    """
    if brotli not in ("fallback", "module", "off"):
        raise ValueError(f"brotli must be 'fallback', 'module' or 'off', not {brotli!r}")
    base = _base(base_path)
    root_text = str(root).rstrip("/") or "/"
    out = [
        "# Generated by cloudpeds.delivery from the policy table (cloudpeds.delivery.policy.RULES).",
        "# Do not edit: regenerate with every build (the CSP lists the hashes of the inline scripts).",
        "# Goes inside http { } (Debian: /etc/nginx/sites-enabled/). "
        f"Brotli: {brotli} (module = libnginx-mod-http-brotli-static).",
        "",
    ]
    if brotli == "fallback":
        out += [
            "map $http_accept_encoding $cloudpeds_br_suffix {",
            f'{_INDENT}default "";',
            f'{_INDENT}"~*(^|[\\s,])br\\s*;\\s*q=0(\\.0*)?\\s*(,|$)" "";',
            f'{_INDENT}"~*(^|[\\s,])br\\s*(;|,|$)" ".br";',
            "}",
            "map $uri $cloudpeds_br_encoding {",
            f'{_INDENT}default "";',
            f'{_INDENT}"~\\.br$" "br";',
            "}",
            "",
        ]
    server = [f"listen {listen};", f"server_name {server_name};", "server_tokens off;", "absolute_redirect off;",
              "gzip_static on;", "gzip_proxied any;"]
    if brotli == "module":
        server.append("brotli_static on;")
    if releases:
        server += [f"error_page 404 {_NOT_FOUND_LOCATION};", "", f"location {_NOT_FOUND_LOCATION} {{",
                   f'{_INDENT}default_type "text/html; charset=utf-8";',
                   f'{_INDENT}add_header Cache-Control "no-cache" always;',
                   f"{_INDENT}return 404 '{releases_not_found_html(base)}';", "}"]
    else:
        server.append(f"error_page 404 {base}404.html;")
    if base != "/":
        server += ["", f"location = {base.rstrip('/')} {{", f"{_INDENT}return 301 {base};", "}",
                   "", "location / {", f"{_INDENT}return 404;", "}"]
        site = [f"location ^~ {base} {{", f"{_INDENT}alias {_quote(root_text + '/')};"]
    else:
        server.insert(2, f"root {_quote(root_text)};")
        site = ["location / {"]
    site.append(f"{_INDENT}index index.html;")
    site += [_INDENT + line for line in _location_body(DEFAULT_RULE, csp, "off")]
    for rule in RULES:
        site += ["", f"{_INDENT}# {rule.name}", f"{_INDENT}location ~* {_quote(rule.pattern, regex=True)} {{"]
        site += [2 * _INDENT + line for line in _location_body(rule, csp, brotli)]
        site.append(f"{_INDENT}}}")
    site.append("}")
    server += ["", *site]
    out += ["server {"] + [(_INDENT + line) if line else "" for line in server] + ["}"]
    return "\n".join(out) + "\n"


def write_nginx_conf(out: Path, root: Path | str, *, csp: str | None = None, base_path: str = "/",
                     listen: str = "80", server_name: str = "_", brotli: BrotliMode = "fallback") -> Path:
    """Write `render_nginx_conf` with the same arguments to ``out`` and return it."""
    text = render_nginx_conf(root, csp=csp, base_path=base_path, listen=listen, server_name=server_name,
                             brotli=brotli)
    out.write_text(text, encoding="utf-8")
    return out
