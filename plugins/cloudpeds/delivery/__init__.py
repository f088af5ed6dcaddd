"""Delivery of a built site: HTTP caching/MIME/CORS/CSP policy (one table), the server configurations made
from it (`_headers` for Netlify/Cloudflare Pages, an nginx server block), precompressed `.gz`/`.br` files,
the reproducible offline bundle and the "two builds are byte-identical" check. No MkDocs."""

from .bundle import verify_bundle, write_bundle
from .headers_file import render_headers, write_headers_file
from .nginx_conf import render_nginx_conf, write_nginx_conf
from .policy import RULES, Rule, csp_for_site, headers_for, rule_for
from .precompress import precompress
from .reproducible import diff_trees

__all__ = [
    "RULES",
    "Rule",
    "csp_for_site",
    "diff_trees",
    "headers_for",
    "precompress",
    "render_headers",
    "render_nginx_conf",
    "rule_for",
    "verify_bundle",
    "write_bundle",
    "write_headers_file",
    "write_nginx_conf",
]
