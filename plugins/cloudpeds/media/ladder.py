"""The ABR ladder: which renditions to make of a source, and the ffmpeg command that makes them.

Pure: nothing here runs ffmpeg. :func:`plan` picks the rungs for a source (never upscaling) and
fixes frame rate, GOP and sizes; :func:`hls_argv` turns the plan into one ffmpeg-python graph
(decode once, ``split``, ``scale`` per rendition, a poster branch) and its argv;
:func:`remux_argv` copies a low rung into a progressive MP4 for offline use.

Every rendition: H.264 Main, ``-g``/``-keyint_min`` = 2 s worth of frames at one constant frame
rate for all renditions and ``-sc_threshold 0`` (keyframes at the same instants everywhere, so a
player can switch at any segment), ``-maxrate``/``-bufsize`` (ffmpeg's BANDWIDTH needs them), AAC-LC
stereo, MPEG-TS segments of ``segment_seconds``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from .probe import SourceInfo

#: Part of the cache key: bump it when the commands, the output layout or the manifest change.
PIPELINE_VERSION = 1

MASTER = "master.m3u8"
POSTER = "poster.jpg"
#: Posters for phones (a player as wide as a 360 px screen at device scale 2 shows 720 device pixels), and
#: the full-size poster again as WebP: made from POSTER by :func:`poster_argv`.
PHONE_POSTER_WIDTH = 720
PHONE_POSTER_JPEG = f"poster-{PHONE_POSTER_WIDTH}.jpg"
PHONE_POSTER_WEBP = f"poster-{PHONE_POSTER_WIDTH}.webp"
POSTER_WEBP = "poster.webp"
POSTERS = (PHONE_POSTER_WEBP, PHONE_POSTER_JPEG, POSTER_WEBP)
OFFLINE = "offline.mp4"
VARIANT_PLAYLIST = "index.m3u8"
SEGMENT_PATTERN = "seg_%05d.ts"

_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class Rung:
    """One step of the ladder: ``height`` is the short side (portrait sources are scaled by width)."""

    name: str
    height: int
    video_bitrate: int
    audio_bitrate: int = 64_000


DEFAULT_RUNGS: tuple[Rung, ...] = (
    Rung("240p", 240, 300_000, 64_000),
    Rung("360p", 360, 600_000, 64_000),
    Rung("540p", 540, 1_200_000, 96_000),
    Rung("720p", 720, 2_200_000, 128_000),
)


@dataclass(frozen=True)
class Ladder:
    """The transcoding settings; every field is part of the cache key (:meth:`settings`)."""

    rungs: tuple[Rung, ...] = DEFAULT_RUNGS
    #: 2 s, not Apple's suggested 6 s: the first segment is what a phone waits for before the first frame
    #: (6 s of 240p is ~160 KB, over 3 s at 0.4 Mbit/s; 2 s is a third of that). See bench/video_speed.py.
    segment_seconds: int = 2
    keyframe_seconds: int = 2
    max_frame_rate: int = 30
    preset: str = "veryfast"
    profile: str = "main"
    maxrate_ratio: float = 1.1
    bufsize_ratio: float = 2.0
    audio_sample_rate: int = 48_000
    audio_channels: int = 2
    poster_seconds: float = 2.0
    offline_height: int = 360
    scale_flags: str = "bicubic"
    x264_params: str = ""
    #: ffmpeg's AAC coder: "twoloop" (default, better at low bitrates) or "fast" (about 3x less CPU
    #: for the audio, which is a third of a slide lecture's transcode: each rendition encodes it again).
    aac_coder: str = "twoloop"

    def __post_init__(self) -> None:
        problems = ladder_problems(self)
        if problems:
            raise ValueError("invalid ladder: " + "; ".join(problems))

    def settings(self) -> dict[str, Any]:
        """Everything that shapes the outputs, as JSON-ready data (with :data:`PIPELINE_VERSION`)."""
        return {"pipeline": PIPELINE_VERSION, **asdict(self)}

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Ladder:
        """A ladder from configuration (e.g. YAML): unknown keys are an error, ``rungs`` a list of dicts."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown ladder setting(s): {', '.join(unknown)}")
        values = dict(data)
        if "rungs" in values:
            values["rungs"] = tuple(r if isinstance(r, Rung) else Rung(**r) for r in values["rungs"])
        return cls(**values)


def ladder_problems(ladder: Ladder) -> list[str]:
    """Why ``ladder`` cannot be used (empty when it can)."""
    problems = []
    if not ladder.rungs:
        problems.append("no rungs")
    names = [r.name for r in ladder.rungs]
    if len(set(names)) != len(names):
        problems.append("rung names must be unique")
    for rung in ladder.rungs:
        if not _NAME.match(rung.name):
            problems.append(f"rung name {rung.name!r}: use letters, digits, '-' and '_' only")
        if rung.height < 16 or rung.height % 2:
            problems.append(f"rung {rung.name}: height must be even and at least 16")
        if rung.video_bitrate <= 0 or rung.audio_bitrate <= 0:
            problems.append(f"rung {rung.name}: bitrates must be positive")
    if ladder.keyframe_seconds <= 0 or ladder.segment_seconds % ladder.keyframe_seconds:
        problems.append("segment_seconds must be a multiple of keyframe_seconds")
    if ladder.max_frame_rate <= 0 or ladder.maxrate_ratio < 1 or ladder.bufsize_ratio <= 0:
        problems.append("max_frame_rate > 0, maxrate_ratio >= 1 and bufsize_ratio > 0 are required")
    return problems


