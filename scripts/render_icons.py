"""Render the web app icons (theme/assets/icons/*.png) from theme/assets/logo.svg with headless Chromium.

Run by hand after changing the logo; the PNGs are committed, so builds need no browser and no network:
    .venv/bin/python scripts/render_icons.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGO = ROOT / "theme" / "assets" / "logo.svg"
OUT = ROOT / "theme" / "assets" / "icons"
COLOR = "#00695c"  # --md-primary-fg-color in theme/assets/cloudpeds.css
# (file, size, logo share of the side): "any" icons fill most of the square; maskable ones keep the
# logo inside the central 80 % safe zone that every launcher mask leaves visible.
ICONS = [("icon-192.png", 192, 0.72, True), ("icon-512.png", 512, 0.72, True),
         ("maskable-512.png", 512, 0.5, False), ("apple-touch-icon.png", 180, 0.62, False)]


def page(size: int, share: float, rounded: bool) -> str:
    svg = LOGO.read_text(encoding="utf-8").replace('fill="currentColor"', 'fill="#fff"')
    radius = f"{size * 0.18:.0f}px" if rounded else "0"
    inner = size * share
    return (f"<!doctype html><html><body style='margin:0;background:transparent'>"
            f"<div style='width:{size}px;height:{size}px;background:{COLOR};border-radius:{radius};"
            f"display:flex;align-items:center;justify-content:center'>"
            f"<div style='width:{inner}px;height:{inner}px'>{svg.replace('<svg ', '<svg width=100% height=100% ')}"
            f"</div></div></body></html>")


def palette(path: Path) -> None:
    """64 colours are plenty for a flat icon: Chromium fetches icon-192 on a first visit (for "add to home
    screen"), so its bytes count against the first visit's 100 KB (3.2 KB as a screenshot, 1.2 KB so)."""
    from PIL import Image

    with Image.open(path) as image:
        flat = image.convert("RGBA").quantize(64, method=Image.Quantize.FASTOCTREE)
    flat.save(path, "PNG", optimize=True)


def main() -> int:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        for name, size, share, rounded in ICONS:
            tab = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
            tab.set_content(page(size, share, rounded))
            tab.screenshot(path=str(OUT / name), omit_background=True,
                           clip={"x": 0, "y": 0, "width": size, "height": size})
            tab.close()
            palette(OUT / name)
        browser.close()
    print(f"wrote {len(ICONS)} icons to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
