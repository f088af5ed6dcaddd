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
    _, diagnostics = check(root / args.manual_dir, languages=tuple(args.languages.split(",")),
                           root=root, today=today, strict=args.strict)
    if args.format == "json":
        print(format_json(diagnostics))
    elif diagnostics:
        print(format_report(diagnostics), file=sys.stderr)
    else:
        print("manual OK: no problems found")
    return 1 if has_errors(diagnostics) else 0


def _cmd_build(args: argparse.Namespace) -> int:
    from .adapters.build import build_site  # MkDocs is only imported when building

    return build_site(Path(args.config_file), strict=args.strict, site_dir=args.site_dir)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="cloudpeds", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    check_cmd = commands.add_parser("check", help="validate the manual and print every problem")
    check_cmd.add_argument("--project", default=".", help="the project folder (default: .)")
    check_cmd.add_argument("--manual-dir", default="manual", help="the manual's folder inside the project")
    check_cmd.add_argument("--languages", default="zh,en", help="languages, default first (default: zh,en)")
    check_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check_cmd.add_argument("--format", choices=("text", "json"), default="text")
    check_cmd.add_argument("--today", help=argparse.SUPPRESS)
    check_cmd.set_defaults(func=_cmd_check)

    build_cmd = commands.add_parser("build", help="build the site (previous site kept on failure)")
    build_cmd.add_argument("-f", "--config-file", default="mkdocs.yml")
    build_cmd.add_argument("-d", "--site-dir", default=None)
    build_cmd.add_argument("--strict", action="store_true", help="abort on any warning")
    build_cmd.set_defaults(func=_cmd_build)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
