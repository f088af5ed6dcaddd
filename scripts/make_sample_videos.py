#!/usr/bin/env python3
"""Make short sample lecture videos: Chinese slides (Noto CJK) and a narration track.

Each lesson is a series of slides (title, three points, a footer with the lesson and a clock)
drawn with ffmpeg's ``drawtext``, and narration spoken by espeak-ng (Mandarin) for each slide,
or a quiet sine tone when espeak-ng is not installed. Existing files are kept, not remade.

    python scripts/make_sample_videos.py media/samples --count 3 --seconds 60
    python scripts/make_sample_videos.py /tmp/clips --count 1 --seconds 8 --size 640x360
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ffmpeg

DEFAULT_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
COLOURS = ("0x1f4e79", "0x2e5e3a", "0x5b2c6f", "0x7a3b12", "0x234f5c")
LESSONS = (
    ("儿童发热的评估", (
        ("什么是发热", ("腋温 ≥ 37.3 °C 为发热", "体温高低不等于病情轻重", "先看精神状态，再看体温")),
        ("危险信号", ("月龄 < 3 个月且体温 ≥ 38 °C", "嗜睡、难以唤醒", "皮疹压之不褪色")),
        ("居家照护", ("少量多次补充液体", "衣着适当，不要捂热", "记录体温和尿量")),
    )),
    ("腹泻与脱水", (
        ("脱水的表现", ("口干、眼窝凹陷", "尿量明显减少", "哭时无泪")),
        ("口服补液", ("使用口服补液盐 III", "每次稀便后补充", "少量多次，呕吐也可继续")),
        ("何时转诊", ("精神差或不能饮水", "血便", "持续呕吐")),
    )),
    ("咳嗽与呼吸困难", (
        ("数呼吸", ("安静时数满一分钟", "2–12 个月：≥ 50 次/分为快", "1–5 岁：≥ 40 次/分为快")),
        ("危险信号", ("吸气时胸凹陷", "口唇发紫", "不能喝奶或进食")),
        ("处理要点", ("保持呼吸道通畅", "按指南使用抗生素", "两天后复诊")),
    )),
)


@dataclass(frozen=True)
class Slide:
    """One slide: its title, its points and when it is shown (seconds)."""

    title: str
    points: tuple[str, ...]
    start: float
    length: float


def slides_for(lesson: int, seconds: float, slide_seconds: float) -> list[Slide]:
    """The slides of lesson number ``lesson`` filling ``seconds`` (the last one may be shorter)."""
    _, pages = LESSONS[lesson % len(LESSONS)]
    count = max(1, math.ceil(seconds / slide_seconds))
    slides = []
    for i in range(count):
        title, points = pages[i % len(pages)]
        start = i * slide_seconds
        slides.append(Slide(title, points, start, min(slide_seconds, seconds - start)))
    return slides


def parse_size(text: str) -> tuple[int, int]:
    """``1280x720`` → (1280, 720), both even."""
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"size must look like 1280x720, not {text!r}") from error
    if width < 64 or height < 64 or width % 2 or height % 2:
        raise argparse.ArgumentTypeError("width and height must be even and at least 64")
    return width, height


def _text_file(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def video_stream(slides: Sequence[Slide], lesson_title: str, size: tuple[int, int], fps: int,
                 seconds: float, font: Path, work: Path) -> ffmpeg.nodes.FilterableStream:
    """Coloured slides with their text, switched at each slide's start."""
    width, height = size
    unit = height / 360
    parts = []
    for i, slide in enumerate(slides):
        part = ffmpeg.input(f"color=c={COLOURS[i % len(COLOURS)]}:s={width}x{height}:r={fps}:d={slide.length}",
                            f="lavfi")
        text = {"fontfile": str(font), "fontcolor": "white"}
        part = part.drawtext(textfile=_text_file(work, f"t{i}.txt", slide.title), x=round(40 * unit),
                             y=round(36 * unit), fontsize=round(36 * unit), **text)
        for j, point in enumerate(slide.points):
            part = part.drawtext(textfile=_text_file(work, f"p{i}-{j}.txt", f"• {point}"), x=round(60 * unit),
                                 y=round((120 + 56 * j) * unit), fontsize=round(24 * unit), **text)
        footer = f"{lesson_title}   {i + 1}/{len(slides)}"
        part = part.drawtext(textfile=_text_file(work, f"f{i}.txt", footer), x=round(40 * unit),
                             y=round(height - 40 * unit), fontsize=round(16 * unit), **text)
        parts.append(part)
    clock = _text_file(work, "clock.txt", "%{pts:hms}")
    return (ffmpeg.concat(*parts, v=1, a=0).trim(duration=seconds)
            .drawtext(textfile=clock, expansion="normal", fontfile=str(font), fontcolor="white",
                      x=round(width - 160 * unit), y=round(height - 40 * unit), fontsize=round(16 * unit)))


