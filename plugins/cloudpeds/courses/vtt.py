"""A small WebVTT reader: cues with their times and text, and every problem with its line."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TIME = re.compile(r"^(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})$")
_TIMING = re.compile(r"^(\S+)\s+-->\s+(\S+)(?:\s+.*)?$")
_TAGS = re.compile(r"<[^>]+>")
# Two times on one line without a proper "-->" ("->", "—>", "=>", SRT's comma): a cue that browsers drop silently.
_ALMOST_TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*\S{0,4}\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}")
#: WebVTT's own cue tags (``<b>``, ``<v Speaker>``, ``<c.loud>``, ``</i>``) and timestamps (``<00:01.500>``).
_CUE_TAG = re.compile(r"</?(?:[biu]|c|v|lang|ruby|rt)(?:\.[\w-]+)*(?:\s[^<>]*)?>|<(?:\d+:)?\d{2}:\d{2}\.\d{3}>")
_ANY_TAG = re.compile(r"<\s*[A-Za-z!/?][^<>]*>?")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    line: int


@dataclass(frozen=True)
class VttProblem:
    line: int
    message: str
    hint: str = ""


def parse_time(text: str) -> float | None:
    match = _TIME.match(text)
    if not match:
        return None
    hours, minutes, seconds, millis = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def parse_vtt(text: str) -> tuple[list[Cue], list[VttProblem]]:
    lines = text.removeprefix("\ufeff").splitlines()
    problems: list[VttProblem] = []
    if not lines or not re.match(r"^WEBVTT(\s|$)", lines[0]):
        return [], [VttProblem(1, "a WebVTT file starts with the line WEBVTT", "add WEBVTT as the first line")]
    cues: list[Cue] = []
    index = 1
    while index < len(lines):
        line = lines[index]
        if "-->" not in line:
            if _ALMOST_TIMING.match(line):
                problems.append(VttProblem(index + 1, f"this looks like a cue timing but has no --> : {line.strip()!r}",
                                           "write HH:MM:SS.mmm --> HH:MM:SS.mmm (two hyphens and >); browsers "
                                           "drop the whole cue otherwise"))
            index += 1
            continue
        number = index + 1
        timing = _TIMING.match(line.strip())
        start = parse_time(timing.group(1)) if timing else None
        end = parse_time(timing.group(2)) if timing else None
        body: list[str] = []
        index += 1
        while index < len(lines) and lines[index].strip():
            body.append(lines[index])
            index += 1
        for offset, text in enumerate(body, start=number + 1):
            for tag in _ANY_TAG.finditer(text):
                if not _CUE_TAG.fullmatch(tag.group(0)):
                    problems.append(VttProblem(offset, f"HTML in a caption is not allowed: {tag.group(0)[:40]!r}",
                                               "captions are text; WebVTT allows only <b>, <i>, <u>, <c>, <v>, "
                                               "<lang>, <ruby>, <rt> and timestamps"))
                    break
        if start is None or end is None:
            problems.append(VttProblem(number, f"cannot read the cue timing {line.strip()!r}",
                                       "write HH:MM:SS.mmm --> HH:MM:SS.mmm (hours optional)"))
            continue
        if end <= start:
            problems.append(VttProblem(number, "the cue ends before it starts", "swap or fix the two times"))
            continue
        if cues and start < cues[-1].start:
            problems.append(VttProblem(number, "cues must be in time order", "move this cue after the earlier one"))
        cues.append(Cue(start, end, _TAGS.sub("", " ".join(body)).strip(), number))
    if not cues and not problems:
        problems.append(VttProblem(1, "the captions file has no cues", "add cues: a timing line, then the text"))
    return cues, problems


def transcript(cues: list[Cue]) -> list[tuple[float, str]]:
    """The transcript under the video: each cue's start and text, consecutive duplicates merged."""
    out: list[tuple[float, str]] = []
    for cue in cues:
        if cue.text and (not out or out[-1][1] != cue.text):
            out.append((cue.start, cue.text))
    return out
