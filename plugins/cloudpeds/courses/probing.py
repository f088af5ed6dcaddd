"""Probing lesson videos with the media pipeline's ffprobe/ffmpeg, for the course checks."""

from __future__ import annotations

from pathlib import Path

from .loader import Probe, SourceInfo


def make_probe() -> tuple[Probe | None, str | None]:
    """A probe function, or None and the reason (ffmpeg not installed) when videos cannot be read."""
    from ..media.errors import MediaError
    from ..media.probe import probe_source
    from ..media.tools import find_tools

    try:
        tools = find_tools()
    except MediaError as exc:
        return None, f"{exc.message} (hint: {exc.hint})" if exc.hint else exc.message

    def probe(path: Path) -> SourceInfo:
        try:
            info = probe_source(path, tools)
        except MediaError as exc:
            raise ValueError(exc.message) from None
        video = info.video
        return SourceInfo(info.duration, video is not None, info.audio is not None,
                          getattr(video, "width", 0), getattr(video, "height", 0))

    return probe, None