@dataclass(frozen=True)
class Rendition:
    """A rung as made for one source: its actual size and rate limits (bits per second)."""

    name: str
    width: int
    height: int
    video_bitrate: int
    maxrate: int
    bufsize: int
    audio_bitrate: int


@dataclass(frozen=True)
class Plan:
    """Everything ffmpeg needs to know about one source's outputs."""

    renditions: tuple[Rendition, ...]
    frame_rate: Fraction
    gop: int
    has_audio: bool
    duration: float
    poster_time: float
    offline: str
    ladder: Ladder


def output_frame_rate(source: Fraction, maximum: int) -> Fraction:
    """The constant output frame rate: the source's, divided by the smallest integer that brings it
    to ``maximum`` or below (60 → 30, 50 → 25, 29.97 stays)."""
    divisor = max(1, math.ceil(source / maximum))
    return source / divisor


def gop_frames(frame_rate: Fraction, keyframe_seconds: int) -> int:
    """Frames between keyframes: ``keyframe_seconds`` worth at ``frame_rate`` (at least 1)."""
    return max(1, round(frame_rate * keyframe_seconds))


def _even(value: float) -> int:
    return max(2, 2 * round(value / 2))


def scaled_size(aspect: Fraction, short_side: int) -> tuple[int, int]:
    """Width and height (both even) with ``short_side`` as the smaller one, keeping ``aspect`` (w/h)."""
    if aspect >= 1:
        return _even(short_side * aspect), short_side
    return short_side, _even(short_side / aspect)


def select_rungs(rungs: Sequence[Rung], short_side: int) -> tuple[Rung, ...]:
    """The rungs not above the source's short side; if none fits, the lowest one at the source size."""
    fitting = tuple(r for r in rungs if r.height <= short_side)
    if fitting:
        return fitting
    lowest = min(rungs, key=lambda r: r.height)
    return (Rung(lowest.name, _even(short_side - 1) if short_side % 2 else short_side,
                 lowest.video_bitrate, lowest.audio_bitrate),)


def plan(ladder: Ladder, source: SourceInfo) -> Plan:
    """The renditions of ``source`` under ``ladder`` (``source.video`` must be present)."""
    if source.video is None:
        raise ValueError("a plan needs a video stream")
    video = source.video
    aspect = video.display_aspect
    short_side = min(round(video.width * video.sample_aspect), video.height)
    rungs = sorted(select_rungs(ladder.rungs, short_side), key=lambda r: r.height)
    renditions = []
    for rung in rungs:
        width, height = scaled_size(aspect, rung.height)
        maxrate = round(rung.video_bitrate * ladder.maxrate_ratio)
        renditions.append(Rendition(rung.name, width, height, rung.video_bitrate, maxrate,
                                    round(rung.video_bitrate * ladder.bufsize_ratio), rung.audio_bitrate))
    rate = output_frame_rate(video.frame_rate, ladder.max_frame_rate)
    low = [r for r in renditions if min(r.width, r.height) <= ladder.offline_height]
    return Plan(
        renditions=tuple(renditions),
        frame_rate=rate,
        gop=gop_frames(rate, ladder.keyframe_seconds),
        has_audio=source.audio is not None,
        duration=source.duration,
        poster_time=round(min(ladder.poster_seconds, source.duration / 2), 3),
        offline=(low[-1] if low else renditions[0]).name,
        ladder=ladder,
    )