def narration_stream(slides: Sequence[Slide], seconds: float, work: Path) -> ffmpeg.nodes.FilterableStream:
    """Spoken slides (espeak-ng, Mandarin) each padded or cut to its slide, or a sine tone."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        tone = ffmpeg.input(f"sine=frequency=440:sample_rate=44100:duration={seconds}", f="lavfi")
        return tone.filter("volume", 0.2)
    parts = []
    for i, slide in enumerate(slides):
        wav = work / f"n{i}.wav"
        words = f"{slide.title}。" + "。".join(slide.points)
        subprocess.run([espeak, "-v", "cmn", "-s", "165", "-w", str(wav), words], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        parts.append(ffmpeg.input(str(wav)).audio.filter("apad").filter("atrim", duration=slide.length)
                     .filter("aresample", 44100))
    return ffmpeg.concat(*parts, v=0, a=1)


def spec_slides(video: dict) -> list[Slide]:
    """The slides of one video of a spec file (courses/sample/videos.yml): each slide's text as its
    title, shown from ``at`` until the next slide (the last until the end)."""
    entries = video["slides"]
    out = []
    for number, entry in enumerate(entries):
        end = entries[number + 1]["at"] if number + 1 < len(entries) else video["duration"]
        # One point per clause, so that no line runs off a 16:9 slide.
        points = tuple(part for part in re.split(r"(?<=[，：；。])", str(entry["text"])) if part.strip())
        out.append(Slide(str(video.get("title", "")), points, float(entry["at"]), float(end) - float(entry["at"])))
    return out


def make_video(target: Path, lesson: int, *, seconds: float, size: tuple[int, int], fps: int,
               slide_seconds: float, font: Path, slides: list[Slide] | None = None, title: str | None = None) -> None:
    """Write one sample lecture to ``target`` (through a temporary file, renamed when complete)."""
    title = title or LESSONS[lesson % len(LESSONS)][0]
    slides = slides or slides_for(lesson, seconds, slide_seconds)
    partial = target.with_name(f".{target.stem}.partial{target.suffix}")
    with tempfile.TemporaryDirectory(prefix="cp-sample-") as tmp:
        work = Path(tmp)
        video = video_stream(slides, title, size, fps, seconds, font, work)
        audio = narration_stream(slides, seconds, work)
        out = ffmpeg.output(video, audio, str(partial), vcodec="libx264", preset="veryfast", crf=20,
                            pix_fmt="yuv420p", acodec="aac", audio_bitrate="128k", movflags="+faststart",
                            t=seconds)
        argv = ["ffmpeg", "-hide_banner", "-nostdin", "-y", "-loglevel", "error", *ffmpeg.get_args(out)]
        subprocess.run(argv, check=True)
    partial.replace(target)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, nargs="?", default=Path("."),
                        help="where to write lesson-01.mp4, lesson-02.mp4, … (with --spec: the project folder)")
    parser.add_argument("--spec", type=Path, help="a YAML list of videos (path, duration, slides) to make instead")
    parser.add_argument("--count", type=int, default=3, help="number of lessons (default 3)")
    parser.add_argument("--seconds", type=float, default=60, help="length of each video (default 60)")
    parser.add_argument("--size", type=parse_size, default=(1280, 720), help="WIDTHxHEIGHT (default 1280x720)")
    parser.add_argument("--fps", type=int, default=25, help="frame rate (default 25)")
    parser.add_argument("--slide-seconds", type=float, default=10, help="time per slide (default 10)")
    parser.add_argument("--font", type=Path, default=DEFAULT_FONT, help=f"a CJK font file (default {DEFAULT_FONT})")
    parser.add_argument("--prefix", default="lesson", help="file name prefix (default 'lesson')")
    args = parser.parse_args(argv)
    if shutil.which("ffmpeg") is None:
        parser.error("ffmpeg is not installed: 'sudo apt-get install ffmpeg'")
    if not args.font.is_file():
        parser.error(f"font not found: {args.font} ('sudo apt-get install fonts-noto-cjk', or pass --font)")
    if args.seconds <= 0 or args.count <= 0 or args.slide_seconds <= 0:
        parser.error("--count, --seconds and --slide-seconds must be positive")
    if args.spec:
        import yaml

        videos = yaml.safe_load(args.spec.read_text(encoding="utf-8"))["videos"]
        for number, video in enumerate(videos):
            target = args.folder / video["path"]
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            slides = spec_slides(video)
            make_video(target, number, seconds=float(video["duration"]), size=args.size, fps=args.fps,
                       slide_seconds=args.slide_seconds, font=args.font, slides=slides, title=str(video["title"]))
            print(f"{target}: written")
        return 0
    args.folder.mkdir(parents=True, exist_ok=True)
    for lesson in range(args.count):
        target = args.folder / f"{args.prefix}-{lesson + 1:02d}.mp4"
        if target.exists():
            print(f"{target}: exists, skipped")
            continue
        make_video(target, lesson, seconds=args.seconds, size=args.size, fps=args.fps,
                   slide_seconds=args.slide_seconds, font=args.font)
        print(f"{target}: written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
