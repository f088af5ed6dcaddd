"""The media pipeline with the real ffmpeg on short generated lectures (640x360, 8 s).

Checks the HLS output as a player would read it (m3u8, ffprobe), the cache (no ffmpeg on a
rebuild, nothing complete-looking after an interruption) and bad input.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import m3u8
import pytest

from cloudpeds.media import Ladder, MediaCache, MediaError, TranscodeError, build_lesson, build_lessons, runner
from cloudpeds.media.probe import probe_source
from cloudpeds.media.tools import Tools, find_tools

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "make_sample_videos.py"
SECONDS = 8
SECOND = Path("lessons/发热 第二课.mp4")  # a name with spaces and Chinese characters

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
                                reason="needs ffmpeg and ffprobe (apt-get install ffmpeg)")


class Counter:
    """A process factory for :func:`runner.hooked` that records every command."""

    def __init__(self) -> None:
        self.commands: list[list[str]] = []
        self.processes: list[subprocess.Popen] = []

    def __call__(self, argv: list[str], **kwargs) -> subprocess.Popen:
        self.commands.append(list(argv))
        process = subprocess.Popen(argv, **kwargs)
        self.processes.append(process)
        return process


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with two generated lectures (slides + narration) in lessons/."""
    root = tmp_path_factory.mktemp("media-project")
    subprocess.run([sys.executable, str(SCRIPT), str(root / "lessons"), "--count", "2", "--seconds", str(SECONDS),
                    "--size", "640x360", "--slide-seconds", "4"], check=True, capture_output=True)
    (root / "lessons" / "lesson-02.mp4").rename(root / SECOND)
    return root


@pytest.fixture(scope="module")
def built(project: Path):
    """Both lessons built in parallel (2 jobs), with every process and progress report recorded."""
    counter, reports = Counter(), []
    with runner.hooked(counter):
        result = build_lessons([Path("lessons/lesson-01.mp4"), SECOND], project_root=project, jobs=2,
                               on_progress=reports.append)
    assert result.errors == []
    return result, counter, reports


def ffprobe_json(*args: str) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", *args], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def key_frame_times(media: Path) -> list[float]:
    """Presentation times of the video key frames of a playlist or file."""
    packets = ffprobe_json("-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", str(media))["packets"]
    return [round(float(p["pts_time"]), 3) for p in packets if p["flags"].startswith("K")]


def test_both_lessons_were_built_in_parallel_with_progress(built):
    result, counter, reports = built
    assert [m.status for m in result.media] == ["built", "built"]
    transcodes = [c for c in counter.commands if "-progress" in c]
    assert len(transcodes) == 2
    assert {r.lesson for r in reports} == {"lessons/lesson-01.mp4", SECOND.as_posix()}
    finals = [r for r in reports if r.done]
    assert len(finals) == 2 and all(r.fraction == 1.0 for r in finals)


def test_master_playlist_has_every_attribute(built):
    media = built[0].media[0]
    text = media.master.read_text(encoding="utf-8")
    assert "#EXT-X-INDEPENDENT-SEGMENTS" in text
    master = m3u8.load(str(media.master))
    assert master.is_variant and master.is_independent_segments
    assert [p.uri for p in master.playlists] == ["240p/index.m3u8", "360p/index.m3u8"]
    for variant, size in zip(master.playlists, [(426, 240), (640, 360)], strict=True):
        info = variant.stream_info
        assert info.resolution == size
        assert info.frame_rate == 25
        assert info.codecs.startswith("avc1.4d") and info.codecs.endswith(",mp4a.40.2")  # Main + AAC-LC
        assert 0 < info.average_bandwidth <= info.bandwidth
    low, high = (p.stream_info for p in master.playlists)
    assert low.bandwidth < high.bandwidth
    assert 200_000 < low.average_bandwidth < 600_000  # 300k video (+ 64k audio); slides need less
    assert [v.name for v in media.variants] == ["240p", "360p"]


