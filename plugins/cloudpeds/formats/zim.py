"""The offline site as a ZIM file for Kiwix (`cloudpeds zim`), written with libzim.

Input is the offline build (``.html`` links, every URL relative; the same as `cloudpeds bundle`), so each page
works as it is inside a ZIM reader: chapters, quick-reference pages, flowcharts (inline SVG), course pages with
posters and captions, search. What a reader of the ZIM cannot use is left out (`select_files`): precompressed
copies, the API JSON, the sitemap, the editors' guide, the other language's pages with ``--lang``. Video is
optional (``with_video``): a lesson keeps only its 240p HLS rung (master playlist rewritten to it); without video
the lesson shows its poster and nothing else of it is stored.

Every HTML page is a front article titled with its ``<title>`` without the site name; each chapter's synonyms
(发烧 → 发热) become redirects with their own titles, so the title index finds a chapter by any of its names.
libzim builds the full-text index (Xapian; CJK text is split by ICU) and the title index.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import mimetypes
import os
import re
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: ISO 639-3 codes for the ZIM ``Language`` metadata.
ISO639_3 = {"zh": "zho", "en": "eng"}
#: Left out of every ZIM: what a reader cannot use or does not need.
SKIP_PREFIXES = ("api/", "guide/editors", "en/guide/editors")
SKIP_SUFFIXES = (".gz", ".br", ".map")
SKIP_NAMES = {"sitemap.xml", "404.html", "_headers", "_redirects", "sw.js", "manifest.webmanifest"}
_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
_RUNG = re.compile(r"^\d+p$")
MIME = {".html": "text/html", ".js": "application/javascript", ".css": "text/css", ".svg": "image/svg+xml",
        ".json": "application/json", ".vtt": "text/vtt", ".m3u8": "application/vnd.apple.mpegurl",
        ".ts": "video/mp2t", ".mp4": "video/mp4", ".webp": "image/webp", ".png": "image/png",
        ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".ico": "image/x-icon", ".woff2": "font/woff2",
        ".webmanifest": "application/manifest+json", ".txt": "text/plain", ".xml": "text/xml"}


class ZimError(RuntimeError):
    """What went wrong, said for the user (``file: what, and what to do``)."""


@dataclass(frozen=True)
class ZimMetadata:
    name: str  # e.g. cloudpeds_zh-en_all
    title: str
    description: str
    languages: tuple[str, ...]
    creator: str
    publisher: str
    date: dt.date
    tags: str
    flavour: str = ""
    long_description: str = ""


def mimetype(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return MIME.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def page_title(text: str, site_name: str) -> str:
    """The page's ``<title>`` without `` - <site name>``."""
    match = _TITLE.search(text)
    title = html.unescape(match.group(1)).strip() if match else ""
    suffix = f" - {site_name}"
    if site_name and title.endswith(suffix) and title != suffix.strip(" -"):
        title = title[: -len(suffix)]
    return re.sub(r"\s+", " ", title)


