"""Precompressed ``.gz`` and ``.br`` copies next to the compressible files of a built site.

A server (nginx ``gzip_static`` / ``brotli_static`` or the fallback of `nginx_conf`) then sends the
smaller copy without compressing on every request. Which types are compressible is the policy table's
``compress`` column (HTML, CSS, JS, JSON, SVG, web manifest, playlists, captions, XML, text); images,
fonts, video and archives are already compressed and are never touched. Output is reproducible:
gzip with mtime 0 and no file name in the header, brotli in text mode.

How hard (`levels`): pages get gzip 6 and brotli 5, everything else gzip 9 and brotli 11. Brotli 11 costs
about a second per megabyte: fine for scripts, style sheets and the search index, which are a few
megabytes and mostly the same from one build to the next, but a 500-chapter manual has 200 MB of HTML
(each page carries the navigation), and a changed title changes every page: at quality 11 that was 3½
minutes a build. Quality 5 is 70 times faster and about 12% larger than 11 on our pages (gzip 6 against 9:
1%). Every compressed copy is kept in a cache folder by the SHA-256 of its input and the encoder's
settings and version (``cache_dir``; the build uses ``.cache/precompress``). A cached copy is used only
after it decodes to the input again.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from ..parallel import map_chunked
from .files import VARIANT_SUFFIXES, served_files
from .policy import rule_for

#: Below this size a compressed copy saves less than a packet; nginx serves the original.
MIN_SIZE = 1024


#: (gzip level, brotli quality) for pages, and for everything else.
PAGE_LEVELS = (6, 5)
OTHER_LEVELS = (9, 11)


def levels(rel: str) -> tuple[int, int]:
    """How hard to compress a site file: see the module docstring."""
    return PAGE_LEVELS if rel.lower().endswith(".html") else OTHER_LEVELS


def gzip_bytes(data: bytes, level: int = 9) -> bytes:
    """gzip, timestamp 0, no file name: the same input always gives the same bytes."""
    return gzip.compress(data, compresslevel=level, mtime=0)


def _brotli() -> ModuleType:
    """The ``brotli`` module, imported when first needed (a clear error if it is not installed)."""
    try:
        import brotli
    except ImportError as missing:  # pragma: no cover - depends on the environment
        raise RuntimeError("precompressing to .br needs the 'brotli' package (pip install brotli)") from missing
    return brotli


def brotli_bytes(data: bytes, quality: int = 11) -> bytes:
    """Brotli in text mode. Needs the ``brotli`` package."""
    module = _brotli()
    return module.compress(data, mode=module.MODE_TEXT, quality=quality)


def decompress(path: Path) -> bytes | None:
    """The content of a ``.gz`` or ``.br`` file, or None if it does not decode."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError):
            return None
    try:
        module = _brotli()
    except RuntimeError:
        return None  # cannot check it: treated as stale
    try:
        return module.decompress(data)
    except module.error:
        return None


def should_compress(rel: str, size: int, min_size: int = MIN_SIZE) -> bool:
    """True for a compressible type (policy table) of at least ``min_size`` bytes."""
    return size >= min_size and rule_for(rel).compress


def _encoder_tag(suffix: str, level: int) -> str:
    """The cache folder of an encoder: its settings and library version (a new version may encode differently)."""
    if suffix == ".gz":
        return f"gzip{level}-zlib{zlib.ZLIB_RUNTIME_VERSION}"
    return f"brotli{level}-{getattr(_brotli(), '__version__', 'unknown')}"


def _decodes_to(packed: bytes, suffix: str, data: bytes) -> bool:
    try:
        return (gzip.decompress(packed) if suffix == ".gz" else _brotli().decompress(packed)) == data
    except Exception:  # any decoding error: the cached copy is damaged
        return False


def _cached(cache_dir: Path | None, suffix: str, level: int, encode: Callable[[bytes], bytes], data: bytes,
            key: str = "") -> bytes:
    """``encode(data)``, taken from ``cache_dir`` when an entry there decodes to ``data``, else stored there.
    ``key``: the SHA-256 of ``data`` (hex), if known."""
    if cache_dir is None:
        return encode(data)
    key = key or hashlib.sha256(data).hexdigest()
    path = cache_dir / _encoder_tag(suffix, level) / key[:2] / (key + suffix)
    if path.is_file():
        packed = path.read_bytes()
        if _decodes_to(packed, suffix, data):
            return packed
    packed = encode(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(packed)
    os.replace(temporary, path)  # another build may write the same entry: each write is whole
    return packed


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def precompress(site_dir: Path, *, min_size: int = MIN_SIZE, brotli: bool = True,
                cache_dir: Path | None = None, jobs: int = 1) -> list[str]:
    """Write ``x.gz`` (and ``x.br`` if ``brotli``) next to every compressible file ``x`` of ``min_size`` bytes or
    more, when the copy is smaller than the original; return the written copies' relative paths, sorted.

    An existing copy that this rule would not write is kept only if it still decodes to the file's
    current bytes, and then rewritten with the reproducible encoder (MkDocs' ``sitemap.xml.gz`` carries
    the build time in its gzip header, so two builds on different days would differ); a copy that does
    not decode to the current file is removed, since it would be served instead of a corrected file.
    Running it twice leaves the same tree. ``cache_dir``: see the module docstring. ``jobs``: processes that
    share the files.
    """
    files = [rel for rel in served_files(site_dir) if rule_for(rel).compress]
    compress = functools.partial(_precompress_file, site_dir, min_size=min_size, brotli=brotli, cache_dir=cache_dir)
    return sorted(copy for copies in map_chunked(compress, files, jobs) for copy in copies)


def _precompress_file(site_dir: Path, rel: str, *, min_size: int, brotli: bool, cache_dir: Path | None) -> list[str]:
    """`precompress` for one file: the copies written next to it."""
    written: list[str] = []
    source = site_dir / rel
    size = source.stat().st_size
    data = source.read_bytes()
    key = hashlib.sha256(data).hexdigest() if cache_dir is not None else ""
    gzip_level, brotli_quality = levels(rel)
    encoders = {".gz": (gzip_level, lambda d, n=gzip_level: gzip_bytes(d, n)),
                **({".br": (brotli_quality, lambda d, q=brotli_quality: brotli_bytes(d, q))} if brotli else {})}
    for suffix in VARIANT_SUFFIXES:
        target = source.with_name(source.name + suffix)
        level, encode = encoders.get(suffix, (0, None))
        packed = _cached(cache_dir, suffix, level, encode, data, key) \
            if encode and should_compress(rel, size, min_size) else None
        if packed is not None and len(packed) >= size:
            packed = None  # no gain
        if packed is None and encode and target.is_file() and decompress(target) == data:
            packed = encode(data)  # a valid copy of other origin: same content, reproducible bytes
        if packed is not None:
            _write_if_changed(target, packed)
            written.append(rel + suffix)
        elif target.is_file() and decompress(target) != data:
            target.unlink()
    return written
