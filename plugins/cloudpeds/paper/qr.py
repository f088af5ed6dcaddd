"""QR codes as vectors (segno): the printed handout points at the chapter's page for parents."""

from __future__ import annotations

import segno


def qr_svg(url: str) -> str:
    """An inline ``<svg>`` (no XML declaration) of ``url``, error correction M, sized by the page's CSS."""
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=True)
