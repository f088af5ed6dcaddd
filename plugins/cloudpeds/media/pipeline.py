"""One lesson's source video → a cached HLS ladder, poster and offline MP4; many lessons in parallel.

Steps for a lesson: check the path (inside the project, exists, not empty) → hash its bytes →
cache key with the ladder settings and the encoder version → on a hit, done (no ffmpeg at all);
otherwise probe, plan, transcode into a staging folder, remux the offline MP4, rewrite the master
playlist, check the result, publish atomically.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import ladder as _ladder
from .cache import MediaCache, cache_key, file_digest
from .errors import MediaError, TranscodeError
from .ladder import MASTER, OFFLINE, POSTER, POSTERS, Ladder, Plan, hls_argv, plan, poster_argv, remux_argv
from .playlist import Variant, rewrite_master
from .probe import probe_source
from .progress import ProgressCallback
from .tools import Tools, encoder_version, find_tools
from .transcode import run_ffmpeg, run_quiet

DEFAULT_CACHE = Path(".cache") / "media"
TOOLS_MEMO = "tools.json"
#: A transcode that decodes less than this share of the probed duration means a damaged source.
MIN_DECODED_SHARE = 0.9
INCOMPLETE_HINT = "run the build again; if it repeats, run the logged ffmpeg command by hand"


@dataclass(frozen=True)
class LessonMedia:
    """The outputs of one lesson. ``status``: ``cached``, ``built`` or ``planned`` (dry run)."""

    source: Path
    key: str
    directory: Path
    status: str
    duration: float
    variants: tuple[Variant, ...] = ()
    commands: tuple[tuple[str, ...], ...] = field(default=(), repr=False)
    #: Errors ffmpeg reported while decoding the source (a damaged file still transcodes, with glitches).
    decode_errors: int = 0
    decode_error_sample: str = ""

    @property
    def decode_warning(self) -> str:
        """A sentence for the editor, or "" when the source decoded cleanly."""
        if not self.decode_errors:
            return ""
        return (f"ffmpeg reported {self.decode_errors} decode error(s) in this video, e.g. "
                f"{self.decode_error_sample!r}: the lesson will show glitches or skip")

    @property
    def master(self) -> Path:
        return self.directory / MASTER

    @property
    def poster(self) -> Path:
        return self.directory / POSTER

    @property
    def offline_mp4(self) -> Path:
        return self.directory / OFFLINE

    @property
    def phone_poster(self) -> Path:
        """The poster at phone size as JPEG (:attr:`phone_poster_webp` is the same as WebP)."""
        return self.directory / _ladder.PHONE_POSTER_JPEG

    @property
    def phone_poster_webp(self) -> Path:
        return self.directory / _ladder.PHONE_POSTER_WEBP

    @property
    def poster_webp(self) -> Path:
        return self.directory / _ladder.POSTER_WEBP


@dataclass(frozen=True)
class BatchResult:
    """Every lesson's outputs, and every lesson's error (all reported, none hidden)."""

    media: list[LessonMedia]
    errors: list[MediaError]


def display_name(path: Path, root: Path) -> str:
    """``path`` relative to the project when inside it (as an editor writes it)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def check_source(path: Path, project_root: Path) -> Path:
    """The resolved source (a relative ``path`` is taken from ``project_root``); a :class:`MediaError`
    if it is outside the project (symbolic links resolved), missing, not a file or empty."""
    root = project_root.resolve()
    full = (project_root / path).resolve() if not path.is_absolute() else path.resolve()
    if not full.is_relative_to(root):
        raise MediaError(path, f"the file is outside the project folder {root}",
                         "copy the video into the project (e.g. media/) and refer to it from there")
    if not full.exists():
        raise MediaError(path, "the file does not exist",
                         "check the file name and its folder (names are case-sensitive)")
    if not full.is_file():
        raise MediaError(path, "this is not a file", "refer to a video file, not a folder")
    if full.stat().st_size == 0:
        raise MediaError(path, "the file is empty (0 bytes)",
                         "the copy or upload was probably interrupted: copy it again")
    return full


def _manifest(source: str, digest: str, encoder: str, plan_: Plan, variants: Sequence[Variant],
              decode_errors: Sequence[str] = ()) -> dict[str, Any]:
    return {
        "source": source, "source_sha256": digest, "encoder": encoder, "settings": plan_.ladder.settings(),
        "duration": plan_.duration, "frame_rate": str(plan_.frame_rate), "offline_rendition": plan_.offline,
        "master": MASTER, "poster": POSTER, "offline_mp4": OFFLINE,
        "variants": [vars(v) for v in variants],
        "decode_errors": len(decode_errors), "decode_error_sample": decode_errors[0] if decode_errors else "",
    }


def _from_manifest(source: Path, key: str, directory: Path, data: dict[str, Any]) -> LessonMedia:
    variants = tuple(Variant(**v) for v in data.get("variants", []))
    return LessonMedia(source, key, directory, "cached", float(data.get("duration", 0.0)), variants,
                       decode_errors=int(data.get("decode_errors", 0)),
                       decode_error_sample=str(data.get("decode_error_sample", "")))


