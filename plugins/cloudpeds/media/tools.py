"""Finding ffmpeg and ffprobe, and the encoder version that goes into the cache key.

Order: the ``FFMPEG`` / ``FFPROBE`` environment variables, then ``PATH``, then the static ffmpeg
of the ``imageio-ffmpeg`` package (which has no ffprobe: :mod:`.probe` then reads ffmpeg's own
description of the input). When no ffmpeg is found, :class:`~.errors.ToolNotFoundError` says how
to install one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import runner
from .cache import atomic_write_text
from .errors import ToolNotFoundError

INSTALL_HINT = (
    "install ffmpeg: 'sudo apt-get install ffmpeg' (Debian/Ubuntu), 'brew install ffmpeg' (macOS), "
    "or 'pip install imageio-ffmpeg' (a static ffmpeg for any OS); "
    "or point FFMPEG (and FFPROBE) at the programs, e.g. FFMPEG=/opt/ffmpeg/bin/ffmpeg"
)


@dataclass(frozen=True)
class Tools:
    """Paths of the programs to run; ``ffprobe`` is ``None`` when only ffmpeg is available."""

    ffmpeg: str
    ffprobe: str | None


def _executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _from_env(name: str, env: Mapping[str, str]) -> str | None:
    """The program named by environment variable ``name``; an error if it is set but unusable."""
    value = env.get(name, "").strip()
    if not value:
        return None
    found = value if os.sep in value else shutil.which(value, path=env.get("PATH"))
    if found is None or not _executable(found):
        raise ToolNotFoundError(None, f"{name}={value} is not an executable file",
                                f"fix or unset {name}; otherwise {INSTALL_HINT}")
    return found


def _from_imageio() -> str | None:
    """The static ffmpeg shipped by ``imageio-ffmpeg``, when that package is installed."""
    try:
        import imageio_ffmpeg  # optional: looked up only as a last resort
    except ImportError:
        return None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:
        return None


def find_tools(env: Mapping[str, str] | None = None) -> Tools:
    """Locate ffmpeg and ffprobe (see the module docstring for the order). Starts no process
    unless the imageio-ffmpeg fallback is reached (it checks its binary once per Python process)."""
    env = os.environ if env is None else env
    path = env.get("PATH")
    ffmpeg = _from_env("FFMPEG", env) or shutil.which("ffmpeg", path=path) or _from_imageio()
    if ffmpeg is None:
        raise ToolNotFoundError(None, "ffmpeg was not found (FFMPEG, PATH, imageio-ffmpeg)", INSTALL_HINT)
    ffprobe = _from_env("FFPROBE", env)
    if ffprobe is None:
        beside = Path(ffmpeg).with_name("ffprobe")
        ffprobe = str(beside) if _executable(str(beside)) else shutil.which("ffprobe", path=path)
    return Tools(ffmpeg=ffmpeg, ffprobe=ffprobe)


def version_from_output(text: str) -> str:
    """``ffmpeg -version`` output → ``"<first line> #<hash of the whole text>"``.

    The first line names the ffmpeg release; the hash also covers the library versions and the
    build configuration, so an upgraded libavcodec gives a new cache key too.
    """
    first = text.strip().splitlines()[0] if text.strip() else "unknown"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return f"{first} #{digest}"


def _stat_key(path: str) -> str:
    real = os.path.realpath(path)
    st = os.stat(real)
    return f"{real}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}"


def encoder_version(ffmpeg: str, memo: Path | None = None) -> str:
    """The version of ``ffmpeg`` for the cache key (see :func:`version_from_output`).

    With ``memo`` (a JSON file, e.g. in the cache folder), the answer is remembered per binary
    (real path, size, mtime, inode), so a rebuild from the cache starts no process at all.
    """
    key = _stat_key(ffmpeg)
    known: dict[str, str] = {}
    if memo is not None and memo.is_file():
        try:
            known = json.loads(memo.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        if isinstance(known, dict) and isinstance(known.get(key), str):
            return known[key]
    result = runner.run([ffmpeg, "-hide_banner", "-version"], timeout=60)
    if result.returncode != 0:
        raise ToolNotFoundError(None, f"'{ffmpeg} -version' failed (exit {result.returncode})", INSTALL_HINT)
    version = version_from_output(result.stdout)
    if memo is not None:
        known = known if isinstance(known, dict) else {}
        known[key] = version
        atomic_write_text(memo, json.dumps(known, indent=1, sort_keys=True))
    return version