def test_segments_last_at_most_the_target_duration(built):
    media = built[0].media[0]
    for name in ("240p", "360p"):
        playlist = m3u8.load(str(media.directory / name / "index.m3u8"))
        assert playlist.playlist_type == "vod" and playlist.is_endlist
        assert playlist.target_duration == Ladder().segment_seconds == 2
        assert all(0 < s.duration <= playlist.target_duration for s in playlist.segments)
        assert sum(s.duration for s in playlist.segments) == pytest.approx(SECONDS, abs=0.1)
        assert all((media.directory / name / s.uri).is_file() for s in playlist.segments)


def test_keyframes_are_aligned_across_renditions(built):
    media = built[0].media[0]
    low, high = (key_frame_times(media.directory / n / "index.m3u8") for n in ("240p", "360p"))
    assert low == high
    assert [round(b - a, 3) for a, b in itertools.pairwise(low)] == [2.0] * (len(low) - 1)
    assert len(low) == SECONDS // 2
    for name in ("240p", "360p"):  # each segment starts with a key frame (independent segments)
        for segment in sorted((media.directory / name).glob("*.ts")):
            packets = ffprobe_json("-select_streams", "v:0", "-show_entries", "packet=flags",
                                   "-read_intervals", "%+#1", str(segment))["packets"]
            assert packets[0]["flags"].startswith("K"), segment


def test_poster_and_offline_mp4(built):
    media = built[0].media[0]
    poster = ffprobe_json("-show_streams", str(media.poster))["streams"][0]
    assert (poster["codec_name"], poster["width"], poster["height"]) == ("mjpeg", 640, 360)
    for path, codec, width in ((media.phone_poster_webp, "webp", 640), (media.phone_poster, "mjpeg", 640),
                               (media.poster_webp, "webp", 640)):  # never upscaled: this source is 640 wide
        still = ffprobe_json("-show_streams", str(path))["streams"][0]
        assert (still["codec_name"], still["width"]) == (codec, width), path
    assert media.phone_poster_webp.stat().st_size < media.poster.stat().st_size
    mp4 = ffprobe_json("-show_streams", "-show_format", str(media.offline_mp4))
    video, audio = mp4["streams"]
    assert (video["codec_name"], video["profile"], video["height"]) == ("h264", "Main", 360)
    assert (audio["codec_name"], audio["profile"], audio["channels"]) == ("aac", "LC", 2)
    assert float(mp4["format"]["duration"]) == pytest.approx(SECONDS, abs=0.3)
    head = media.offline_mp4.read_bytes()
    assert head.find(b"moov") < head.find(b"mdat")  # progressive: playable while downloading


def test_a_second_run_runs_no_ffmpeg(project, built):
    first = built[0].media
    counter = Counter()
    with runner.hooked(counter):
        again = build_lessons([Path("lessons/lesson-01.mp4"), SECOND], project_root=project, jobs=2)
    assert counter.commands == []
    assert [m.status for m in again.media] == ["cached", "cached"]
    assert [m.directory for m in again.media] == [m.directory for m in first]
    assert again.media[0].variants == first[0].variants


def test_changed_settings_or_bytes_give_a_new_entry(project, built, tmp_path):
    dry = build_lesson(Path("lessons/lesson-01.mp4"), project_root=project, ladder=Ladder(preset="faster"),
                       dry_run=True)
    assert dry.key != built[0].media[0].key
    copy = project / "lessons" / "changed.mp4"
    copy.write_bytes((project / "lessons" / "lesson-01.mp4").read_bytes() + b"\0")
    try:
        changed = build_lesson(Path("lessons/changed.mp4"), project_root=project, dry_run=True)
    finally:
        copy.unlink()
    assert changed.key != built[0].media[0].key


def test_dry_run_logs_the_commands_and_writes_nothing(project, tmp_path, caplog):
    counter = Counter()
    caplog.set_level("INFO", logger="cloudpeds.media")
    with runner.hooked(counter):
        result = build_lesson(Path("lessons/lesson-01.mp4"), project_root=project, cache_dir=tmp_path / "c",
                              dry_run=True)
    assert result.status == "planned"
    assert not any("-progress" in c for c in counter.commands)  # only -version and ffprobe ran
    assert f"dry run, not running: {shlex.join(result.commands[0])}" in caplog.text
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == ["tools.json"]


