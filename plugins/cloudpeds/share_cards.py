"""Share cards: what a link to a chapter shows when it is pasted into WeChat (or any app that reads Open Graph).

Each chapter page names a 300×300 PNG (``og:image``) with its title and group, drawn at build time with a
CJK font (Noto Sans CJK, Debian's fonts-noto-cjk), and its summary (``og:description``). Other pages show
the site's card (its name and description). File names carry a hash of what is drawn, so a card is drawn
once and kept in a cache folder between builds; at 500 chapters a warm build draws none.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .output import Writer

SIZE = 300
FOLDER = "assets/share"
#: Bump when the drawing changes: every card gets a new name.
STYLE = 1
BACKGROUND = "#00695c"
BAND = "#004d40"
PALE = "#b2dfdb"
#: Debian's fonts-noto-cjk; index 2 of the collections is Simplified Chinese.
FONT_FILES = {
    "bold": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",),
    "regular": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",),
}
SC_INDEX = 2


class ShareCardError(RuntimeError):
    """No CJK font: the message says which package to install."""


@dataclass(frozen=True)
class Card:
    title: str
    subtitle: str
    site: str
    slug: str

    @property
    def path(self) -> str:
        """Where the card lives in the site (a hashed name: it never changes, so it is cached for good)."""
        digest = hashlib.sha256(f"{STYLE}\0{self.title}\0{self.subtitle}\0{self.site}".encode()).hexdigest()[:10]
        return f"{FOLDER}/{self.slug}.{digest}.png"


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "page"


def _font_file(weight: str) -> str:
    for candidate in FONT_FILES[weight]:
        if Path(candidate).is_file():
            return candidate
    raise ShareCardError(f"no CJK font for share cards ({FONT_FILES[weight][0]} not found): "
                         "install Debian's fonts-noto-cjk (`make system-deps`)")


@cache
def _font(weight: str, size: int):
    from PIL import ImageFont

    return ImageFont.truetype(_font_file(weight), size, index=SC_INDEX)


def _lines(text: str, weight: str, size: int, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (Chinese anywhere, other text at spaces)."""
    font = _font(weight, size)
    lines: list[str] = []
    line = ""
    for piece in re.findall(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|\S+\s*|\s+", text):
        if line and font.getlength((line + piece).rstrip()) > width:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _fit(text: str, weight: str, sizes: Iterable[int], width: int, max_lines: int) -> tuple[int, list[str]]:
    """The largest size at which ``text`` fits in ``max_lines`` lines (the last size, cut, otherwise)."""
    size, lines = 0, []
    for size in sizes:
        lines = _lines(text, weight, size, width)
        if len(lines) <= max_lines and all(_font(weight, size).getlength(line) <= width for line in lines):
            return size, lines
    return size, [*lines[: max_lines - 1], lines[max_lines - 1].rstrip() + "…"] if len(lines) > max_lines else lines


def render(card: Card) -> bytes:
    """The card as PNG bytes (16 colours: small, and crisp on every phone)."""
    from PIL import Image, ImageDraw

    margin = 24
    width = SIZE - 2 * margin
    image = Image.new("RGB", (SIZE, SIZE), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, SIZE - 64, SIZE, SIZE), fill=BAND)
    size, lines = _fit(card.title, "bold", (48, 42, 36, 30, 26), width, 3)
    y = 40
    for line in lines:
        draw.text((margin, y), line, font=_font("bold", size), fill="white")
        y += round(size * 1.3)
    if card.subtitle:
        small, sub = _fit(card.subtitle, "regular", (22, 20, 18), width, 2)
        y += 8
        for line in sub:
            draw.text((margin, y), line, font=_font("regular", small), fill=PALE)
            y += round(small * 1.35)
    if card.site.strip():
        site_size, site_lines = _fit(card.site, "regular", (22, 20, 18, 16), width, 1)
        draw.text((margin, SIZE - 64 + (64 - site_size) // 2 - 4), site_lines[0],
                  font=_font("regular", site_size), fill="white")
    out = io.BytesIO()
    image.quantize(16).save(out, "PNG")
    return out.getvalue()


def write(cards: Iterable[Card], site_dir: Path, cache_dir: Path | None = None,
          writer: Writer | None = None) -> int:
    """Write every card into the site (from ``cache_dir`` when drawn before); return how many were drawn."""
    writer = writer or Writer()
    drawn = 0
    for card in {c.path: c for c in cards}.values():
        target = site_dir / card.path
        cached = cache_dir / Path(card.path).name if cache_dir else None
        if cached is not None and cached.is_file():
            writer.copy(cached, target)
            continue
        data = render(card)
        drawn += 1
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            temporary = cached.with_name(cached.name + ".tmp")
            temporary.write_bytes(data)
            temporary.replace(cached)
        writer.write(target, data)
    return drawn
