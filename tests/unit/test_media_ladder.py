"""The media pipeline's pure parts: ladder → ffmpeg argv, cache key, playlist arithmetic, parsers.

No ffmpeg is run here.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import pytest

from cloudpeds.media import cache, ladder, playlist, probe, progress, tools
from cloudpeds.media.errors import MediaError, ToolNotFoundError
from cloudpeds.media.ladder import Ladder, Rung
from cloudpeds.media.probe import AudioStream, SourceInfo, VideoStream

OUT = Path("/cache/.tmp-key")
SRC = Path("/project/lessons/fever.mp4")


def source(width: int = 1280, height: int = 720, fps: Fraction = Fraction(25), audio: bool = True,
           sar: Fraction = Fraction(1)) -> SourceInfo:
    return SourceInfo(60.0, VideoStream("h264", width, height, fps, sar),
                      AudioStream("aac", 44100, 1) if audio else None)


def argv_for(info: SourceInfo, settings: Ladder | None = None) -> list[str]:
    return ladder.hls_argv(ladder.plan(settings or Ladder(), info), SRC, OUT)


def option(argv: list[str], name: str) -> str:
    """The value following ``name`` (exactly once in the command)."""
    assert argv.count(name) == 1, f"{name} appears {argv.count(name)} times"
    return argv[argv.index(name) + 1]


def maps(argv: list[str]) -> list[str]:
    return [argv[i + 1] for i, arg in enumerate(argv) if arg == "-map"]


# --- which rungs ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("size", "names"), [
    ((640, 360), ["240p", "360p"]),
    ((960, 540), ["240p", "360p", "540p"]),
    ((1280, 720), ["240p", "360p", "540p", "720p"]),
    ((1920, 1080), ["240p", "360p", "540p", "720p"]),
    ((720, 1280), ["240p", "360p", "540p", "720p"]),  # portrait: the short side counts
    ((352, 288), ["240p"]),
])
def test_rungs_above_the_source_are_skipped(size, names):
    plan = ladder.plan(Ladder(), source(*size))
    assert [r.name for r in plan.renditions] == names


def test_a_source_below_every_rung_keeps_one_rendition_at_its_own_size():
    plan = ladder.plan(Ladder(), source(320, 180))
    assert [(r.width, r.height) for r in plan.renditions] == [(320, 180)]


def test_sizes_keep_the_display_aspect_and_are_even():
    plan = ladder.plan(Ladder(), source(1280, 720))
    assert [(r.width, r.height) for r in plan.renditions] == [(426, 240), (640, 360), (960, 540), (1280, 720)]
    portrait = ladder.plan(Ladder(), source(720, 1280))
    assert (portrait.renditions[0].width, portrait.renditions[0].height) == (240, 426)
    anamorphic = ladder.plan(Ladder(), source(720, 576, sar=Fraction(16, 15)))  # PAL 4:3
    assert [(r.width, r.height) for r in anamorphic.renditions] == [(320, 240), (480, 360), (720, 540)]


def test_the_offline_mp4_uses_a_low_rung():
    assert ladder.plan(Ladder(), source(1920, 1080)).offline == "360p"
    assert ladder.plan(Ladder(), source(352, 288)).offline == "240p"


# --- the ffmpeg command ----------------------------------------------------------------------------

def test_one_map_pair_per_rendition_and_the_poster():
    argv = argv_for(source(1280, 720))
    mapped = maps(argv)
    assert len(mapped) == 2 * 4 + 1  # video + audio per rendition, then the poster
    assert mapped[1:8:2] == ["0:a"] * 4
    assert all(m.startswith("[") for m in mapped[0:8:2])
    assert argv[-1] == str(OUT / "poster.jpg")


def test_var_stream_map_names_every_rendition():
    argv = argv_for(source(960, 540))
    assert option(argv, "-var_stream_map") == "v:0,a:0,name:240p v:1,a:1,name:360p v:2,a:2,name:540p"


def test_without_audio_the_renditions_are_video_only():
    argv = argv_for(source(640, 360, audio=False))
    assert option(argv, "-var_stream_map") == "v:0,name:240p v:1,name:360p"
    assert "0:a" not in maps(argv)
    assert "-c:a" not in argv


@pytest.mark.parametrize(("fps", "gop"), [
    (Fraction(25), 50), (Fraction(30), 60), (Fraction(30000, 1001), 60), (Fraction(50), 50), (Fraction(60), 60),
])
def test_keyframes_every_two_seconds_fixed(fps, gop):
    argv = argv_for(source(fps=fps))
    assert option(argv, "-g") == option(argv, "-keyint_min") == str(gop)
    assert option(argv, "-sc_threshold") == "0"


def test_one_constant_frame_rate_for_all_renditions():
    argv = argv_for(source(fps=Fraction(60)))
    graph = option(argv, "-filter_complex")
    assert graph.startswith("[0:v]fps=fps=30[")
    assert graph.count("fps=fps=") == 1  # before the split: every rendition gets the same frames


def test_maxrate_and_bufsize_on_every_rendition():
    argv = argv_for(source(1280, 720))
    for i, rung in enumerate(ladder.DEFAULT_RUNGS):
        assert option(argv, f"-b:v:{i}") == str(rung.video_bitrate)
        assert option(argv, f"-maxrate:v:{i}") == str(round(rung.video_bitrate * 1.1))
        assert option(argv, f"-bufsize:v:{i}") == str(rung.video_bitrate * 2)
        assert option(argv, f"-b:a:{i}") == str(rung.audio_bitrate)


def test_codecs_profile_and_audio_format():
    argv = argv_for(source())
    assert option(argv, "-c:v") == "libx264"
    assert option(argv, "-profile:v") == "main"
    assert option(argv, "-pix_fmt") == "yuv420p"
    assert option(argv, "-preset") == "veryfast"
    assert (option(argv, "-c:a"), option(argv, "-profile:a")) == ("aac", "aac_low")
    assert option(argv, "-aac_coder") == "twoloop"
    assert (option(argv, "-ac"), option(argv, "-ar")) == ("2", "48000")


def test_hls_options():
    argv = argv_for(source())
    assert option(argv, "-f") == "hls"
    assert option(argv, "-hls_time") == "2"
    assert option(argv, "-hls_playlist_type") == "vod"
    assert option(argv, "-hls_flags") == "independent_segments"
    assert option(argv, "-hls_segment_type") == "mpegts"
    assert option(argv, "-master_pl_name") == "master.m3u8"
    assert option(argv, "-hls_segment_filename") == str(OUT / "%v" / "seg_%05d.ts")
    assert str(OUT / "%v" / "index.m3u8") in argv


def test_progress_goes_to_stdout_and_the_source_is_the_only_input():
    argv = argv_for(source())
    assert option(argv, "-progress") == "pipe:1"
    assert option(argv, "-i") == str(SRC)


def test_poster_is_one_frame_at_the_top_rendition_size():
    graph = option(argv_for(source(960, 540)), "-filter_complex")
    assert "trim=duration=1:start=2.0" in graph
    assert graph.count("scale=960:540") == 2  # the 540p rendition and the poster


def test_remux_copies_the_offline_rung_into_a_progressive_mp4():
    plan = ladder.plan(Ladder(), source(1280, 720))
    argv = ladder.remux_argv(plan, OUT)
    assert option(argv, "-i") == str(OUT / "360p" / "index.m3u8")
    assert option(argv, "-c") == "copy"
    assert option(argv, "-movflags") == "+faststart"
    assert argv[-1] == str(OUT / "offline.mp4")


def test_a_custom_ladder():
    custom = Ladder.from_mapping({"rungs": [{"name": "180p", "height": 180, "video_bitrate": 200_000},
                                            {"name": "360p", "height": 360, "video_bitrate": 700_000}],
                                  "segment_seconds": 4, "preset": "ultrafast"})
    argv = argv_for(source(), custom)
    assert option(argv, "-var_stream_map") == "v:0,a:0,name:180p v:1,a:1,name:360p"
    assert (option(argv, "-hls_time"), option(argv, "-preset"), option(argv, "-b:v:1")) == ("4", "ultrafast", "700000")


@pytest.mark.parametrize("bad", [
    {"rungs": []},
    {"rungs": [Rung("a b", 240, 1)]},
    {"rungs": [Rung("x", 240, 1), Rung("x", 360, 1)]},
    {"rungs": [Rung("odd", 241, 1)]},
    {"segment_seconds": 5},
    {"colour": "blue"},
])
def test_invalid_ladders_are_refused(bad):
    with pytest.raises(ValueError, match="ladder"):
        Ladder.from_mapping(bad)


@pytest.mark.parametrize(("fps", "maximum", "expected"), [
    (Fraction(25), 30, Fraction(25)), (Fraction(60), 30, Fraction(30)), (Fraction(50), 30, Fraction(25)),
    (Fraction(30000, 1001), 30, Fraction(30000, 1001)), (Fraction(120), 30, Fraction(30)),
])
def test_output_frame_rate(fps, maximum, expected):
    assert ladder.output_frame_rate(fps, maximum) == expected


# --- the cache key -----------------------------------------------------------------------------------

def test_the_cache_key_changes_with_source_bytes_settings_and_encoder(tmp_path):
    a, b = tmp_path / "a.mp4", tmp_path / "b.mp4"
    a.write_bytes(b"lesson one")
    b.write_bytes(b"lesson one!")
    settings = Ladder().settings()
    base = cache.cache_key(cache.file_digest(a), settings, "ffmpeg version 5.1.9")
    assert base == cache.cache_key(cache.file_digest(a), Ladder().settings(), "ffmpeg version 5.1.9")
    assert base != cache.cache_key(cache.file_digest(b), settings, "ffmpeg version 5.1.9")
    assert base != cache.cache_key(cache.file_digest(a), Ladder(preset="medium").settings(), "ffmpeg version 5.1.9")
    assert base != cache.cache_key(cache.file_digest(a), settings, "ffmpeg version 9.0.2")


def test_settings_name_the_pipeline_version():
    assert Ladder().settings()["pipeline"] == ladder.PIPELINE_VERSION


def test_the_encoder_version_covers_the_library_versions():
    one = "ffmpeg version 5.1.9\nlibavcodec 59.37.100\n"
    two = "ffmpeg version 5.1.9\nlibavcodec 59.38.100\n"
    assert tools.version_from_output(one).startswith("ffmpeg version 5.1.9 #")
    assert tools.version_from_output(one) != tools.version_from_output(two)


def test_leftovers_of_dead_processes_are_removed_and_never_found(tmp_path):
    media = cache.MediaCache(tmp_path)
    dead = tmp_path / ".tmp-abc-999999999-0000aaaa"
    (dead / "240p").mkdir(parents=True)
    assert media.lookup("abc") is None
    assert media.clear_leftovers() == [dead]
    assert not dead.exists()


# --- playlist arithmetic ------------------------------------------------------------------------------

def test_average_and_peak_bitrate():
    segments = [playlist.Segment(6.0, 750_000), playlist.Segment(6.0, 1_500_000), playlist.Segment(2.0, 100_000)]
    assert playlist.average_bitrate(segments) == 1_342_858  # 2,350,000 B * 8 / 14 s, rounded up
    assert playlist.peak_bitrate(segments, 6) == 2_000_000  # the 2nd segment alone
    assert playlist.peak_bitrate([playlist.Segment(2.0, 100_000)], 6) == 400_000  # no run qualifies


def test_codec_string_from_the_sps_inside_ts_packets():
    sps = b"\x00\x00\x00\x01\x09\xf0\x00\x00\x00\x01\x67\x4d\x40\x1e\xac"
    header = bytes([0x47, 0x41, 0x00, 0x10])  # PID 0x100, payload only
    packet = header + sps + b"\xff" * (188 - 4 - len(sps))
    assert playlist.avc_codec(sps) == "avc1.4d401e"
    assert playlist.ts_payloads(packet)[0x100].startswith(sps)
    assert playlist.avc_codec(b"\x00\x00\x01\x09\xf0") is None


# --- progress, probe, errors, tools -------------------------------------------------------------------

def test_progress_blocks():
    lines = ["frame=10", "out_time_us=2000000", "speed=4.1x", "progress=continue",
             "out_time_us=N/A", "progress=continue", "out_time_us=8000000", "progress=end"]
    reports = [progress.progress_of(b, "l.mp4", 8.0) for b in progress.progress_blocks(lines)]
    assert [(r.seconds, r.fraction, r.done) for r in reports] == [(2.0, 0.25, False), (0.0, 0.0, False),
                                                                   (8.0, 1.0, True)]
    assert reports[0].speed == pytest.approx(4.1)
    assert progress.format_progress(reports[0]) == "l.mp4   25%  2.0/8.0 s  4.1x"


def test_parse_ffprobe_skips_cover_art_and_applies_rotation():
    data = {"format": {"duration": "12.5"}, "streams": [
        {"codec_type": "video", "codec_name": "mjpeg", "width": 600, "height": 600,
         "disposition": {"attached_pic": 1}},
        {"codec_type": "video", "codec_name": "h264", "width": 1920, "height": 1080, "avg_frame_rate": "30000/1001",
         "sample_aspect_ratio": "1:1", "side_data_list": [{"rotation": -90}]},
        {"codec_type": "audio", "codec_name": "aac", "sample_rate": "48000", "channels": 2},
    ]}
    info = probe.parse_ffprobe(data)
    assert info.duration == 12.5
    assert (info.video.codec, info.video.width, info.video.height) == ("h264", 1080, 1920)
    assert info.video.frame_rate == Fraction(30000, 1001)
    assert info.audio == AudioStream("aac", 48000, 2)
    cover_only = probe.parse_ffprobe({"format": {"duration": "3"}, "streams": data["streams"][::2]})
    assert cover_only.video is None


def test_parse_ffmpeg_banner():
    banner = """Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'a.mp4':
  Duration: 00:01:02.50, start: 0.000000, bitrate: 1884 kb/s
  Stream #0:0[0x1](und): Video: h264 (Main) (avc1 / 0x31637661), yuv420p(progressive), 640x360 [SAR 1:1 DAR 16:9], \