def _rate(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def var_stream_map(plan: Plan) -> str:
    """``v:0,a:0,name:240p v:1,a:1,name:360p …`` (``a:i`` only with audio)."""
    audio = ",a:{i}" if plan.has_audio else ""
    return " ".join(f"v:{i}{audio.format(i=i)},name:{r.name}" for i, r in enumerate(plan.renditions))


def rendition_options(plan: Plan) -> dict[str, Any]:
    """Per-stream options (``b:v:0`` …): bitrate, maxrate and bufsize of every rendition."""
    options: dict[str, Any] = {}
    for i, r in enumerate(plan.renditions):
        options[f"b:v:{i}"] = r.video_bitrate
        options[f"maxrate:v:{i}"] = r.maxrate
        options[f"bufsize:v:{i}"] = r.bufsize
        if plan.has_audio:
            options[f"b:a:{i}"] = r.audio_bitrate
    return options


def encoder_options(plan: Plan) -> dict[str, Any]:
    """Options shared by every rendition: codecs, GOP, profile, audio format, metadata stripping."""
    ladder = plan.ladder
    options: dict[str, Any] = {
        "c:v": "libx264", "profile:v": ladder.profile, "preset": ladder.preset, "pix_fmt": "yuv420p",
        "g": plan.gop, "keyint_min": plan.gop, "sc_threshold": 0,
        "map_metadata": -1, "map_chapters": -1,
    }
    if ladder.x264_params:
        options["x264-params"] = ladder.x264_params
    if plan.has_audio:
        options |= {"c:a": "aac", "profile:a": "aac_low", "aac_coder": ladder.aac_coder,
                    "ac": ladder.audio_channels, "ar": ladder.audio_sample_rate}
    return options


def hls_options(plan: Plan, out_dir: Path) -> dict[str, Any]:
    """The HLS muxer's options: VOD playlists, independent segments, names inside ``out_dir``."""
    return {
        "f": "hls", "hls_time": plan.ladder.segment_seconds, "hls_playlist_type": "vod",
        "hls_flags": "independent_segments", "hls_segment_type": "mpegts",
        "hls_segment_filename": str(out_dir / "%v" / SEGMENT_PATTERN), "master_pl_name": MASTER,
        "var_stream_map": var_stream_map(plan),
    }


def hls_graph(plan: Plan, source: Path, out_dir: Path) -> Any:
    """The ffmpeg-python graph: one decode, ``fps`` + ``split``, a ``scale`` per rendition, a poster branch."""
    if "%" in str(out_dir):
        raise ValueError(f"output folder must not contain '%': {out_dir}")
    stream = ffmpeg.input(str(source))
    video = stream.video.filter("fps", fps=_rate(plan.frame_rate))
    branches = video.filter_multi_output("split", len(plan.renditions) + 1)
    flags = plan.ladder.scale_flags
    mapped = []
    for i, r in enumerate(plan.renditions):
        mapped.append(branches.stream(i).filter("scale", r.width, r.height, flags=flags).filter("setsar", 1))
        if plan.has_audio:
            mapped.append(stream.audio)
    options = {**encoder_options(plan), **rendition_options(plan), **hls_options(plan, out_dir)}
    hls = ffmpeg.output(*mapped, str(out_dir / "%v" / VARIANT_PLAYLIST), **options)
    top = plan.renditions[-1]
    poster = (branches.stream(len(plan.renditions))
              .filter("trim", start=plan.poster_time, duration=1)  # frames after it would only be dropped
              .filter("scale", top.width, top.height, flags=flags).filter("setsar", 1))
    still = ffmpeg.output(poster, str(out_dir / POSTER), **{"frames:v": 1, "q:v": 3, "update": 1})
    return ffmpeg.merge_outputs(hls, still)


GLOBAL_ARGS = ("-hide_banner", "-nostdin", "-y", "-loglevel", "error")


def hls_argv(plan: Plan, source: Path, out_dir: Path, ffmpeg_exe: str = "ffmpeg") -> list[str]:
    """The whole ffmpeg command for ``plan``, reporting progress on stdout (``-progress pipe:1``)."""
    return [ffmpeg_exe, *GLOBAL_ARGS, "-progress", "pipe:1", "-nostats",
            *ffmpeg.get_args(hls_graph(plan, source, out_dir))]


def remux_argv(plan: Plan, out_dir: Path, ffmpeg_exe: str = "ffmpeg") -> list[str]:
    """Copy the ``plan.offline`` rendition's segments into a progressive MP4 (moov first, starts at 0)."""
    playlist = out_dir / plan.offline / VARIANT_PLAYLIST
    graph = ffmpeg.input(str(playlist)).output(str(out_dir / OFFLINE), c="copy", movflags="+faststart",
                                               avoid_negative_ts="make_zero", **{"map": 0})
    return [ffmpeg_exe, *GLOBAL_ARGS, *ffmpeg.get_args(graph)]


def poster_argv(out_dir: Path, ffmpeg_exe: str = "ffmpeg", prefix: str = "") -> list[str]:
    """One ffmpeg command that makes :data:`POSTERS` from ``out_dir/POSTER``: the phone size as WebP and
    JPEG (its fallback), and the full size as WebP. Written as ``prefix + name`` (the caller renames)."""
    still = ffmpeg.input(str(out_dir / POSTER))
    split = still.filter_multi_output("split", 2)
    phone = (split.stream(0).filter("scale", f"min({PHONE_POSTER_WIDTH},iw)", -2, flags="lanczos")  # never upscaled
             .filter("setsar", 1))
    phone_split = phone.filter_multi_output("split", 2)
    outputs = [
        ffmpeg.output(phone_split.stream(0), str(out_dir / (prefix + PHONE_POSTER_WEBP)),
                      **{"c:v": "libwebp", "quality": 72, "frames:v": 1, "f": "webp"}),
        ffmpeg.output(phone_split.stream(1), str(out_dir / (prefix + PHONE_POSTER_JPEG)),
                      **{"q:v": 5, "frames:v": 1, "f": "image2", "update": 1}),
        ffmpeg.output(split.stream(1), str(out_dir / (prefix + POSTER_WEBP)),
                      **{"c:v": "libwebp", "quality": 72, "frames:v": 1, "f": "webp"}),
    ]
    return [ffmpeg_exe, *GLOBAL_ARGS, *ffmpeg.get_args(ffmpeg.merge_outputs(*outputs))]
