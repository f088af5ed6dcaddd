"""Errors of the media pipeline, each naming the file and saying what to do about it.

A :class:`MediaError` is bad input or a failed tool, reported as one line in the style of
:mod:`cloudpeds.diagnostics`: ``path: error: message (hint: …)``, never a traceback.
"""

from __future__ import annotations

from pathlib import Path


class MediaError(Exception):
    """A lesson's media cannot be built: ``path`` (or ``None``), what is wrong, and a hint."""

    def __init__(self, path: Path | str | None, message: str, hint: str = "") -> None:
        self.path = Path(path) if path is not None else None
        self.message = message
        self.hint = hint
        super().__init__(self.format())

    def format(self) -> str:
        """``path: error: message (hint: …)``, the one line shown to an editor."""
        where = f"{self.path.as_posix()}: " if self.path is not None else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{where}error: {self.message}{hint}"

    def __str__(self) -> str:
        return self.format()


class ToolNotFoundError(MediaError):
    """ffmpeg (or a configured ffprobe) is missing: the message says how to install it."""


class TranscodeError(MediaError):
    """ffmpeg ran but failed (non-zero exit, killed, or an expected output is missing)."""
