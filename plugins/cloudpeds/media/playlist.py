"""The master playlist, rewritten with the ``m3u8`` package from what was actually produced.

ffmpeg 5.1's master lacks AVERAGE-BANDWIDTH, FRAME-RATE and EXT-X-INDEPENDENT-SEGMENTS, and its
BANDWIDTH is nominal. Here every variant gets BANDWIDTH = the peak bit rate (Apple's HLS
authoring definition: the largest rate of any run of segments lasting 0.5–1.5 × the target
duration), AVERAGE-BANDWIDTH = all segment bits / all segment time, CODECS read from the H.264
SPS in the first segment, RESOLUTION and FRAME-RATE from the plan.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import m3u8

from .ladder import MASTER, VARIANT_PLAYLIST, Plan

AAC_LC = "mp4a.40.2"
TS_PACKET = 188


@dataclass(frozen=True)
class Segment:
    """One media segment: its duration (s) and size (bytes)."""

    duration: float
    size: int


@dataclass(frozen=True)
class Variant:
    """A variant stream as written into the master playlist."""

    name: str
    uri: str
    width: int
    height: int
    bandwidth: int
    average_bandwidth: int
    codecs: str
    frame_rate: float
    duration: float
    segments: int


def average_bitrate(segments: Sequence[Segment]) -> int:
    """All bits over all time, rounded up (bit/s); 0 for no segments."""
    seconds = sum(s.duration for s in segments)
    return math.ceil(sum(s.size for s in segments) * 8 / seconds) if seconds > 0 else 0


def peak_bitrate(segments: Sequence[Segment], target_duration: float) -> int:
    """The largest bit rate of a run of consecutive segments lasting 0.5–1.5 × ``target_duration``.

    When no run qualifies (a clip shorter than half the target), the average of all segments.
    """
    peak = 0.0
    for start in range(len(segments)):
        bits = seconds = 0.0
        for segment in segments[start:]:
            bits += segment.size * 8
            seconds += segment.duration
            if seconds > 1.5 * target_duration:
                break
            if seconds >= 0.5 * target_duration:
                peak = max(peak, bits / seconds)
    return math.ceil(peak) if peak else average_bitrate(segments)


def ts_payloads(data: bytes) -> dict[int, bytes]:
    """The payload bytes of each PID in an MPEG-TS buffer, in order (adaptation fields skipped)."""
    payloads: dict[int, bytearray] = {}
    for offset in range(0, len(data) - TS_PACKET + 1, TS_PACKET):
        packet = data[offset:offset + TS_PACKET]
        if packet[0] != 0x47:
            break
        pid = ((packet[1] & 0x1F) << 8) | packet[2]
        control = (packet[3] >> 4) & 0x3
        start = 4 + (1 + packet[4] if control in (2, 3) else 0)
        if control in (1, 3) and start < TS_PACKET:
            payloads.setdefault(pid, bytearray()).extend(packet[start:])
    return {pid: bytes(payload) for pid, payload in payloads.items()}


def avc_codec(stream: bytes) -> str | None:
    """``avc1.PPCCLL`` from the first SPS NAL unit (type 7) in an Annex B byte stream."""
    at = stream.find(b"\x00\x00\x01")
    while 0 <= at <= len(stream) - 7:
        if stream[at + 3] & 0x1F == 7:
            profile, constraints, level = stream[at + 4], stream[at + 5], stream[at + 6]
            return f"avc1.{profile:02x}{constraints:02x}{level:02x}"
        at = stream.find(b"\x00\x00\x01", at + 3)
    return None


def codec_of_segment(path: Path, limit: int = 256 * TS_PACKET) -> str | None:
    """The H.264 codec string of a TS segment, read from its first packets."""
    with path.open("rb") as handle:
        head = handle.read(limit)
    for payload in ts_payloads(head).values():
        codec = avc_codec(payload)
        if codec:
            return codec
    return None


def read_segments(playlist: Path) -> tuple[list[Segment], Path | None, float]:
    """The segments of a media playlist with their file sizes, the first segment's path, the target."""
    media = m3u8.load(str(playlist))
    segments = [Segment(float(s.duration), (playlist.parent / s.uri).stat().st_size) for s in media.segments]
    first = playlist.parent / media.segments[0].uri if media.segments else None
    return segments, first, float(media.target_duration or 0)


def rewrite_master(out_dir: Path, plan: Plan) -> list[Variant]:
    """Rewrite ``out_dir/master.m3u8`` (ffmpeg's) with measured attributes; returns the variants."""
    master_path = out_dir / MASTER
    master = m3u8.load(str(master_path))
    by_uri = {p.uri: p for p in master.playlists}
    variants = []
    for rendition in plan.renditions:
        uri = f"{rendition.name}/{VARIANT_PLAYLIST}"
        entry = by_uri.get(uri)
        if entry is None:
            raise ValueError(f"{master_path}: no variant {uri}")
        segments, first, target = read_segments(out_dir / uri)
        video = (codec_of_segment(first) if first else None) or _ffmpeg_video_codec(entry.stream_info.codecs)
        if video is None:
            raise ValueError(f"{out_dir / uri}: no H.264 SPS found in the first segment")
        codecs = f"{video},{AAC_LC}" if plan.has_audio else video
        info = entry.stream_info
        info.average_bandwidth = average_bitrate(segments)
        info.bandwidth = max(peak_bitrate(segments, target or plan.ladder.segment_seconds), info.average_bandwidth)
        info.codecs = codecs
        info.resolution = (rendition.width, rendition.height)
        info.frame_rate = round(float(Fraction(plan.frame_rate)), 3)
        variants.append(Variant(rendition.name, uri, rendition.width, rendition.height, info.bandwidth,
                                info.average_bandwidth, codecs, info.frame_rate,
                                round(sum(s.duration for s in segments), 3), len(segments)))
    master.is_independent_segments = True
    master_path.write_text(master.dumps(), encoding="utf-8")
    return variants


def _ffmpeg_video_codec(codecs: str | None) -> str | None:
    """The ``avc1.*`` part of ffmpeg's own CODECS attribute, if it wrote one."""
    return next((c for c in (codecs or "").split(",") if c.startswith("avc1.") and len(c) == 11), None)
