"""``cloudpeds build --site ID|all``: the member sites, from one MkDocs build.

The manual is loaded, checked, rendered and indexed once: MkDocs builds the generic site with a slot at
each place a member's blocks go (``Renderer.member_slots``); just before the delivery step the built pages
are kept aside and the slots are emptied for the generic site. Each member's site is then derived from the
kept pages (`cloudpeds.members.derive`: the slots filled with its banner, routes, notes and doses, its
bedside data), given the delivery step with the same options (the service worker's cache named by member
and edition) and swapped into ``site-ID/`` atomically, like every build.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from mkdocs import config as mkdocs_config
from mkdocs.exceptions import MkDocsException

from .. import output
from ..delivery.postbuild import DeliveryError, finish_site
from ..diagnostics import Diagnostic, Severity
from ..members.derive import derive_site, keep_template, strip_slots
from ..members.loader import SITES_DIR, LoadedMember, check_member, load_members
from ..members.render import MemberBlocks
from ..messages import EditorsWords, format_report, hide_staging, language_from_env, translate
from ..parallel import ChildFailed, default_jobs
from .build import PROFILES, build_once

log = logging.getLogger("cloudpeds.members")
#: ``--site all``: every member and the generic site.
ALL = "all"
#: Where a member build keeps the pages it derives the members' sites from (removed when it ends).
SCRATCH_DIR = ".cache/members"


def member_site_dir(site_dir: Path, member_id: str) -> Path:
    """``site-ID/`` beside the generic site's folder."""
    return site_dir.with_name(f"{site_dir.name}-{member_id}")


def configured_site_dir(config_file: Path, profile: str) -> Path:
    """Where ``cloudpeds build`` puts the generic site: mkdocs.yml's ``site_dir`` (``site``), or ``site-offline``
    for the offline profile when mkdocs.yml does not say."""
    from ..project_config import read_config

    value = read_config(config_file).get("site_dir")
    if not value or (profile == "offline" and value == "site"):
        value = "site-offline" if profile == "offline" else "site"
    return config_file.resolve().parent / str(value)


def _scratch(folder: Path) -> Path:
    """This build's working folder (the kept pages) under .cache/members/<pid>/, beside the project's sites so that
    files can be linked, not copied; those of builds that are no longer running are removed first."""
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.iterdir():
        if leftover.name.isdigit() and not output.process_alive(int(leftover.name)):
            shutil.rmtree(leftover, ignore_errors=True)
    scratch = folder / str(os.getpid())
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    return scratch


def _say(message: str, lang: str) -> None:
    print(translate(message, lang), file=sys.stderr)


