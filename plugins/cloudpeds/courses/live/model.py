"""A live session's metadata (courses/live/<id>.yml), validated with pydantic like the courses."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, Field

from ...manual.model import Id, Strict
from ..model import Lecturer, Marker, Teaches, Text

DEFAULT_TIMEZONE = "Asia/Shanghai"
_LOCAL_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_HOURS_MINUTES = re.compile(r"^(\d+):([0-5]\d)$")


def _local_time(value: object) -> object:
    """``2026-12-10 14:00`` (the session's local time; its zone is ``timezone``)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise ValueError("write the local time without an offset (e.g. 2026-12-10 14:00) and give the "
                             "zone in `timezone`")
        return value
    match = _LOCAL_TIME.match(str(value).strip())
    if not match:
        raise ValueError(f"{value!r} is not a date and time; write YYYY-MM-DD HH:MM (e.g. 2026-12-10 14:00)")
    day, hour, minute, second = match.groups()
    try:
        return dt.datetime.fromisoformat(f"{day}T{int(hour):02d}:{minute}:{second or '00'}")
    except ValueError:
        raise ValueError(f"{value!r} is not a date and time that exists; check the day and the hour") from None


def _minutes(value: object) -> object:
    """``90`` (minutes) or ``"1:30"`` (hours:minutes)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _HOURS_MINUTES.match(str(value).strip())
    if not match:
        raise ValueError(f"{value!r} is not a duration; write minutes (90) or hours:minutes (1:30)")
    return int(match.group(1)) * 60 + int(match.group(2))


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not a time zone; use an IANA name such as Asia/Shanghai") from None
    return value


LocalTime = Annotated[dt.datetime, BeforeValidator(_local_time)]
Minutes = Annotated[int, BeforeValidator(_minutes), Field(gt=0, le=24 * 60)]
TimeZone = Annotated[str, AfterValidator(_zone)]


class Session(Strict):
    id: Id
    title: Text
    description: Text | None = None
    lecturers: list[Lecturer] = Field(min_length=1)
    start: LocalTime
    timezone: TimeZone = DEFAULT_TIMEZONE
    duration: Minutes
    #: The HLS playlist of the hospital's streaming service (live or event); its host is in allowed_hosts.
    stream: str = Field(min_length=1)
    related: Teaches = Teaches()
    registration: Text | None = None
    #: After the event: the recorded video, sent through the lesson pipeline (replay).
    recording: str | None = None
    captions: dict[Literal["zh", "en"], str] = Field(default_factory=dict)
    markers: list[Marker] = Field(default_factory=list)

    @property
    def starts(self) -> dt.datetime:
        """The start as an aware time in the session's zone."""
        return self.start.replace(tzinfo=ZoneInfo(self.timezone))

    @property
    def ends(self) -> dt.datetime:
        # In UTC: a session across a daylight-saving change lasts its minutes, not its wall-clock span.
        return (self.starts.astimezone(dt.UTC) + dt.timedelta(minutes=self.duration)).astimezone(
            ZoneInfo(self.timezone))

    def status(self, now: dt.datetime) -> str:
        """``upcoming``, ``live`` or ``past`` at ``now`` (aware)."""
        if now < self.starts:
            return "upcoming"
        return "live" if now < self.ends else "past"
