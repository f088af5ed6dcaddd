"""The offline profile's last step: what a site opened from disk cannot use is left out."""

from __future__ import annotations

import shutil
from pathlib import Path


def drop_streaming(site_dir: Path) -> list[str]:
    """Remove the HLS ladders (playlists and segments) under ``media/``: from ``file://`` the player
    plays each lesson's offline MP4. Returns the removed paths, relative to the site."""
    removed: list[str] = []
    media = site_dir / "media"
    if not media.is_dir():
        return removed
    for entry in sorted(media.iterdir()):
        if not entry.is_dir() or entry.name == "captions":
            continue
        for item in sorted(entry.iterdir()):
            if item.is_dir() or item.suffix in (".m3u8", ".ts"):
                removed.append(item.relative_to(site_dir).as_posix())
                shutil.rmtree(item) if item.is_dir() else item.unlink()
    return removed
