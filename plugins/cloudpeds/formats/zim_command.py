"""`cloudpeds zim`: build the offline site, then pack it into a ZIM file (`formats.zim`)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from .. import links
from ..manual.pages import Layout
from .project import Project, load_project, manual_options, read_config
from .zim import ZimError, ZimMetadata, prepare_media, write_zim

#: Kiwix's limits for the Title and Description metadata.
TITLE_MAX, DESCRIPTION_MAX = 30, 80


def zim_name(languages: tuple[str, ...], all_languages: tuple[str, ...], site_id: str | None) -> str:
    """``cloudpeds_zh_all``, ``cloudpeds_mul_all`` for every language, ``cloudpeds-<member>_zh_all``."""
    lang = languages[0] if len(languages) == 1 else "mul"
    return f"cloudpeds{'-' + site_id if site_id else ''}_{lang}_all"


def synonym_redirects(project: Project, languages: tuple[str, ...]) -> dict[str, list[str]]:
    """Offline page path of each chapter → its synonyms (each becomes a titled redirect in the ZIM)."""
    manual = project.manual
    layout = Layout(tuple(manual.languages), directory_urls=False)
    out: dict[str, list[str]] = {}
    for lang in languages:
        for chapter in manual.in_language(lang):
            page = links.url_of(layout.chapter(lang, chapter.id), directory_urls=False)
            out[page] = list(chapter.meta.synonyms)
    return out


def metadata_for(project: Project, config: dict, languages: tuple[str, ...], *, with_video: bool,
                 site_id: str | None, creator: str | None, publisher: str | None) -> ZimMetadata:
    all_languages = tuple(project.manual.languages)
    descriptions = manual_options(config).get("site_descriptions") or {}
    first = languages[0]
    description = (project.site_description if first == all_languages[0] else descriptions.get(first)) \
        or project.site_description or project.site_name
    edition = project.edition
    label = edition.label.get(first) or edition.version
    tags = ["_category:medicine", "medicine", "pediatrics", "_ftindex:yes", "_pictures:yes",
            f"_videos:{'yes' if with_video else 'no'}", "_details:yes"]
    return ZimMetadata(
        name=zim_name(languages, all_languages, site_id), title=(project.site_name or "cloudpeds")[:TITLE_MAX],
        description=description[:DESCRIPTION_MAX], languages=languages,
        creator=creator or project.site_name or "cloudpeds", publisher=publisher or project.site_name or "cloudpeds",
        date=edition.date or dt.date.today(), tags=";".join(tags), flavour="maxi" if with_video else "novid",
        long_description=f"{project.site_description} — {label}".strip(" —")[:4000])


def build_offline(config_file: Path, site: Path, site_id: str | None) -> int | str:
    """The offline build into ``site`` (a member's site with ``site_id``): 0, a build's exit status, or a message."""
    if site_id:
        try:
            from ..adapters.members import build_members  # consortium member builds (issue 15)
        except ImportError:
            return (f"{config_file}: --site {site_id}: this version cannot build member sites; "
                    "build without --site")
        return build_members(config_file, site_id, profile="offline", targets={site_id: site})
    from ..adapters.build import build_site

    return build_site(config_file, site_dir=str(site), profile="offline")


def run_zim(config_file: Path, *, out: str | None, lang: str, with_video: bool, site_id: str | None,
            creator: str | None = None, publisher: str | None = None,
            say: Callable[[str], None] = print, complain: Callable[[str], None] = print) -> int:
    project = load_project(config_file)
    if not project.ok:
        from ..messages import error_report

        complain(error_report("the manual has errors; no ZIM was written:", project.diagnostics))
        return 1
    all_languages = tuple(project.manual.languages)
    languages = all_languages if lang == "all" else (lang,)
    config = read_config(config_file)
    metadata = metadata_for(project, config, languages, with_video=with_video, site_id=site_id,
                            creator=creator, publisher=publisher)
    target = Path(out or f"{metadata.name}_{metadata.flavour}_{metadata.date:%Y-%m}.zim")
    with tempfile.TemporaryDirectory(prefix="cloudpeds-zim-") as tmp:
        site = Path(tmp) / "site"
        status = build_offline(config_file, site, site_id)
        if isinstance(status, str):
            complain(status)
            return 1
        if status:
            return status
        prepare_media(site, with_video=with_video)
        try:
            counts = write_zim(site, target, metadata=metadata, languages=languages, all_languages=all_languages,
                               site_name=project.site_name, synonyms=synonym_redirects(project, languages))
        except ZimError as error:
            complain(str(error))
            return 1
    size = target.stat().st_size
    say(f"Wrote {target}: {counts['articles']} pages, {counts['entries']} entries, {counts['redirects']} "
        f"redirects, {size / 1e6:.1f} MB (open it in Kiwix, or serve it with: kiwix-serve {target})")
    return 0
