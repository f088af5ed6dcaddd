"""What a source file holds: duration, its video stream and its audio stream.

With ffprobe the answer is parsed from its JSON (:func:`parse_ffprobe`); with only ffmpeg (the
imageio-ffmpeg binary has no ffprobe) from the input description ffmpeg prints
(:func:`parse_ffmpeg_banner`). Unreadable or audio-only files become a :class:`~.errors.MediaError`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from . import runner
from .errors import MediaError
from .tools import Tools

CORRUPT_HINT = "the file is damaged or not a video: export it again as MP4 (H.264 video, AAC audio)"
AUDIO_ONLY_HINT = "a lesson needs a video track: add slides or a still image, e.g. export the talk as a video"


@dataclass(frozen=True)
class VideoStream:
    """The first real video stream (cover art excluded), in display orientation."""

    codec: str
    width: int
    height: int
    frame_rate: Fraction
    sample_aspect: Fraction = Fraction(1)

    @property
    def display_aspect(self) -> Fraction:
        """Width / height as shown, non-square pixels included."""
        return Fraction(self.width, self.height) * self.sample_aspect


@dataclass(frozen=True)
class AudioStream:
    """The first audio stream."""

    codec: str
    sample_rate: int
    channels: int


@dataclass(frozen=True)
class SourceInfo:
    """The facts about a source that the ladder needs."""

    duration: float
    video: VideoStream | None
    audio: AudioStream | None


def _fraction(text: Any) -> Fraction | None:
    """``"30000/1001"``, ``"25"`` or ``"1:1"`` → a positive Fraction; ``None`` for 0/0, N/A, junk."""
    try:
        value = Fraction(str(text).replace(":", "/"))
    except (ValueError, ZeroDivisionError):
        return None
    return value if value > 0 else None


def _rotation(stream: dict[str, Any]) -> int:
    """Rotation in degrees from the display matrix (ffmpeg ≥ 5) or the old ``rotate`` tag."""
    for side in stream.get("side_data_list") or []:
        if "rotation" in side:
            return int(float(side["rotation"]))
    return int(float((stream.get("tags") or {}).get("rotate", 0) or 0))


def parse_ffprobe(data: dict[str, Any]) -> SourceInfo:
    """``ffprobe -print_format json -show_format -show_streams`` output → :class:`SourceInfo`."""
    streams = data.get("streams") or []
    video = audio = None
    for stream in streams:
        kind = stream.get("codec_type")
        if kind == "video" and video is None and not (stream.get("disposition") or {}).get("attached_pic"):
            width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
            if width <= 0 or height <= 0:
                continue
            sar = _fraction(stream.get("sample_aspect_ratio")) or Fraction(1)
            if _rotation(stream) % 180:
                width, height, sar = height, width, 1 / sar
            rate = _fraction(stream.get("avg_frame_rate")) or _fraction(stream.get("r_frame_rate")) or Fraction(25)
            video = VideoStream(str(stream.get("codec_name", "?")), width, height, rate, sar)
        elif kind == "audio" and audio is None:
            audio = AudioStream(str(stream.get("codec_name", "?")), int(stream.get("sample_rate") or 0),
                                int(stream.get("channels") or 0))
    durations = [data.get("format", {}).get("duration"), *(s.get("duration") for s in streams)]
    duration = next((float(d) for d in durations if _is_number(d) and float(d) > 0), 0.0)
    return SourceInfo(duration, video, audio)


def _is_number(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_STREAM = re.compile(r"^\s*Stream #\d+:\d+\S*: (Video|Audio): (\w+)(.*)$", re.MULTILINE)
_SIZE = re.compile(r", (\d{2,5})x(\d{2,5})")
_SAR = re.compile(r"\[SAR (\d+):(\d+) DAR")
_FPS = re.compile(r", ([\d.]+)(k?) (?:fps|tbr)")
_HZ = re.compile(r", (\d+) Hz, ([\w.()]+)")
_CHANNELS = {"mono": 1, "stereo": 2, "2.1": 3, "quad": 4, "5.0": 5, "5.1": 6, "7.1": 8}


def parse_ffmpeg_banner(text: str) -> SourceInfo | None:
    """The input description of ``ffmpeg -i FILE`` (stderr) → :class:`SourceInfo`; ``None`` if absent."""
    match = _DURATION.search(text)
    streams = list(_STREAM.finditer(text))
    if match is None and not streams:
        return None
    duration = int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3]) if match else 0.0
    video = audio = None
    for stream in streams:
        kind, codec, rest = stream[1], stream[2], stream[3]
        if kind == "Video" and video is None and "attached pic" not in rest and (size := _SIZE.search(rest)):
            sar = _SAR.search(rest)
            fps = _FPS.search(rest)
            rate = Fraction(fps[1]).limit_denominator(1001) * (1000 if fps[2] else 1) if fps else Fraction(25)
            video = VideoStream(codec, int(size[1]), int(size[2]), rate,
                                (_fraction(f"{sar[1]}/{sar[2]}") if sar else None) or Fraction(1))
        elif kind == "Audio" and audio is None:
            hz = _HZ.search(rest)
            channels = _CHANNELS.get(hz[2].split("(")[0], 2) if hz else 2
            audio = AudioStream(codec, int(hz[1]) if hz else 0, channels)
    return SourceInfo(duration, video, audio)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no details"


def read_info(path: Path, tools: Tools, name: Path | None = None) -> SourceInfo:
    """Probe ``path``: a :class:`MediaError` naming it (as ``name`` if given) when unreadable."""
    if tools.ffprobe:
        result = runner.run([tools.ffprobe, "-v", "error", "-print_format", "json",
                             "-show_format", "-show_streams", str(path)], timeout=120)
        info = None
        if result.returncode == 0:
            try:
                info = parse_ffprobe(json.loads(result.stdout or "{}"))
            except (ValueError, TypeError):
                info = None
        detail = result.stderr
    else:
        result = runner.run([tools.ffmpeg, "-hide_banner", "-nostdin", "-i", str(path)], timeout=120)
        info = parse_ffmpeg_banner(result.stderr)  # ffmpeg exits 1 here: no output file was given
        detail = result.stderr
    if info is None or (info.video is None and info.audio is None):
        raise MediaError(name or path, f"cannot read the file as a video ({_last_line(detail)})", CORRUPT_HINT)
    return info


def probe_source(path: Path, tools: Tools, name: Path | None = None) -> SourceInfo:
    """Probe ``path`` and require what a lesson video needs: a video stream and a duration.

    Errors name the file as ``name`` (e.g. as the editor wrote it) when given."""
    info = read_info(path, tools, name)
    if info.video is None:
        raise MediaError(name or path, "the file has no video stream (audio only)", AUDIO_ONLY_HINT)
    if info.duration <= 0:
        raise MediaError(name or path, "the file has no duration (a still image or a damaged video?)", CORRUPT_HINT)
    return info
