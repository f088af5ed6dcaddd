"""The offline profile's last step: what a site opened from disk cannot use is left out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

#: Caption files, and the global their script copies register in (see `write_caption_scripts`).
CAPTIONS = "media/captions"
CAPTIONS_GLOBAL = "cpCaptions"


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


def caption_script(name: str, text: str) -> str:
    """A script that registers one caption file's text under its file name."""
    key, value = json.dumps(name), json.dumps(text, ensure_ascii=False).replace("</", "<\\/")
    return f"(window.{CAPTIONS_GLOBAL} = window.{CAPTIONS_GLOBAL} || {{}})[{key}] = {value};\n"


def write_caption_scripts(site_dir: Path) -> list[str]:
    """Beside every ``media/captions/*.vtt``, a ``.vtt.js`` copy. From ``file://`` Chromium loads no
    ``<track>`` (every file: URL is a unique origin, with or without ``crossorigin``), but it runs scripts:
    player.js loads the copy and gives the track the text as a blob: URL. Returns the written paths."""
    written: list[str] = []
    folder = site_dir / CAPTIONS
    if not folder.is_dir():
        return written
    for vtt in sorted(folder.glob("*.vtt")):
        target = vtt.with_name(vtt.name + ".js")
        target.write_text(caption_script(vtt.name, vtt.read_text(encoding="utf-8")), encoding="utf-8")
        written.append(target.relative_to(site_dir).as_posix())
    return written
