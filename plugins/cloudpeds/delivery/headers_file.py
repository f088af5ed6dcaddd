"""A Netlify / Cloudflare Pages ``_headers`` file made from the policy table.

Both hosts apply EVERY rule whose path pattern matches a request and join repeated headers with a
comma, so ``/*`` with ``no-cache`` plus ``/assets/*`` with ``immutable`` would send
``Cache-Control: no-cache, public, max-age=31536000, immutable``. Type patterns alone cannot tell a
hashed ``main.57a0d79d.min.css`` from ``cloudpeds.css`` either. So the file is made for one built
site: every URL of it is matched by exactly one pattern that sets its Cache-Control / Content-Type /
CORS headers, chosen as broad as possible (``/*.ts``, then ``/assets/*`` or ``/assets/*.js``, then
the exact path) among patterns whose matched URLs all get the same headers. ``/*`` carries only the
headers every response shares (security headers; the CSP goes with documents). The result is checked
against `rule_for` for every URL before it is returned, and against Cloudflare's limits (100 rules,
2,000 characters a line).

Patterns use one splat (``*``, any characters including ``/``), which both hosts support. Request
paths are matched as requested: a folder is ``/about/`` (Cloudflare redirects ``/about/index.html``
there); both forms get rules.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from .files import served_files
from .policy import SECURITY_HEADERS, csp_for_site, rule_for, sends_csp

#: Files that configure the host and are not part of the site.
HOST_FILES = frozenset({"_headers", "_redirects"})
MAX_RULES = 100
MAX_LINE = 2000


def site_urls(site_dir: Path, base_path: str = "/") -> dict[str, str]:
    """Each URL path a visitor may request, mapped to the site-relative file it serves."""
    base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    urls: dict[str, str] = {}
    for rel in served_files(site_dir):
        if rel in HOST_FILES:
            continue
        encoded = quote(rel, safe="/-._~")
        urls[base + encoded] = rel
        if rel == "index.html" or rel.endswith("/index.html"):
            urls[base + encoded[: -len("index.html")]] = rel
    return urls


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """How the hosts read a path pattern: ``*`` matches any characters (``/`` too), the rest literally."""
    return re.compile("^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$")


def _profile(rel: str, csp: str | None = None) -> tuple[tuple[str, str], ...]:
    """The headers of ``rel`` beyond the common ones: its rule's, and the CSP for a document."""
    headers = rule_for(rel).headers()
    if csp and sends_csp(rule_for(rel)):
        headers["Content-Security-Policy"] = csp
    return tuple(sorted(headers.items()))


def _candidates(url: str, base: str) -> list[str]:
    """Patterns that may match ``url``, broadest first; the exact path (always matching) comes last."""
    head, _, name = url.rpartition("/")
    folders = [part for part in head[len(base):].split("/") if part] if url.startswith(base) else []
    suffix = PurePosixPath(name).suffix
    candidates = [base + "*/"] if not name else [base + "*" + suffix] if suffix else []
    prefix = base
    for folder in folders:
        prefix += folder + "/"
        candidates.append(prefix + "*")
        if not name:
            candidates.append(prefix + "*/")
        elif suffix:
            candidates.append(prefix + "*" + suffix)
    candidates.append(url)
    return candidates


def header_rules(urls: dict[str, str], base_path: str = "/", csp: str | None = None) -> dict[str, dict[str, str]]:
    """Non-overlapping patterns covering ``urls``, each with the headers of every URL it matches."""
    base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    profiles = {url: _profile(rel, csp) for url, rel in urls.items()}
    covered: set[str] = set()
    rules: dict[str, dict[str, str]] = {}
    for url in sorted(urls):
        if url in covered:
            continue
        for candidate in _candidates(url, base):
            regex = pattern_regex(candidate)
            matched = {other for other in urls if regex.match(other)}
            if url in matched and matched.isdisjoint(covered) and {profiles[o] for o in matched} == {profiles[url]}:
                rules[candidate] = dict(profiles[url])
                covered |= matched
                break
    return rules


def _check(text_rules: dict[str, dict[str, str]], urls: dict[str, str], common: dict[str, str],
           csp: str | None = None) -> None:
    """Raise if any URL would get other headers than `rule_for` and the common headers say."""
    compiled = [(pattern_regex(pattern), headers) for pattern, headers in text_rules.items()]
    wrong: list[str] = []
    for url, rel in sorted(urls.items()):
        got: dict[str, list[str]] = {}
        for regex, headers in compiled:
            if regex.match(url):
                for name, value in headers.items():
                    got.setdefault(name, []).append(value)
        expected = {**dict(_profile(rel, csp)), **common}
        if {name: ", ".join(values) for name, values in got.items()} != expected:
            wrong.append(url)
    if wrong:
        raise ValueError(f"_headers would send wrong headers for: {', '.join(wrong[:10])}")


def render_headers(site_dir: Path, csp: str | None = None, *, base_path: str = "/",
                   max_rules: int = MAX_RULES) -> str:
    """The ``_headers`` text for the built site in ``site_dir`` (deterministic).

    ``csp`` defaults to `csp_for_site`. Raises ``ValueError`` when the rules would exceed ``max_rules``
    or a line Cloudflare's 2,000 characters, or (a bug) any URL would get headers other than the table's.
    """
    if csp is None:
        csp = csp_for_site(site_dir)
    base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    urls = site_urls(site_dir, base_path)
    common = dict(SECURITY_HEADERS)
    per_url = header_rules(urls, base_path, csp)
    everything = {base + "*": common, **per_url}
    _check(everything, urls, common, csp)
    if len(everything) > max_rules:
        raise ValueError(f"_headers needs {len(everything)} rules, more than the host's limit of {max_rules}")
    lines = ["# Generated by cloudpeds.delivery from the policy table (cloudpeds.delivery.policy.RULES).",
             "# Do not edit: regenerate with every build (the CSP lists the hashes of the inline scripts).",
             "# Every matching rule applies; each URL of the site is matched by exactly one rule below /*."]
    for pattern, headers in everything.items():
        lines += ["", pattern] + [f"  {name}: {value}" for name, value in headers.items()]
    too_long = [line[:60] for line in lines if len(line) > MAX_LINE]
    if too_long:
        raise ValueError(f"_headers line longer than {MAX_LINE} characters: {too_long[0]}…")
    return "\n".join(lines) + "\n"


def write_headers_file(site_dir: Path, csp: str | None = None, *, base_path: str = "/") -> Path:
    """Write ``site_dir/_headers`` (see `render_headers`) and return its path."""
    target = site_dir / "_headers"
    target.write_text(render_headers(site_dir, csp, base_path=base_path), encoding="utf-8")
    return target