def _check_outputs(source: Path, out_dir: Path, plan_: Plan, variants: Sequence[Variant]) -> None:
    """A complete entry: every playlist, poster and MP4 present, and (nearly) the whole source decoded."""
    for name in (MASTER, POSTER, OFFLINE):
        if not (out_dir / name).is_file() or (out_dir / name).stat().st_size == 0:
            raise TranscodeError(source, f"ffmpeg did not write {name}", INCOMPLETE_HINT)
    shortest = min(v.duration for v in variants)
    if shortest < plan_.duration * MIN_DECODED_SHARE - 1.0:
        raise TranscodeError(source, f"only {shortest:.1f} s of {plan_.duration:.1f} s could be decoded",
                             "the file is truncated or damaged: export or copy it again")


def make_posters(directory: Path, *, source: Path, ffmpeg_exe: str) -> None:
    """Make the phone-sized and WebP posters from ``directory``'s poster (see ``ladder.poster_argv``) when
    any is missing: entries cached before they existed get them on their next build. Each file is
    written under a temporary name and renamed into place, so a killed run leaves none half-written."""
    if all((directory / name).is_file() for name in POSTERS):
        return
    prefix = f".tmp-{os.getpid()}-"
    try:
        run_quiet(poster_argv(directory, ffmpeg_exe, prefix), source=source)
        for name in POSTERS:
            os.replace(directory / (prefix + name), directory / name)
    finally:
        for name in POSTERS:
            (directory / (prefix + name)).unlink(missing_ok=True)


def build_lesson(source: Path, *, project_root: Path, cache_dir: Path | None = None,
                 ladder: Ladder | None = None, tools: Tools | None = None,
                 on_progress: ProgressCallback | None = None, dry_run: bool = False) -> LessonMedia:
    """Transcode one lesson's video (or take it from the cache). Raises :class:`MediaError`.

    ``source`` is relative to ``project_root`` (or absolute, inside it); errors name it as given.
    ``cache_dir`` defaults to ``<project_root>/.cache/media``; ``tools`` to :func:`find_tools`.
    ``on_progress`` gets :class:`~.progress.Progress` reports while ffmpeg runs; ``dry_run``
    logs the commands (also returned in ``commands``) without transcoding or writing anything.
    """
    ladder = ladder or Ladder()
    full = check_source(source, project_root)
    label = display_name(full, project_root)
    cache = MediaCache(cache_dir or project_root / DEFAULT_CACHE)
    tools = tools or find_tools()
    encoder = encoder_version(tools.ffmpeg, memo=cache.root / TOOLS_MEMO)
    digest = file_digest(full)
    key = cache_key(digest, ladder.settings(), encoder)
    manifest = cache.read_manifest(key)
    if manifest is not None:
        if not dry_run:
            make_posters(cache.entry(key), source=source, ffmpeg_exe=tools.ffmpeg)
        return _from_manifest(full, key, cache.entry(key), manifest)
    info = probe_source(full, tools, name=source)
    plan_ = plan(ladder, info)
    with cache.staging(key) as out_dir:
        commands = (tuple(hls_argv(plan_, full, out_dir, tools.ffmpeg)),
                    tuple(remux_argv(plan_, out_dir, tools.ffmpeg)))
        stderr = run_ffmpeg(commands[0], source=source, duration=info.duration, lesson=label,
                            on_progress=on_progress, dry_run=dry_run)
        decode_errors = [line.strip() for line in (stderr or "").splitlines() if line.strip()]
        run_quiet(commands[1], source=source, dry_run=dry_run)
        if dry_run:
            return LessonMedia(full, key, cache.entry(key), "planned", info.duration, commands=commands)
        try:
            variants = rewrite_master(out_dir, plan_)
        except (OSError, ValueError) as error:
            raise TranscodeError(source, f"the HLS output is incomplete: {error}", INCOMPLETE_HINT) from error
        _check_outputs(source, out_dir, plan_, variants)
        make_posters(out_dir, source=source, ffmpeg_exe=tools.ffmpeg)
        entry = cache.publish(out_dir, key, _manifest(label, digest, encoder, plan_, variants, decode_errors))
    return LessonMedia(full, key, entry, "built", info.duration, tuple(variants), commands,
                       len(decode_errors), decode_errors[0] if decode_errors else "")


def build_lessons(sources: Sequence[Path], *, project_root: Path, cache_dir: Path | None = None,
                  ladder: Ladder | None = None, jobs: int = 1, on_progress: ProgressCallback | None = None,
                  dry_run: bool = False, tools: Tools | None = None) -> BatchResult:
    """Build many lessons, ``jobs`` at a time; every :class:`MediaError` is collected, in input order.

    Staging folders left by killed builds are removed first. ``on_progress`` is called from the
    worker threads (:class:`~.progress.ProgressPrinter` is thread-safe). Other exceptions (e.g.
    raised by ``on_progress`` to cancel) stop the batch: lessons not yet started are skipped,
    running ones finish or fail, and the exception propagates.
    """
    tools = tools or find_tools()
    cache = MediaCache(cache_dir or project_root / DEFAULT_CACHE)
    cache.clear_leftovers()

    def one(source: Path) -> LessonMedia | MediaError:
        try:
            return build_lesson(source, project_root=project_root, cache_dir=cache.root, ladder=ladder,
                                tools=tools, on_progress=on_progress, dry_run=dry_run)
        except MediaError as error:
            return error

    workers = max(1, min(jobs, len(sources)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="transcode") as pool:
        futures = [pool.submit(one, source) for source in sources]
        try:
            outcomes = [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return BatchResult([o for o in outcomes if isinstance(o, LessonMedia)],
                       [o for o in outcomes if isinstance(o, MediaError)])