def build_members(config_file: Path, site: str, *, strict: bool = False, profile: str = "cdn",
                  targets: dict[str, Path] | None = None, generic_dir: str | None = None,
                  edition_suffix: bool = True) -> int:
    """Build ``site`` (a member id, or ``all``: every member plus the generic site). ``targets``: member id →
    folder (default ``site-ID/`` beside the generic site). Without ``all`` the generic site is built into a
    temporary folder and discarded."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s", stream=sys.stderr)
    lang = language_from_env()
    project = config_file.resolve().parent
    problems: list[Diagnostic] = []
    members = load_members(project / SITES_DIR, project, problems)
    chosen = _choose(members, site, problems, project)
    if any(p.severity is Severity.ERROR for p in problems):
        print(format_report(problems, lang), file=sys.stderr)
        _say("the member site files have errors; nothing was written", lang)
        return 1
    words = EditorsWords(lang)
    for handler in logging.getLogger().handlers:
        handler.addFilter(words)
    scratch = _scratch(config_file.resolve().parent / SCRATCH_DIR)
    try:
        return _build(config_file, chosen, site == ALL, strict=strict, profile=profile, targets=targets or {},
                      generic_dir=generic_dir, scratch=scratch, lang=lang, edition_suffix=edition_suffix)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        for handler in logging.getLogger().handlers:
            handler.removeFilter(words)


def _choose(members: list[LoadedMember], site: str, problems: list[Diagnostic], project: Path) -> list[LoadedMember]:
    if site == ALL:
        if not members:
            problems.append(Diagnostic(SITES_DIR, 0, 0, Severity.ERROR, "", "there are no member site files",
                                       f"write {SITES_DIR}/<id>.yml for each member (see the editor's guide)"))
        return members
    chosen = [m for m in members if m.member.id == site]
    if not chosen and not any(p.path.startswith(f"{SITES_DIR}/{site}.") for p in problems):
        known = ", ".join(m.member.id for m in members) or "none"
        problems.append(Diagnostic(f"{SITES_DIR}/{site}.yml", 0, 0, Severity.ERROR, "",
                                   f"there is no member {site!r} (members: {known})",
                                   f"write {SITES_DIR}/{site}.yml, or use --site all"))
    return chosen


def _build(config_file: Path, chosen: list[LoadedMember], with_generic: bool, *, strict: bool, profile: str,
           targets: dict[str, Path], generic_dir: str | None, scratch: Path, lang: str, edition_suffix: bool) -> int:
    template = scratch / "template"
    options: dict[str, object] = {"strict": True} if strict else {}
    options.update(PROFILES[profile])
    base = Path(generic_dir).resolve() if generic_dir else configured_site_dir(config_file, profile)
    options["site_dir"] = str(base if with_generic else scratch / "generic")
    started = time.perf_counter()
    try:
        cfg = mkdocs_config.load_config(config_file=str(config_file), **options)
        site_dir = Path(cfg.site_dir)
        manual_plugin = cfg.plugins.get("cloudpeds/manual")
        delivery = cfg.plugins.get("cloudpeds/delivery")
        if manual_plugin is None or delivery is None:
            _say(f"{config_file}: member builds need the cloudpeds/manual and cloudpeds/delivery plugins", lang)
            return 1
        noted = frozenset(note.item for loaded in chosen for note in loaded.member.notes)
        manual_plugin.member_slots = noted

        def member_check(manual) -> list[Diagnostic]:
            found: list[Diagnostic] = []
            for loaded in chosen:
                check_member(loaded, manual, found)
            return found
        manual_plugin.member_check = member_check

        def before_delivery(built: Path) -> None:
            keep_template(built, template)
            strip_slots(built, jobs=default_jobs())
        delivery.before_finish = before_delivery
        build_once(cfg)
    except MkDocsException as exc:
        print(f"cloudpeds build: {translate(hide_staging(str(exc)), lang)}", file=sys.stderr)
        return 1
    if with_generic:
        _say(f"Built {hide_staging(str(site_dir))}/", lang)
    log.info(f"the manual was built once in {time.perf_counter() - started:.1f} s; now the member sites")
    renderer, delivery_options = manual_plugin.renderer, delivery.options
    for loaded in chosen:
        member = loaded.member
        target = targets.get(member.id) or member_site_dir(base, member.id)
        started = time.perf_counter()
        staging = output.prepare(target)
        blocks = MemberBlocks(loaded, renderer)
        logo = (loaded.logo_path, blocks.logo_name()) if loaded.logo_path else None
        try:
            pages = derive_site(template, staging, blocks.block, chapter_data=blocks.chapter_data, logo=logo,
                                jobs=delivery_options.jobs)
            derived = time.perf_counter() - started
            edition = f"{member.id}-{delivery_options.edition}" if edition_suffix else delivery_options.edition
            finish_site(staging, dataclasses.replace(delivery_options, edition=edition), log.info)
        except (DeliveryError, ChildFailed, OSError) as exc:
            output.discard(staging)
            print(f"cloudpeds build: {target}: {translate(str(exc), lang)}", file=sys.stderr)
            return 1
        except BaseException:
            output.discard(staging)
            raise
        output.publish(staging, target)
        log.info(f"{member.id}: {pages} pages in {time.perf_counter() - started:.1f} s (derived in {derived:.1f} s)")
        _say(f"Built {hide_staging(str(target))}/ for {member.name.get(lang)}", lang)
    return 0
