"""The ``cloudpeds`` command: check the manual, build the site."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from .diagnostics import format_report, has_errors
from .manual.validate import check
from .messages import LANG_ENV, LANGUAGES, choose_language
from .messages import format_json as format_json_localized
from .messages import format_report as format_report_localized
from .messages import translate as localized


def _cmd_check(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    today = dt.date.fromisoformat(args.today) if args.today else None
    manual, diagnostics = check(root / args.manual_dir, languages=tuple(args.languages.split(",")),
                                root=root, today=today, strict=args.strict)
    from .content_pages import check_content_pages

    diagnostics = sorted(diagnostics + check_content_pages(root / args.content_dir, root))
    content_dir = root / args.content_dir
    if content_dir.is_dir():
        from .markup.source import check_pages

        diagnostics = sorted(diagnostics + check_pages(content_dir, root))
    editions_file = root / args.manual_dir / "editions.yml"
    if editions_file.exists():
        from .editions.loader import load_editions

        load_editions(editions_file, root, diagnostics)
    courses_dir = root / args.courses_dir
    if courses_dir.is_dir() and any(courses_dir.glob("*.yml")):
        from .courses.loader import load_courses
        from .courses.probing import PROBE_CACHE, make_probe
        from .diagnostics import promote_warnings, warning

        probe, missing = make_probe(root / PROBE_CACHE)
        if probe is None:
            diagnostics.append(warning(args.courses_dir, 1, 1, "", f"the videos were not checked: {missing}"))
        courses, course_problems = load_courses(courses_dir, manual, root=root, probe=probe)
        course_problems += _outdated_questions(root, args, manual, courses)
        diagnostics = sorted(diagnostics + (promote_warnings(course_problems) if args.strict else course_problems))
    diagnostics = sorted(diagnostics + _check_live_sessions(root, courses_dir, manual, strict=args.strict))
    diagnostics = sorted(diagnostics + _member_problems(root, manual, args.strict))
    lang = _lang(args)
    if args.format == "json":
        print(format_json_localized(diagnostics))
    elif diagnostics:
        print(format_report_localized(diagnostics, lang), file=sys.stderr)
    else:
        print(localized("manual and courses OK: no problems found", lang))
    return 1 if has_errors(diagnostics) else 0


def _outdated_questions(root: Path, args: argparse.Namespace, manual, courses) -> list:
    """Warnings for quiz questions whose manual item changed since the newest published edition (the
    lessons' "may be outdated" comparison, `cloudpeds.editions.site`)."""
    editions_file = root / args.manual_dir / "editions.yml"
    if not editions_file.exists() or not any(loaded.course.quiz or any(lesson.quiz for lesson in loaded.course.lessons)
                                             for loaded in courses):
        return []
    from .courses.quiz import outdated_warnings
    from .editions.site import EditionSite

    site = EditionSite.prepare(manual, project=root, editions_file=editions_file,
                               releases_dir=root / args.releases_dir)
    return outdated_warnings(courses, site.changed_items(manual.default_language))


def _check_live_sessions(root: Path, courses_dir: Path, manual, *, strict: bool) -> list:
    """The live sessions (courses/live/*.yml), with the stream hosts allowed in mkdocs.yml."""
    from .courses.site import LIVE_FOLDER, has_sessions

    if not has_sessions(courses_dir):
        return []
    from .courses.live.loader import load_sessions
    from .courses.loader import load_courses
    from .courses.probing import PROBE_CACHE, make_probe
    from .diagnostics import promote_warnings

    probe, _ = make_probe(root / PROBE_CACHE)
    courses, _ = load_courses(courses_dir, manual, root=root)
    _, problems = load_sessions(courses_dir / LIVE_FOLDER, manual, root=root, probe=probe,
                                allowed_hosts=_allowed_hosts(root / "mkdocs.yml"),
                                lesson_ids={lesson.id for loaded in courses for lesson in loaded.course.lessons})
    return promote_warnings(problems) if strict else problems


def _allowed_hosts(config_file: Path) -> list[str]:
    """``allowed_hosts`` of cloudpeds/delivery in mkdocs.yml (hosts pages may load from: live streams)."""
    from .project_config import plugin_options, read_config

    return [str(host) for host in plugin_options(read_config(config_file), "cloudpeds/delivery").get("allowed_hosts")
            or []]


def _member_problems(root: Path, manual, strict: bool) -> list:
    """The members' site files (sites/*.yml) checked against the manual."""
    from .members.loader import SITES_DIR, check_members

    if not (root / SITES_DIR).is_dir():
        return []
    _, problems = check_members(root / SITES_DIR, manual, root)
    if strict:
        from .diagnostics import promote_warnings

        problems = promote_warnings(problems)
    return problems


def _lang(args: argparse.Namespace) -> str:
    """The messages' language: ``--lang``, else the environment (``cloudpeds.messages.language_from_env``).
    Set in the environment too, so the MkDocs plugins of a build report in the same language."""
    import os

    lang = choose_language(getattr(args, "lang", None))
    os.environ[LANG_ENV] = lang
    return lang


def _use_engine(engine: str, lang: str) -> bool:
    """Make ``engine`` the host of the build: for ProperDocs, every later ``mkdocs.*`` import (ours, Material's)
    is answered by ``properdocs.*``, as ``properdocs build`` does. False (and a message) if it is not installed."""
    if engine == "properdocs":
        try:
            import properdocs.replacement  # noqa: F401
        except ImportError:
            print(localized("cloudpeds build: ProperDocs is not installed; to fix it, run "
                            "`pip install properdocs` or build with --engine mkdocs", lang),
                  file=sys.stderr)
            return False
    return True


def _cmd_build(args: argparse.Namespace) -> int:
    if not _use_engine(getattr(args, "engine", "mkdocs"), _lang(args)):
        return 1
    from .adapters.build import build_site  # MkDocs is only imported when building

    if args.site:
        from .adapters.members import build_members

        targets = {args.site: Path(args.site_dir)} if args.site_dir and args.site != "all" else None
        return build_members(Path(args.config_file), args.site, strict=args.strict, profile=args.profile,
                             targets=targets, generic_dir=args.site_dir if args.site == "all" else None)
    site_dir = args.site_dir or ("site-offline" if args.profile == "offline" else None)
    return build_site(Path(args.config_file), strict=args.strict, site_dir=site_dir, profile=args.profile)


def _cmd_bundle(args: argparse.Namespace) -> int:
    import tempfile

    from .delivery.bundle import verify_bundle, write_bundle

    if args.verify:
        problems = verify_bundle(Path(args.verify))
        for problem in problems:
            print(f"{args.verify}: {problem}", file=sys.stderr)
        if not problems:
            print(f"{args.verify}: OK, every file matches the manifest")
        return 1 if problems else 0
    from .adapters.build import build_site

    if args.site == "all":
        print(localized("cloudpeds bundle: --site takes one member's id (a bundle holds one site)",
                        choose_language(None)), file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="cloudpeds-bundle-") as tmp:
        site = Path(tmp) / "site"
        if args.site:
            from .adapters.members import build_members

            status = build_members(Path(args.config_file), args.site, profile="offline", targets={args.site: site})
        else:
            status = build_site(Path(args.config_file), site_dir=str(site), profile="offline")
        if status:
            return status
        from .delivery.offline import drop_streaming

        drop_streaming(site)
        edition, edition_date = _working_edition(Path(args.config_file))
        date = dt.date.fromisoformat(args.date) if args.date else edition_date or dt.date.today()
        edition = args.edition or edition or "draft"
        # A member's bundle is named by member and edition: cloudpeds-<member>-<edition>-offline.zip.
        out_name = args.out or (f"cloudpeds-{args.site}-{edition}-offline.zip" if args.site
                                else "cloudpeds-offline.zip")
        out = write_bundle(site, Path(out_name), edition, date, member=args.site)
    print(f"Wrote {out}: open it on any computer or phone, no network needed "
          f"(check it with: cloudpeds bundle --verify {out})")
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    """Build the working copy as edition VERSION into the releases folder (never over a published one)."""
    import os

    from .editions.publish import PublishError, publish
    from .editions.releases import VERSIONS_FILE

    config_file = Path(args.config_file).resolve()
    project = config_file.parent
    manual_dir, releases = _edition_paths(config_file)
    _lang(args)
    if args.site == "all":
        print(localized("cloudpeds publish: --site takes one member's id (publish each member in turn)", _lang(args)),
              file=sys.stderr)
        return 1

    def build(folder: Path) -> int:
        from .adapters.build import build_site
        from .adapters.manual_plugin import RELEASE_ENV

        os.environ[RELEASE_ENV] = args.version  # the release build gets Material's version selector
        try:
            if args.site:
                from .adapters.members import build_members

                return build_members(config_file, args.site, strict=not args.allow_warnings,
                                     targets={args.site: folder})
            return build_site(config_file, strict=not args.allow_warnings, site_dir=str(folder))
        finally:
            os.environ.pop(RELEASE_ENV, None)

    releases_dir = Path(args.releases_dir).resolve() if args.releases_dir else project / releases
    if args.site and not args.releases_dir:
        releases_dir = releases_dir / args.site  # a member's editions: releases/<member>/<edition>/
    try:
        done = publish(project=project, version=args.version, editions_file=project / manual_dir / "editions.yml",
                       releases_dir=releases_dir, build=build)
    except (PublishError, OSError) as exc:  # OSError: e.g. releases/latest is a folder, not the alias
        print(f"cloudpeds publish: {localized(str(exc), _lang(args))}", file=sys.stderr)
        return 1
    listed = ", ".join(f"{e.version}{' (latest)' if i == 0 else ''}" for i, e in enumerate(done.editions))
    lang = _lang(args)
    print("\n".join(localized(line, lang) for line in (
        f"Published {done.edition.title()} into {done.folder}/", f"{releases_dir / VERSIONS_FILE}: {listed}",
        f"Serve {releases_dir}/ as it is: its index.html opens the latest edition.")))
    return 0


def _cmd_fhir(args: argparse.Namespace) -> int:
    """The clinical logic as FHIR R4B resources (CPG-on-FHIR), one folder and one Bundle per edition and language."""
    from .formats.fhir import write_fhir
    from .formats.project import load_project

    lang = _lang(args)
    project = load_project(Path(args.config_file))
    if not project.ok:
        print(format_report_localized(project.diagnostics, lang), file=sys.stderr)
        return 1
    site_url = args.site_url or project.site_url
    if not site_url:
        print(localized(f"{args.config_file}: site_url is not set, and FHIR canonical URLs are built from it; "
                        "set site_url in mkdocs.yml or pass --site-url https://…", lang), file=sys.stderr)
        return 1
    languages = project.manual.languages if args.content_lang == "all" else (args.content_lang,)
    written = write_fhir(project.manual, Path(args.out), site_url=site_url, edition=project.edition,
                         languages=languages)
    bundles = [path for path in written if path.name == "bundle.json"]
    print(localized(f"Wrote {len(written)} FHIR files into {args.out}/{project.edition.version}/ "
                    f"(bundles: {', '.join(str(b) for b in bundles)})", lang))
    return 0


def _cmd_zim(args: argparse.Namespace) -> int:
    """The offline site as a ZIM file for Kiwix."""
    from .formats.zim_command import run_zim

    lang = _lang(args)
    return run_zim(Path(args.config_file), out=args.out, lang=args.content_lang, with_video=args.with_video,
                   site_id=args.site, creator=args.creator, publisher=args.publisher,
                   say=lambda text: print(localized(text, lang)),
                   complain=lambda text: print(localized(text, lang), file=sys.stderr))


def _working_edition(config_file: Path) -> tuple[str | None, dt.date | None]:
    """The version and date of the edition the working copy is built as (the last in editions.yml), so a
    bundle made twice from the same sources is the same file; (None, None) without editions."""
    from .editions.loader import load_editions

    manual_dir, _ = _edition_paths(config_file)
    project = config_file.resolve().parent
    editions_file = project / manual_dir / "editions.yml"
    if not editions_file.exists():
        return None, None
    loaded = load_editions(editions_file, project, [])
    if loaded is None:
        return None, None
    return loaded.editions.working.version, loaded.editions.working.date


def _edition_paths(config_file: Path) -> tuple[str, str]:
    """The manual folder and releases folder set for cloudpeds/manual in mkdocs.yml (or the defaults)."""
    from .project_config import plugin_options, read_config

    options = plugin_options(read_config(config_file), "cloudpeds/manual")
    return options.get("manual_dir", "manual"), options.get("releases_dir", "releases")


def _cmd_new(args: argparse.Namespace) -> int:
    """Scaffold a chapter (both languages) or a course with every required field, commented."""
    from .scaffold import ScaffoldError, new_chapter, new_course

    root = Path(args.project).resolve()
    try:
        if args.kind == "chapter":
            from .manual.loader import load_manual

            groups = [group.id for group in load_manual(root / args.manual_dir, root=root).manual.groups]
            written = new_chapter(root / args.manual_dir, args.slug, groups=groups)
        else:
            written = new_course(root / args.courses_dir, args.slug)
    except (ScaffoldError, OSError) as exc:
        print(f"cloudpeds new: {localized(str(exc), _lang(args))}", file=sys.stderr)
        return 1
    lang = _lang(args)
    for path in written.paths:
        print(localized(f"Wrote {path.relative_to(root)}", lang))
    if args.kind == "chapter":
        print(localized("Fill in every 【待填写】 / [TO FILL IN], set the status, then run `cloudpeds check`; "
              "preview with `make serve`.\n"
              "Write the Chinese file first; then `cloudpeds translate " + args.slug + "` fills the English file's "
              "numbers and ids and marks its texts [to translate].", lang))
    else:
        print(localized("Put each lesson's video where `source` says, fill in the placeholders, then run "
                        "`cloudpeds check`.", lang))
    return 0


def _cmd_translate(args: argparse.Namespace) -> int:
    """Write or update a chapter's English file from the Chinese one: numbers and ids copied, texts kept
    or marked [to translate]."""
    from .translate import TranslateError, translate_chapter

    root = Path(args.project).resolve()
    try:
        result = translate_chapter(root / args.manual_dir / "chapters", args.chapter,
                                   source=args.source, target=args.target)
    except TranslateError as exc:
        print(f"cloudpeds translate: {localized(str(exc), _lang(args))}", file=sys.stderr)
        return 1
    shown = result.path.relative_to(root) if result.path.is_relative_to(root) else result.path
    lang = _lang(args)
    print(localized(f"{'Wrote' if result.created else 'Updated'} {shown}: every number, id and code copied from the "
                    f"{args.source} version; {result.kept} text(s) kept, {result.marked} marked [to translate].", lang))
    if result.marked:
        print(localized("Translate each marked text and delete the mark. Until then `cloudpeds check` warns, the page "
                        "shows a notice, and `--strict` and `publish` refuse it.", lang))
    return 0


def _cmd_media(args: argparse.Namespace) -> int:
    """Transcode every lesson ahead of a build (the build then finds them in the cache)."""
    from .courses.loader import load_courses
    from .media.errors import MediaError
    from .media.ladder import Ladder
    from .media.pipeline import build_lessons
    from .media.progress import ProgressPrinter
    from .media.tools import find_tools

    root = Path(args.project).resolve()
    manual, diagnostics = check(root / "manual", root=root)
    courses, course_problems = load_courses(root / args.courses_dir, manual, root=root)
    problems = [d for d in diagnostics + course_problems if d.severity.value == "error"]
    if problems:
        print(format_report(problems), file=sys.stderr)
        return 1
    sources = [path for loaded in courses for path in loaded.sources.values()]
    try:
        tools = find_tools()
    except MediaError as exc:
        print(exc.format(), file=sys.stderr)
        return 1
    result = build_lessons(sources, project_root=root, cache_dir=root / args.cache_dir, ladder=Ladder(),
                           jobs=args.jobs, on_progress=ProgressPrinter(), dry_run=args.dry_run, tools=tools)
    for entry in result.media:
        print(f"{entry.status:>7}  {entry.source.relative_to(root)}  →  {entry.directory}")
    for failure in result.errors:
        print(failure.format(), file=sys.stderr)
    return 1 if result.errors else 0


def _cmd_nginx_config(args: argparse.Namespace) -> int:
    from .delivery.nginx_conf import render_nginx_conf

    csp = None
    releases = False
    if args.site:
        from .delivery.policy import csp_for_site

        site = Path(args.site)
        releases = (site / "versions.json").is_file()
        if not (site / "index.html").is_file():
            print(f"cloudpeds nginx-config: {site}/index.html not found: build the site first "
                  "(cloudpeds build), then pass its folder with --site", file=sys.stderr)
            return 1
        from .delivery.postbuild import media_origins

        # A releases folder: the scripts of every edition in it; the hosts pages may load from (live streams,
        # a video CDN) from mkdocs.yml's cloudpeds/delivery `allowed_hosts`, as the build's own _headers has them.
        csp = csp_for_site(site, media_origins(_allowed_hosts(Path("mkdocs.yml"))))
        beside = site.resolve().parent / "releases" / "versions.json"
        if not releases and beside.is_file():
            print(f"cloudpeds nginx-config: note: {site} is the working copy; to host the published editions, "
                  f"pass --site {beside.parent} and --root where that folder is on the server", file=sys.stderr)
    sys.stdout.write(render_nginx_conf(args.root, csp=csp, base_path=args.base_path, listen=args.listen,
                                       server_name=args.server_name, releases=releases, brotli=args.brotli))
    return 0


def _cmd_pdf(args: argparse.Namespace) -> int:
    """The print editions (cloudpeds.paper): pocket, full manual, wall charts, parent handouts."""
    from .paper.command import run

    args.message_lang = _lang(args)
    return run(args)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="cloudpeds", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    check_cmd = commands.add_parser("check", help="validate the manual and print every problem")
    check_cmd.add_argument("--project", default=".", help="the project folder (default: .)")
    check_cmd.add_argument("--manual-dir", default="manual", help="the manual's folder inside the project")
    check_cmd.add_argument("--courses-dir", default="courses", help="the courses' folder inside the project")
    check_cmd.add_argument("--releases-dir", default="releases",
                           help="published editions: quiz questions whose item changed since the newest are flagged")
    check_cmd.add_argument("--content-dir", default="content",
                           help="the other pages' folder inside the project (mkdocs.yml's docs_dir)")
    check_cmd.add_argument("--languages", default="zh,en", help="languages, default first (default: zh,en)")
    check_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check_cmd.add_argument("--format", choices=("text", "json"), default="text")
    check_cmd.add_argument("--today", help=argparse.SUPPRESS)
    check_cmd.set_defaults(func=_cmd_check)

    build_cmd = commands.add_parser("build", help="build the site (previous site kept on failure)")
    build_cmd.add_argument("-f", "--config-file", default="mkdocs.yml")
    build_cmd.add_argument("-d", "--site-dir", default=None)
    build_cmd.add_argument("--strict", action="store_true", help="abort on any warning")
    build_cmd.add_argument("--profile", choices=("cdn", "offline"), default="cdn",
                           help="cdn: for a web server (default); offline: plain .html links that work from "
                                "file:// (into site-offline/ unless -d is given)")
    build_cmd.add_argument("--engine", choices=("mkdocs", "properdocs"), default="mkdocs",
                           help="the host engine: MkDocs 1.x (default) or ProperDocs 1.6, its continuation "
                                "(same output; see README 'Host engine')")
    build_cmd.add_argument("--site", metavar="ID", default=None,
                           help="a consortium member's site (sites/ID.yml) into site-ID/, or `all`: every member "
                                "and the generic site, from one build of the manual")
    build_cmd.set_defaults(func=_cmd_build)

    bundle_cmd = commands.add_parser("bundle", help="write the offline site as a zip with a checksum manifest")
    bundle_cmd.add_argument("-f", "--config-file", default="mkdocs.yml")
    bundle_cmd.add_argument("--out", default=None, help="the zip to write (default: cloudpeds-offline.zip, "
                            "with --site: cloudpeds-ID-EDITION-offline.zip)")
    bundle_cmd.add_argument("--site", metavar="ID", default=None, help="the offline site of member ID (sites/ID.yml)")
    bundle_cmd.add_argument("--edition", default=None,
                            help="the edition named in the manifest (default: the last in manual/editions.yml)")
    bundle_cmd.add_argument("--date", help="the build date in the manifest and zip (default: the edition's date)")
    bundle_cmd.add_argument("--verify", metavar="FILE", help="check a bundle against its manifest instead")
    bundle_cmd.set_defaults(func=_cmd_bundle)

    publish_cmd = commands.add_parser("publish", help="build the working copy as an edition into the releases "
                                      "folder (a published edition is never overwritten)")
    publish_cmd.add_argument("version", metavar="EDITION", help="the edition's version in manual/editions.yml")
    publish_cmd.add_argument("-f", "--config-file", default="mkdocs.yml")
    publish_cmd.add_argument("--releases-dir", default=None,
                             help="the releases folder (default: releases_dir of cloudpeds/manual, releases/)")
    publish_cmd.add_argument("--allow-warnings", action="store_true",
                             help="publish even if the build warns (default: any warning stops the publish)")
    publish_cmd.add_argument("--site", metavar="ID", default=None,
                             help="publish member ID's site (sites/ID.yml) into releases/ID/EDITION/")
    publish_cmd.set_defaults(func=_cmd_publish)

    new_cmd = commands.add_parser("new", help="write a new chapter or course with every required field")
    new_cmd.add_argument("kind", choices=("chapter", "course"))
    new_cmd.add_argument("slug", metavar="SLUG", help="the new id, e.g. sore-throat")
    new_cmd.add_argument("--project", default=".", help="the project folder (default: .)")
    new_cmd.add_argument("--manual-dir", default="manual")
    new_cmd.add_argument("--courses-dir", default="courses")
    new_cmd.set_defaults(func=_cmd_new)

    translate_cmd = commands.add_parser("translate", help="write or update a chapter's English file from the "
                                        "Chinese one (numbers and ids copied, texts marked [to translate])")
    translate_cmd.add_argument("chapter", metavar="CHAPTER", help="the chapter id, e.g. headache")
    translate_cmd.add_argument("--project", default=".", help="the project folder (default: .)")
    translate_cmd.add_argument("--manual-dir", default="manual")
    translate_cmd.add_argument("--source", default="zh", help="the language written first (default: zh)")
    translate_cmd.add_argument("--target", default="en", help="the language to update (default: en)")
    translate_cmd.set_defaults(func=_cmd_translate)

    for cmd in (check_cmd, build_cmd, publish_cmd, new_cmd, translate_cmd):
        cmd.add_argument("--lang", choices=LANGUAGES, default=None,
                         help=f"language of the messages (default: ${LANG_ENV}, else zh when LC_ALL, LC_MESSAGES or "
                              "LANG starts with zh, else en)")

    pdf_cmd = commands.add_parser("pdf", help="write the print editions as PDF: pocket (A6), full manual (A4), "
                                  "wall charts (A4), parent handouts (A5)")
    pdf_cmd.add_argument("-f", "--config-file", default="mkdocs.yml")
    pdf_cmd.add_argument("--lang", dest="pdf_lang", choices=("zh", "en", "all"), default="all",
                         help="the language of the PDFs (default: all)")
    pdf_cmd.add_argument("--kind", choices=("pocket", "full", "wall", "handout", "all"), default="all")
    pdf_cmd.add_argument("--site", metavar="ID", default=None,
                         help="a consortium member (sites/ID.yml): its referral routes and phone numbers")
    pdf_cmd.add_argument("--chapter", action="append", default=[], metavar="ID",
                         help="only this chapter's wall chart or handout, in a file of its own (repeatable)")
    pdf_cmd.add_argument("--out", default="pdf", help="the folder to write into (default: pdf/)")
    pdf_cmd.add_argument("--site-url", default=None,
                         help="the address the site is served at, for the handouts' QR codes (default: site_url)")
    pdf_cmd.add_argument("--messages", dest="lang", choices=LANGUAGES, default=None,
                         help="language of the messages (default as for the other commands)")
    pdf_cmd.set_defaults(func=_cmd_pdf)

    media_cmd = commands.add_parser("media", help="transcode the video lessons ahead of a build")
    media_cmd.add_argument("--project", default=".", help="the project folder (default: .)")
    media_cmd.add_argument("--courses-dir", default="courses")
    media_cmd.add_argument("--cache-dir", default=".cache/media")
    media_cmd.add_argument("-j", "--jobs", type=int, default=2, help="lessons transcoded at once (default: 2)")
    media_cmd.add_argument("--dry-run", action="store_true", help="print the ffmpeg commands, run nothing")
    media_cmd.set_defaults(func=_cmd_media)

    from .clinical.assess import add_parser as add_assess_parser

    add_assess_parser(commands)

    fhir_cmd = commands.add_parser("fhir", help="write the clinical logic as FHIR resources (PlanDefinition, "
                                   "ActivityDefinition, Citation; one Bundle per edition and language)")
    fhir_cmd.add_argument("-f", "--config-file", default="mkdocs.yml")
    fhir_cmd.add_argument("--out", default="fhir", help="the folder to write into (default: fhir/)")
    fhir_cmd.add_argument("--lang", dest="content_lang", choices=("zh", "en", "all"), default="all",
                          help="which language(s) of the manual")
    fhir_cmd.add_argument("--site-url", help="the base of the canonical URLs (default: site_url of mkdocs.yml)")
    fhir_cmd.set_defaults(func=_cmd_fhir)

    zim_cmd = commands.add_parser("zim", help="write the offline site as a ZIM file for Kiwix")
    zim_cmd.add_argument("-f", "--config-file", default="mkdocs.yml")
    zim_cmd.add_argument("--out", help="the .zim to write (default: cloudpeds_<lang>_all_<flavour>_<YYYY-MM>.zim)")
    zim_cmd.add_argument("--lang", dest="content_lang", choices=("zh", "en", "all"), default="all",
                         help="which language(s) of the manual (default: all)")
    zim_cmd.add_argument("--with-video", action="store_true", help="include the lessons' videos (240p)")
    zim_cmd.add_argument("--site", metavar="ID", help="the offline site of consortium member ID (sites/ID.yml)")
    zim_cmd.add_argument("--creator", help="the Creator metadata (default: site_name)")
    zim_cmd.add_argument("--publisher", help="the Publisher metadata (default: site_name)")
    zim_cmd.set_defaults(func=_cmd_zim)

    nginx_cmd = commands.add_parser("nginx-config", help="print an nginx server block for the built site")
    nginx_cmd.add_argument("--root", default="/var/www/cloudpeds", help="where the site's files are on the server")
    nginx_cmd.add_argument("--base-path", default="/", help="the URL path the site lives under (default: /)")
    nginx_cmd.add_argument("--listen", default="80")
    nginx_cmd.add_argument("--server-name", default="_")
    nginx_cmd.add_argument("--site", metavar="DIR", help="the built site: adds its Content-Security-Policy header "
                           "(with the hashes of its inline scripts; regenerate after every build)")
    nginx_cmd.add_argument("--brotli", choices=("fallback", "module", "off"), default="fallback",
                           help="how .br copies are served: 'module' = brotli_static (Debian: "
                           "libnginx-mod-http-brotli-static), 'fallback' = plain nginx (default), 'off' = gzip only")
    nginx_cmd.set_defaults(func=_cmd_nginx_config)
    return root


#: Set to 1 to see the Python traceback of an internal error.
DEBUG_ENV = "CLOUDPEDS_DEBUG"


def main(argv: list[str] | None = None) -> int:
    root = parser()
    args, unknown = root.parse_known_args(argv)
    if unknown:
        if args.command == "assess":  # one line and exit 2, as for every bad assess input
            from .clinical.assess import one_line_error

            one_line_error(f"unknown option {unknown[0]} (see cloudpeds assess --help)")
        root.error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last resort: bad input must have been reported before this point
        return _internal_error(args, exc)


def _internal_error(args: argparse.Namespace, exc: Exception) -> int:
    """One line that says this is cloudpeds' fault, not the editor's; the traceback only on request."""
    import os
    import traceback

    message = (f"internal error ({type(exc).__name__}: {exc}); this is a bug in cloudpeds, not in your files. "
               f"Please report it to the cloudpeds maintainers with the command you ran "
               f"(run it again with {DEBUG_ENV}=1 to see the traceback)")
    if os.environ.get(DEBUG_ENV) == "1":
        traceback.print_exc()
    if getattr(args, "format", None) == "json":
        from .diagnostics import error

        print(format_json_localized([error("", 0, 0, "", message)]))
    print(f"cloudpeds {args.command}: {localized(message, choose_language(getattr(args, 'lang', None)))}",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
