"""``cloudpeds assess CHAPTER --age 20d --weight 3.5 --temperature 38.2 [--finding CODE]… [--format json]``.

One flag per measure of the vocabulary (``--respiratory-rate``, ``--bilirubin 15mg/dL`` …). Bad input is
one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..manual.model import MEASURE_UNITS
from .urgency import BY_ID

USAGE_ERROR = 2


def one_line_error(message: str):
    """argparse's usage error as one line and exit code 2."""
    print(_error_line(message), file=sys.stderr)
    raise SystemExit(USAGE_ERROR)


def _error_line(message: str) -> str:
    """``cloudpeds assess: error: …`` in the editor's language (``cloudpeds.messages``: CLOUDPEDS_LANG, LANG)."""
    from ..messages import language_from_env, translate

    lang = language_from_env()
    return f"cloudpeds assess: {'错误' if lang == 'zh' else 'error'}: {translate(message, lang)}"


def measure_names(project: Path = Path("."), manual_dir: str = "manual") -> list[str]:
    """The measures that get a flag: the vocabulary's (when readable) and the model's."""
    names = set(MEASURE_UNITS)
    try:
        import yaml

        data = yaml.safe_load((project / manual_dir / "findings.yml").read_text(encoding="utf-8"))
        names |= {m["code"] for m in data.get("measures", []) if isinstance(m, dict) and "code" in m}
    except Exception:  # the flags fall back to the model's measures; `check` reports the file
        pass
    return sorted(names - {"age", "weight"})


def add_parser(commands) -> None:
    cmd = commands.add_parser("assess", help="evaluate a chapter's data for one child: signs, triage, urgency, "
                                             "referral, flowchart path, doses")
    cmd.error = one_line_error
    cmd.add_argument("chapter", metavar="CHAPTER", help="the chapter id, e.g. fever")
    cmd.add_argument("--age", required=True, help="age with a unit: 40h, 20d, 6w, 4mo, 3y")
    cmd.add_argument("--weight", help="kg (3.5) or with a unit (3500g)")
    for name in measure_names():
        cmd.add_argument(f"--{name.replace('_', '-')}", dest=f"measure_{name}", metavar="VALUE",
                         help=f"{name.replace('_', ' ')}, in the vocabulary's default unit or with a unit suffix")
    cmd.add_argument("--finding", action="append", default=[], metavar="CODE",
                     help="a finding code of manual/findings.yml (repeat the flag for more)")
    cmd.add_argument("--format", choices=("text", "json"), default="text")
    cmd.add_argument("--lang", default=None, help="the chapter's language version (default: the first)")
    cmd.add_argument("--project", default=".", help="the project folder (default: .)")
    cmd.add_argument("--manual-dir", default="manual")
    cmd.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        result, chapter = assess(args)
    except AssessError as exc:
        print(_error_line(str(exc)), file=sys.stderr)
        return USAGE_ERROR
    text = (json.dumps(result.as_dict(), ensure_ascii=False, indent=2) if args.format == "json"
            else format_text(result, chapter, args.lang or "zh"))
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `cloudpeds assess … | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


class AssessError(Exception):
    pass


def assess(args: argparse.Namespace):
    from ..manual.loader import load_manual
    from .cases import in_range
    from .data import load_clinical
    from .evaluate import Child, chapter_graph, evaluate
    from .findings import BadValue

    root = Path(args.project).resolve()
    manual_dir = root / args.manual_dir
    problems: list = []
    loaded = load_manual(manual_dir, root=root)
    data = load_clinical(manual_dir, root, problems)
    manual = loaded.manual
    if data.vocabulary is None:
        raise AssessError(f"{args.manual_dir}/findings.yml is missing or has errors (run `cloudpeds check`)")
    lang = args.lang or manual.default_language
    chapter = manual.chapter(lang, args.chapter)
    if chapter is None:
        known = sorted(manual.chapters.get(lang, {}))
        raise AssessError(f"there is no chapter {args.chapter!r} in {lang}; chapters: {', '.join(known)}")
    vocabulary = data.vocabulary
    try:
        age = vocabulary.parse_value("age", args.age)
        weight = vocabulary.parse_value("weight", args.weight) if args.weight is not None else None
        measures = {}
        for key, value in vars(args).items():
            if key.startswith("measure_") and value is not None:
                name = key[len("measure_"):]
                if name not in vocabulary.measures:
                    raise BadValue(f"--{name.replace('_', '-')}: {name} is not a measure of the vocabulary")
                measures[name] = vocabulary.parse_value(name, value)
    except BadValue as exc:
        raise AssessError(str(exc)) from None
    unknown = [code for code in args.finding if code not in vocabulary.findings]
    if unknown:
        raise AssessError(f"unknown finding {unknown[0]!r} (codes are listed in {args.manual_dir}/findings.yml)")
    band = chapter.meta.age_range
    if not in_range(band, age):
        raise AssessError(f"age {args.age} is outside the {args.chapter} chapter's age range {band}")
    child = Child(age, weight, measures, frozenset(args.finding))
    return evaluate(chapter.meta, chapter_graph(chapter), vocabulary, child), chapter


def format_text(result, chapter, lang: str) -> str:
    level = BY_ID.get(result.urgency) if result.urgency else None
    lines = [
        f"chapter:   {chapter.id}",
        f"triage:    {result.triage}",
        f"urgency:   {level.shape + ' ' + level.word['en'] + ' (' + level.id + ')' if level else 'none'}",
        f"referral:  {result.referral or 'none'}",
        f"signs:     {', '.join(result.signs) or 'none'}",
        f"path:      {' → '.join(result.path) or '(no flowchart)'}",
    ]
    for dose in result.doses:
        capped = " (capped at the maximum)" if dose.capped else ""
        lines.append(f"dose:      {dose.id}: {dose.drug} {dose.amount:g} {dose.unit}{capped}")
    if result.unevaluated:
        lines.append(f"not evaluable (no findings or thresholds in the data): {', '.join(result.unevaluated)}")
    return "\n".join(lines)
