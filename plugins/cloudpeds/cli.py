"""The ``cloudpeds`` command: check the manual, build the site."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from .diagnostics import format_json, format_report, has_errors
from .manual.validate import check


def _cmd_check(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    today = dt.date.fromisoformat(args.today) if args.today else None
    manual, diagnostics = check(root / args.manual_dir, languages=tuple(args.languages.split(",")),
                                root=root, today=today, strict=args.strict)
    courses_dir = root / args.courses_dir
    if courses_dir.is_dir() and any(courses_dir.glob("*.yml")):
        from .courses.loader import load_courses
        from .courses.probing import make_probe
        from .diagnostics import promote_warnings, warning

        probe, missing = make_probe()
        if probe is None:
            diagnostics.append(warning(args.courses_dir, 1, 1, "", f"the videos were not checked: {missing}"))
        _, course_problems = load_courses(courses_dir, manual, root=root, probe=probe)
        diagnostics = sorted(diagnostics + (promote_warnings(course_problems) if args.strict else course_problems))
    if args.format == "json":
        print(format_json(diagnostics))
    elif diagnostics:
        print(format_report(diagnostics), file=sys.stderr)
    else:
        print("manual and courses OK: no problems found")
    return 1 if has_errors(diagnostics) else 0


def _cmd_build(args: argparse.Namespace) -> int:
    from .adapters.build import build_site  # MkDocs is only imported when building

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

    with tempfile.TemporaryDirectory(prefix="cloudpeds-bundle-") as tmp:
        site = Path(tmp) / "site"
        status = build_site(Path(args.config_file), site_dir=str(site), profile="offline")
        if status:
            return status
        from .delivery.offline import drop_streaming

        drop_streaming(site)
        date = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
        out = write_bundle(site, Path(args.out), args.edition, date)
    print(f"Wrote {out}: open it on any computer or phone, no network needed "
          f"(check it with: cloudpeds bundle --verify {out})")
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
    if args.site:
        from .delivery.policy import csp_for_site

        site = Path(args.site)
        if not (site / "index.html").is_file():
            print(f"cloudpeds nginx-config: {site}/index.html not found: build the site first "
                  "(cloudpeds build), then pass its folder with --site", file=sys.stderr)
            return 1
        csp = csp_for_site(site)
    sys.stdout.write(render_nginx_conf(args.root, csp=csp, base_path=args.base_path, listen=args.listen,
                                       server_name=args.server_name))
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="cloudpeds", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    check_cmd = commands.add_parser("check", help="validate the manual and print every problem")
    check_cmd.add_argument("--project", default=".", help="the project folder (default: .)")
    check_cmd.add_argument("--manual-dir", default="manual", help="the manual's folder inside the project")
    check_cmd.add_argument("--courses-dir", default="courses", help="the courses' folder inside the project")
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
    build_cmd.set_defaults(func=_cmd_build)

    bundle_cmd = commands.add_parser("bundle", help="write the offline site as a zip with a checksum manifest")
    bundle_cmd.add_argument("-f", "--config-file", default="mkdocs.yml")
    bundle_cmd.add_argument("--out", default="cloudpeds-offline.zip", help="the zip to write")
    bundle_cmd.add_argument("--edition", default="draft", help="the edition named in the manifest")
    bundle_cmd.add_argument("--date", help="the build date in the manifest and zip (default: today)")
    bundle_cmd.add_argument("--verify", metavar="FILE", help="check a bundle against its manifest instead")
    bundle_cmd.set_defaults(func=_cmd_bundle)

    media_cmd = commands.add_parser("media", help="transcode the video lessons ahead of a build")
    media_cmd.add_argument("--project", default=".", help="the project folder (default: .)")
    media_cmd.add_argument("--courses-dir", default="courses")
    media_cmd.add_argument("--cache-dir", default=".cache/media")
    media_cmd.add_argument("-j", "--jobs", type=int, default=2, help="lessons transcoded at once (default: 2)")
    media_cmd.add_argument("--dry-run", action="store_true", help="print the ffmpeg commands, run nothing")
    media_cmd.set_defaults(func=_cmd_media)

    nginx_cmd = commands.add_parser("nginx-config", help="print an nginx server block for the built site")
    nginx_cmd.add_argument("--root", default="/var/www/cloudpeds", help="where the site's files are on the server")
    nginx_cmd.add_argument("--base-path", default="/", help="the URL path the site lives under (default: /)")
    nginx_cmd.add_argument("--listen", default="80")
    nginx_cmd.add_argument("--server-name", default="_")
    nginx_cmd.add_argument("--site", metavar="DIR", help="the built site: adds its Content-Security-Policy header "
                           "(with the hashes of its inline scripts; regenerate after every build)")
    nginx_cmd.set_defaults(func=_cmd_nginx_config)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