1808 kb/s, 29.97 fps, 29.97 tbr, 30k tbn (default)
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, mono, fltp, 69 kb/s (default)
At least one output file must be specified"""
    info = probe.parse_ffmpeg_banner(banner)
    assert info.duration == 62.5
    assert (info.video.width, info.video.height) == (640, 360)
    assert float(info.video.frame_rate) == pytest.approx(29.97)
    assert info.audio == AudioStream("aac", 44100, 1)
    assert probe.parse_ffmpeg_banner("a.mp4: Invalid data found when processing input") is None


def test_media_error_names_the_file_and_gives_a_hint():
    error = MediaError(Path("lessons/fever.mp4"), "the file is empty (0 bytes)", "copy it again")
    assert str(error) == "lessons/fever.mp4: error: the file is empty (0 bytes) (hint: copy it again)"


def test_ffmpeg_from_the_environment_variable(tmp_path):
    exe = tmp_path / "my-ffmpeg"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    found = tools.find_tools({"FFMPEG": str(exe), "PATH": ""})
    assert found.ffmpeg == str(exe)
    with pytest.raises(ToolNotFoundError, match="FFMPEG=/nowhere/ffmpeg is not an executable"):
        tools.find_tools({"FFMPEG": "/nowhere/ffmpeg", "PATH": ""})


def test_no_ffmpeg_anywhere_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # import fails
    with pytest.raises(ToolNotFoundError) as raised:
        tools.find_tools({"PATH": ""})
    message = str(raised.value)
    assert "ffmpeg was not found" in message
    assert "apt-get install ffmpeg" in message and "pip install imageio-ffmpeg" in message and "FFMPEG=" in message
