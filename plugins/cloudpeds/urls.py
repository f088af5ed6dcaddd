"""What a browser makes of a URL written in an attribute: its scheme and the host it reaches.

Attribute values must already be entity-decoded (``html.unescape``, as ``html.parser`` gives them). Then,
as the WHATWG URL parser does: leading and trailing C0 controls and spaces are stripped, tabs and line
breaks anywhere are removed (``java&#x09;script:`` is ``javascript:``), the scheme is case-insensitive,
and for http(s) and scheme-relative URLs a backslash counts as a slash and any number of slashes may
precede the host (``https:/\\evil.example``, ``\\\\evil.example\\``). Stdlib only: the content checks
(`cloudpeds.markup`) and the external-load scan (`cloudpeds.delivery.externals`) share it.
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_REMOVED = str.maketrans("", "", "\t\n\r")
#: Schemes whose URL has a host after the slashes (the browser's "special" schemes, without file:).
_WITH_HOST = frozenset({"http", "https", "ws", "wss", "ftp"})
_SLASHES = "/\\"
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def normalized(value: str) -> str:
    """The URL as the browser's URL parser sees it (controls and spaces at the ends, tabs and newlines gone)."""
    return value.strip(_C0_AND_SPACE).translate(_REMOVED)


def scheme(value: str) -> str | None:
    """The lower-case scheme of an entity-decoded URL (``javascript``), None for a relative URL."""
    match = _SCHEME.match(normalized(value))
    return match.group(1).lower() if match else None


def host(value: str) -> str | None:
    """The host an entity-decoded URL reaches (lower case), None when it stays on the page's own host
    (relative URLs, ``#x``, ``data:``, ``mailto:`` …). ``file://server/`` counts: it is a network share."""
    url = normalized(value)
    found = scheme(url)
    if found is None:
        rest = url
        if len(rest) < 2 or rest[0] not in _SLASHES or rest[1] not in _SLASHES:
            return None  # a path on this host
    elif found in _WITH_HOST:
        rest = url[len(found) + 1:]
    elif found == "file":
        rest = url[len(found) + 1:].replace("\\", "/")
        if not rest.startswith("//"):
            return None
        authority = re.split(r"[/?#]", rest[2:], maxsplit=1)[0].lower()
        return None if authority in ("", "localhost") else authority
    else:
        return None
    authority = re.split(r"[/\\?#]", rest.lstrip(_SLASHES), maxsplit=1)[0]
    authority = authority.rsplit("@", 1)[-1]
    if authority.startswith("["):
        return authority.split("]", 1)[0].lower() + "]"
    return authority.split(":", 1)[0].lower() or None