@pytest.fixture(scope="module")
def bad_inputs(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    lessons = project / "lessons"
    bad = lessons / "bad"
    bad.mkdir(exist_ok=True)
    (bad / "empty.mp4").write_bytes(b"")
    (bad / "corrupt.mp4").write_bytes(os.urandom(4096))
    good = (lessons / "lesson-01.mp4").read_bytes()
    (bad / "truncated.mp4").write_bytes(good[: len(good) // 3])
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=300:duration=2",
                    "-c:a", "aac", str(bad / "talk.m4a")], check=True)
    outside = tmp_path_factory.mktemp("elsewhere") / "lesson.mp4"
    outside.write_bytes(good)
    return {
        "missing": Path("lessons/bad/missing.mp4"), "empty": Path("lessons/bad/empty.mp4"),
        "corrupt": Path("lessons/bad/corrupt.mp4"), "audio-only": Path("lessons/bad/talk.m4a"),
        "truncated": Path("lessons/bad/truncated.mp4"), "outside": outside,
    }


@pytest.mark.parametrize(("case", "message"), [
    ("missing", "does not exist"), ("empty", "empty (0 bytes)"), ("corrupt", "cannot read the file as a video"),
    ("audio-only", "no video stream (audio only)"), ("truncated", "could be decoded"),
    ("outside", "outside the project folder"),
])
def test_bad_input_is_a_media_error_naming_the_file(project, bad_inputs, tmp_path, case, message):
    source = bad_inputs[case]
    with pytest.raises(MediaError) as raised:
        build_lesson(source, project_root=project, cache_dir=tmp_path / "c")
    error = raised.value
    assert error.path == source and message in error.message and error.hint
    assert str(error).startswith(f"{source.as_posix()}: error: ")
    entries = [p for p in (tmp_path / "c").glob("*") if p.is_dir()] if (tmp_path / "c").exists() else []
    assert entries == []


def test_every_bad_lesson_is_reported_at_once(project, bad_inputs, tmp_path):
    result = build_lessons([bad_inputs[c] for c in ("missing", "empty", "corrupt", "audio-only", "outside")],
                           project_root=project, cache_dir=tmp_path / "c", jobs=2)
    assert result.media == []
    assert [e.path.name for e in result.errors] == ["missing.mp4", "empty.mp4", "corrupt.mp4", "talk.m4a",
                                                    "lesson.mp4"]


def test_probe_without_ffprobe_reads_ffmpegs_description(project, bad_inputs):
    ffmpeg_only = Tools(ffmpeg=find_tools().ffmpeg, ffprobe=None)
    info = probe_source(project / "lessons" / "lesson-01.mp4", ffmpeg_only)
    assert (info.video.width, info.video.height, info.video.frame_rate) == (640, 360, 25)
    assert info.duration == pytest.approx(SECONDS, abs=0.1) and info.audio is not None
    with pytest.raises(MediaError, match="audio only"):
        probe_source(project / bad_inputs["audio-only"], ffmpeg_only)


def _no_complete_entry(cache_dir: Path) -> None:
    cache = MediaCache(cache_dir)
    entries = [p for p in cache_dir.iterdir() if p.is_dir() and not p.name.startswith(".tmp-")]
    assert entries == [], entries
    assert all(cache.lookup(p.name) is None for p in cache_dir.iterdir())


def test_an_exception_in_the_progress_callback_stops_ffmpeg_and_leaves_nothing(project, tmp_path):
    class Cancelled(Exception):
        pass

    def cancel(_report):
        raise Cancelled

    counter = Counter()
    with runner.hooked(counter), pytest.raises(Cancelled):
        build_lesson(Path("lessons/lesson-01.mp4"), project_root=project, cache_dir=tmp_path / "c",
                     on_progress=cancel)
    transcode = counter.processes[-1]
    assert transcode.returncode is not None  # killed and reaped
    _no_complete_entry(tmp_path / "c")
    assert not list((tmp_path / "c").glob(".tmp-*"))  # the staging folder is removed too


def test_a_killed_ffmpeg_is_a_transcode_error_and_leaves_nothing(project, tmp_path):
    counter = Counter()

    def kill_ffmpeg(_report):
        os.kill(counter.processes[-1].pid, signal.SIGKILL)

    with runner.hooked(counter), pytest.raises(TranscodeError, match="SIGKILL") as raised:
        build_lesson(SECOND, project_root=project, cache_dir=tmp_path / "c", on_progress=kill_ffmpeg)
    assert raised.value.path == SECOND
    _no_complete_entry(tmp_path / "c")


def test_a_killed_build_process_leaves_only_a_staging_folder_that_the_next_run_removes(project, tmp_path):
    cache_dir = tmp_path / "c"
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from cloudpeds.media import Ladder, build_lesson
        def report(progress):
            print("progress", flush=True)
            time.sleep(30)
        build_lesson(Path("lessons/lesson-01.mp4"), project_root=Path({str(project)!r}),
                     cache_dir=Path({str(cache_dir)!r}), ladder=Ladder(preset="ultrafast"), on_progress=report)
    """)
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert child.stdout.readline().strip() == "progress"  # mid-way through the transcode
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # ffmpeg dies of the closed pipe once it reports again
        leftovers = list(cache_dir.glob(".tmp-*"))
        if leftovers:
            break
        time.sleep(0.1)
    assert len(leftovers) == 1
    _no_complete_entry(cache_dir)
    assert MediaCache(cache_dir).clear_leftovers() == leftovers
    assert not leftovers[0].exists()


def test_the_static_ffmpeg_of_imageio_ffmpeg_builds_the_same_ladder(project, tmp_path):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    static = Tools(ffmpeg=imageio_ffmpeg.get_ffmpeg_exe(), ffprobe=None)  # it ships no ffprobe
    media = build_lesson(Path("lessons/lesson-01.mp4"), project_root=project, cache_dir=tmp_path / "c", tools=static)
    master = m3u8.load(str(media.master))
    assert master.is_independent_segments
    assert [(p.stream_info.resolution, p.stream_info.frame_rate) for p in master.playlists] == [
        ((426, 240), 25), ((640, 360), 25)]
    assert all(p.stream_info.average_bandwidth and p.stream_info.codecs for p in master.playlists)
    assert media.poster.is_file() and media.offline_mp4.is_file()


def test_damaged_bytes_in_the_middle_build_with_the_decode_errors_counted(project, tmp_path):
    """Issue 18 §5: ffmpeg decodes past damage with glitches; the count travels with the entry (also cached)."""
    data = bytearray((project / "lessons" / "lesson-01.mp4").read_bytes())
    middle = len(data) // 2
    data[middle: middle + 20_000] = random.Random(18).randbytes(20_000)  # the same damage every run
    damaged = project / "lessons" / "bad" / "damaged.mp4"
    damaged.parent.mkdir(exist_ok=True)
    damaged.write_bytes(bytes(data))
    ladder = Ladder.from_mapping({"rungs": [{"name": "240p", "height": 240, "video_bitrate": 300_000}]})
    source = Path("lessons/bad/damaged.mp4")
    built = build_lesson(source, project_root=project, cache_dir=tmp_path / "c", ladder=ladder)
    assert built.decode_errors > 0 and "decode error" in built.decode_warning
    again = build_lesson(source, project_root=project, cache_dir=tmp_path / "c", ladder=ladder)
    assert again.status == "cached" and again.decode_errors == built.decode_errors
    clean = build_lesson(Path("lessons/lesson-01.mp4"), project_root=project, cache_dir=tmp_path / "c", ladder=ladder)
    assert clean.decode_errors == 0 and clean.decode_warning == ""


def test_the_check_probe_fails_a_truncated_file_and_caches_by_size_and_time(project, bad_inputs, tmp_path):
    from cloudpeds.courses.probing import make_probe

    cache = tmp_path / "probe.json"
    probe, _ = make_probe(cache)
    assert probe(project / "lessons" / "lesson-01.mp4").has_video
    with pytest.raises(ValueError, match="truncated or damaged"):
        probe(project / bad_inputs["truncated"])
    counter = Counter()
    with runner.hooked(counter):
        again, _ = make_probe(cache)
        again(project / "lessons" / "lesson-01.mp4")
        with pytest.raises(ValueError, match="truncated"):
            again(project / bad_inputs["truncated"])
    assert counter.commands == []
