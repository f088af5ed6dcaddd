"""Probing lesson videos with the media pipeline's ffprobe/ffmpeg, for the course checks.

Besides the streams, the probe reads every packet of the file (``ffprobe -count_packets``: demuxing
only, no decoding, about 0.1 s for a sample lesson) so that a truncated file fails in ``cloudpeds check``
and not halfway through a transcode. Results are kept in a small cache keyed by path, size and
modification time, so an unchanged video is not read again.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from .loader import Probe, SourceInfo

#: Where ``cloudpeds check`` keeps probe results, inside the project.
PROBE_CACHE = Path(".cache") / "probe.json"
_DAMAGE = ("partial file", "moov atom not found", "Invalid data found")


def make_probe(cache_file: Path | None = None) -> tuple[Probe | None, str | None]:
    """A probe function, or None and the reason (ffmpeg not installed) when videos cannot be read."""
    from ..media import runner
    from ..media.errors import MediaError
    from ..media.probe import probe_source
    from ..media.tools import find_tools

    try:
        tools = find_tools()
    except MediaError as exc:
        return None, f"{exc.message} (hint: {exc.hint})" if exc.hint else exc.message
    cache = _read_cache(cache_file)

    def read(path: Path) -> SourceInfo:
        try:
            info = probe_source(path, tools)
        except MediaError as exc:
            raise ValueError(exc.message) from None
        if tools.ffprobe:
            result = runner.run([tools.ffprobe, "-v", "error", "-count_packets", "-show_entries",
                                 "stream=nb_read_packets", "-of", "csv=p=0", str(path)], timeout=600)
            damage = [re.sub(r"^\[[^\]]*\]\s*", "", line.strip()) for line in result.stderr.splitlines()
                      if any(d in line for d in _DAMAGE)]
            if result.returncode != 0 or damage:
                detail = damage[0] if damage else f"ffprobe exit {result.returncode}"
                raise ValueError(f"the file is truncated or damaged ({detail})")
        video = info.video
        return SourceInfo(info.duration, video is not None, info.audio is not None,
                          getattr(video, "width", 0), getattr(video, "height", 0))

    def probe(path: Path) -> SourceInfo:
        stat = path.stat()
        # Relative to the project that holds the cache, so a copied project (same times) keeps its results.
        name = os.path.relpath(path, cache_file.parent.parent) if cache_file is not None else str(path)
        key = f"{name}:{stat.st_size}:{stat.st_mtime_ns}"
        known = cache.get(key)
        if isinstance(known, dict) and "error" in known:
            raise ValueError(str(known["error"]))
        if isinstance(known, dict) and isinstance(known.get("info"), list):
            try:
                return SourceInfo(*known["info"])
            except TypeError:
                pass
        try:
            info = read(path)
        except ValueError as exc:
            cache[key] = {"error": str(exc)}
            _write_cache(cache_file, cache)
            raise
        cache[key] = {"info": [info.duration, info.has_video, info.has_audio, info.width, info.height]}
        _write_cache(cache_file, cache)
        return info

    return probe, None


def _read_cache(cache_file: Path | None) -> dict:
    if cache_file is None:
        return {}
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(cache_file: Path | None, cache: dict) -> None:
    if cache_file is None:
        return
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache_file.with_name(f".{cache_file.name}.tmp-{os.getpid()}")
        temporary.write_text(json.dumps(cache, sort_keys=True), encoding="utf-8")
        os.replace(temporary, cache_file)
    except OSError:
        pass  # a cache that cannot be written only costs time
