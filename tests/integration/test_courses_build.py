"""Courses in a whole build: bad input stops the build with file:line; a rebuild runs no ffmpeg."""

from __future__ import annotations

import shutil

import pytest

from ..conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.build


@pytest.fixture(scope="session")
def media_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("media-cache")


@pytest.fixture
def course_site_project(site_project, media_cache):
    """The real manual and courses (with the sample videos from `make sample-videos`), one shared media cache."""
    shutil.rmtree(site_project / "manual")
    shutil.copytree(ROOT / "manual", site_project / "manual")
    shutil.copytree(ROOT / "courses", site_project / "courses")
    config = site_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - cloudpeds/courses\n", f"  - cloudpeds/courses:\n      cache_dir: {media_cache}\n"), encoding="utf-8")
    return site_project


def test_courses_build_and_second_build_runs_no_ffmpeg(course_site_project, tmp_path):
    first = mkdocs_build(course_site_project, tmp_path / "a")
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "a" / "courses" / "fever-in-the-community" / "fever-danger-signs" / "index.html").is_file()
    second = mkdocs_build(course_site_project, tmp_path / "b")
    assert second.returncode == 0 and "transcoding" not in second.stderr


@pytest.mark.parametrize(("make_bad", "message"), [
    (lambda p: (p / "courses/media/fever-traffic-light.mp4").write_bytes(b""), "is empty (0 bytes)"),
    (lambda p: (p / "courses/media/fever-traffic-light.mp4").write_bytes(b"\x00\x01garbage" * 500),
     "cannot read the source video"),
    (lambda p: (p / "courses/media/fever-traffic-light.mp4").unlink(), "does not exist"),
    (lambda p: (p / "courses/captions/fever-danger-signs.zh.vtt").write_text("WEBVTT\n\n00:05.000 --> 00:01.000\nx\n"),
     "courses/captions/fever-danger-signs.zh.vtt:3:1: error: the cue ends before it starts"),
])
def test_bad_media_input_stops_the_build_and_keeps_the_site(course_site_project, tmp_path, make_bad, message):
    site = tmp_path / "site"
    assert mkdocs_build(course_site_project, site).returncode == 0
    index = (site / "index.html").read_bytes()
    make_bad(course_site_project)
    result = mkdocs_build(course_site_project, site)
    assert result.returncode != 0 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "index.html").read_bytes() == index


def test_audio_only_source_and_marker_past_the_end(course_site_project, tmp_path):
    import subprocess

    audio = course_site_project / "courses" / "media" / "fever-antipyretics.mp4"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=duration=3", "-c:a", "aac",
                    str(audio)], check=True)
    course = course_site_project / "courses" / "fever-in-the-community.yml"
    course.write_text(course.read_text(encoding="utf-8").replace('{at: "0:14"', '{at: "9:14"'), encoding="utf-8")
    result = mkdocs_build(course_site_project, tmp_path / "site")
    assert result.returncode != 0
    assert "has no video stream (audio only)" in result.stderr
    assert "is past the end of the video" in result.stderr
    assert "courses/fever-in-the-community.yml:" in result.stderr


def test_cloudpeds_check_reports_course_problems(course_site_project):
    import subprocess
    import sys

    course = course_site_project / "courses" / "fever-in-the-community.yml"
    course.write_text(course.read_text(encoding="utf-8").replace('{at: "0:14"', '{at: "9:14"'), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "cloudpeds.cli", "check", "--project", str(course_site_project)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "courses/fever-in-the-community.yml:" in result.stderr and "past the end of the video" in result.stderr


def test_a_video_damaged_in_the_middle_builds_with_a_warning_at_the_lesson(course_site_project, tmp_path):
    """Issue 18 §5: ffmpeg decodes past the damage; its decode errors are a warning at the lesson's source line."""
    import random

    video = course_site_project / "courses/media/fever-traffic-light.mp4"
    data = bytearray(video.read_bytes())
    middle = len(data) // 2
    data[middle: middle + 20_000] = random.Random(18).randbytes(20_000)  # the same damage every run
    video.write_bytes(bytes(data))
    result = mkdocs_build(course_site_project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    lines = (course_site_project / "courses/fever-in-the-community.yml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "fever-traffic-light.mp4" in text)
    assert f"courses/fever-in-the-community.yml:{line}:" in result.stderr and "decode error" in result.stderr