def prepare_media(site: Path, *, with_video: bool) -> None:
    """Keep only what the ZIM stores of each lesson under ``media/``: posters and captions always; with video, the
    240p rung and a master playlist naming only it (a ZIM reader is not ``file://``, so the player plays HLS); never
    the offline MP4 (360p, and the same lesson a second time)."""
    media = site / "media"
    if not media.is_dir():
        return
    for lesson in sorted(p for p in media.iterdir() if p.is_dir() and p.name != "captions"):
        keep_video = with_video and (lesson / "240p" / "index.m3u8").is_file()
        for rung in [p for p in lesson.iterdir() if p.is_dir() and _RUNG.match(p.name)]:
            if not (keep_video and rung.name == "240p"):
                shutil.rmtree(rung)
        (lesson / "offline.mp4").unlink(missing_ok=True)
        master = lesson / "master.m3u8"
        if keep_video and master.is_file():
            master.write_text(_master_240p(master.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            master.unlink(missing_ok=True)


def _master_240p(text: str) -> str:
    """The master playlist with only its 240p variant."""
    lines = text.splitlines()
    out: list[str] = []
    skip_next = False
    for index, line in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        if line.startswith("#EXT-X-STREAM-INF"):
            uri = lines[index + 1] if index + 1 < len(lines) else ""
            if not uri.startswith("240p/"):
                skip_next = True
                continue
        out.append(line)
    return "\n".join(out) + "\n"


def select_files(site: Path, *, languages: Iterable[str], all_languages: tuple[str, ...]) -> list[str]:
    """The site's files that go into the ZIM (relative paths, sorted)."""
    wanted = set(languages)
    default = all_languages[0]
    others = list(all_languages[1:])
    selected: list[str] = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if rel in SKIP_NAMES or rel.endswith(SKIP_SUFFIXES) or rel.startswith(SKIP_PREFIXES):
            continue
        lang = next((o for o in others if rel.startswith(f"{o}/")), None)
        if rel.endswith(".html") and (lang or default) not in wanted:
            continue
        search_lang = re.match(r"^search/(?:index\.)?([a-z]{2})[./]", rel)
        if search_lang and search_lang.group(1) not in wanted:
            continue
        selected.append(rel)
    return selected


def main_page(languages: tuple[str, ...], all_languages: tuple[str, ...]) -> str:
    first = languages[0]
    return "index.html" if first == all_languages[0] else f"{first}/index.html"


def illustration_png(site: Path, size: int = 48) -> bytes:
    """The site's icon as a ``size``×``size`` PNG (Pillow), from the largest PNG icon the build wrote."""
    from PIL import Image

    candidates = [site / "assets" / "icons" / name for name in ("icon-192.png", "icon-512.png")]
    candidates.append(site / "assets" / "images" / "favicon.png")
    source = next((path for path in candidates if path.is_file()), None)
    if source is None:
        raise ZimError(f"{site}/assets/icons/icon-192.png: no PNG icon in the build for the ZIM illustration; "
                       "build with the cloudpeds/delivery plugin (it writes the app icons)")
    with Image.open(source) as image:
        icon = image.convert("RGBA").resize((size, size), Image.LANCZOS)
        out = io.BytesIO()
        icon.save(out, format="PNG", optimize=True)
        return out.getvalue()


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """libzim's C++ writer prints its progress ("Adding checksum...") on file descriptor 1 whatever
    ``config_verbose`` says: send it to /dev/null while the file is written, so the command's stdout stays ours."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def write_zim(site: Path, out: Path, *, metadata: ZimMetadata, languages: tuple[str, ...],
              all_languages: tuple[str, ...], site_name: str,
              synonyms: dict[str, list[str]] | None = None) -> dict[str, int]:
    """Write ``out`` from the prepared offline ``site``. ``synonyms``: page path → other names of the page (become
    redirects). Returns counts (entries, front articles, redirects)."""
    from libzim.writer import Creator, FileProvider, Hint, Item, StringProvider

    class SiteItem(Item):
        def __init__(self, rel: str, title: str, text: str | None):
            super().__init__()
            self.rel, self.title, self.text = rel, title, text

        def get_path(self) -> str:
            return self.rel

        def get_title(self) -> str:
            return self.title

        def get_mimetype(self) -> str:
            return mimetype(self.rel)

        def get_contentprovider(self):
            if self.text is not None:
                return StringProvider(self.text)
            return FileProvider(str(site / self.rel))

        def get_hints(self):
            front = self.rel.endswith(".html")
            return {Hint.FRONT_ARTICLE: front, Hint.COMPRESS: not self.rel.endswith(
                (".mp4", ".ts", ".webp", ".jpg", ".jpeg", ".png", ".woff2"))}

    files = select_files(site, languages=languages, all_languages=all_languages)
    counts = {"entries": 0, "articles": 0, "redirects": 0}
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    partial.unlink(missing_ok=True)
    language_codes = ",".join(ISO639_3.get(lang, lang) for lang in languages)
    indexing_language = ISO639_3.get(languages[0], languages[0])
    with _quiet_stdout(), Creator(str(partial)).config_verbose(False).config_indexing(True, indexing_language) \
            as creator:
        creator.set_mainpath(main_page(languages, all_languages))
        creator.add_illustration(48, illustration_png(site))
        for key, value in (("Name", metadata.name), ("Title", metadata.title),
                           ("Description", metadata.description), ("Language", language_codes),
                           ("Creator", metadata.creator), ("Publisher", metadata.publisher),
                           ("Date", metadata.date.isoformat()), ("Tags", metadata.tags),
                           ("Flavour", metadata.flavour), ("LongDescription", metadata.long_description),
                           ("Source", "cloudpeds")):
            if value:
                creator.add_metadata(key, value)
        titles: dict[str, str] = {}
        for rel in files:
            text = None
            title = ""
            if rel.endswith(".html"):
                text = (site / rel).read_text(encoding="utf-8")
                title = page_title(text, site_name) or rel
                titles[rel] = title
                counts["articles"] += 1
            creator.add_item(SiteItem(rel, title, text))
            counts["entries"] += 1
        taken = set(titles.values())
        for target, names in (synonyms or {}).items():
            if target not in titles:
                continue
            for name in names:
                if name in taken:
                    continue
                taken.add(name)
                creator.add_redirection(f"names/{name}", name, target, {Hint.FRONT_ARTICLE: True})
                counts["redirects"] += 1
    partial.replace(out)
    return counts
