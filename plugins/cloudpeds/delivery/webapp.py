"""The web app manifest (``manifest.webmanifest``): name and icons for "add to home screen".

Written at the site root before `fingerprint` runs, so its icon URLs are rewritten to the hashed names.
Every URL is relative to the manifest, so the same file works when the site lives in a sub-path
(``/manual/``): ``start_url`` and ``scope`` are the manifest's own folder. The icons are PNGs committed
in ``theme/assets/icons/`` (rendered from the logo by ``scripts/render_icons.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.webmanifest"
#: (site-relative path, size, purpose)
ICONS: tuple[tuple[str, str, str], ...] = (
    ("assets/icons/icon-192.png", "192x192", "any"),
    ("assets/icons/icon-512.png", "512x512", "any"),
    ("assets/icons/maskable-512.png", "512x512", "maskable"),
)


@dataclass(frozen=True)
class WebApp:
    """What the phone shows for the installed site."""

    name: str
    short_name: str
    lang: str = "zh-CN"
    description: str = ""
    theme_color: str = "#00695c"
    background_color: str = "#ffffff"


def manifest_json(app: WebApp) -> str:
    """The manifest text (deterministic: keys in a fixed order, UTF-8, no timestamps)."""
    data = {
        "name": app.name,
        "short_name": app.short_name,
        "description": app.description,
        "lang": app.lang,
        "dir": "ltr",
        "id": "./",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": app.theme_color,
        "background_color": app.background_color,
        "icons": [{"src": src, "sizes": sizes, "type": "image/png", "purpose": purpose}
                  for src, sizes, purpose in ICONS],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_manifest(site_dir: Path, app: WebApp) -> Path:
    """Write ``manifest.webmanifest`` at the site root; raise ValueError naming a missing icon."""
    missing = [src for src, _, _ in ICONS if not (site_dir / src).is_file()]
    if missing:
        raise ValueError(f"web app icons missing from the site: {', '.join(missing)} (they come from "
                         "theme/assets/icons/; regenerate them with scripts/render_icons.py)")
    target = site_dir / MANIFEST
    target.write_text(manifest_json(app), encoding="utf-8")
    return target
