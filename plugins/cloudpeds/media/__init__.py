"""Lesson videos → HLS adaptive-bitrate ladders, posters and offline MP4s (no MkDocs here).

Modules, one idea each: :mod:`.tools` (finding ffmpeg), :mod:`.probe` (what a source holds),
:mod:`.ladder` (rungs and the ffmpeg command, pure), :mod:`.transcode` (running it with progress),
:mod:`.progress`, :mod:`.playlist` (master playlist rewrite), :mod:`.cache` (content-addressed,
atomic), :mod:`.runner` (every process start, hookable), :mod:`.errors`, and :mod:`.pipeline`
tying them together::

    from cloudpeds.media import Ladder, ProgressPrinter, build_lessons
    result = build_lessons([Path("lessons/fever.mp4")], project_root=Path("."), jobs=2,
                           on_progress=ProgressPrinter())
"""

from .cache import MediaCache, cache_key, file_digest
from .errors import MediaError, ToolNotFoundError, TranscodeError
from .ladder import DEFAULT_RUNGS, Ladder, Plan, Rendition, Rung, hls_argv, plan, remux_argv
from .pipeline import BatchResult, LessonMedia, build_lesson, build_lessons, check_source
from .playlist import Variant, rewrite_master
from .probe import SourceInfo, probe_source
from .progress import Progress, ProgressCallback, ProgressPrinter
from .tools import Tools, encoder_version, find_tools

__all__ = [
    "DEFAULT_RUNGS", "BatchResult", "Ladder", "LessonMedia", "MediaCache", "MediaError", "Plan", "Progress",
    "ProgressCallback", "ProgressPrinter", "Rendition", "Rung", "SourceInfo", "ToolNotFoundError", "Tools",
    "TranscodeError", "Variant", "build_lesson", "build_lessons", "cache_key", "check_source", "encoder_version",
    "file_digest", "find_tools", "hls_argv", "plan", "probe_source", "remux_argv", "rewrite_master",
]
