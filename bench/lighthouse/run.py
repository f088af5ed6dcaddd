"""Lighthouse 12.2.3 (mobile) on the home page, one chapter and one lesson of the sample site, served by nginx.

Builds the sample site (cdn profile) into a temporary folder, or takes ``--site DIR``; precompresses it and
serves it with nginx, the generated configuration and the site's CSP; runs Lighthouse from
``bench/lighthouse/node_modules`` (``npm ci`` here on first use; not in the root package.json, so CI and
``make test`` never download it) with Debian Chromium; prints the scores, the audits that cost points and
the main metrics; writes each report to ``bench/out/lighthouse-<page>.json``. Exits 1 when a category of a
page scores below the target (0.95), 0 otherwise.

    .venv/bin/python bench/lighthouse/run.py [--site DIR] [--runs N] [--page NAME=URL-PATH ...]

Lighthouse's mobile preset: Moto G Power viewport, simulated slow 4G (150 ms RTT, 1.6 Mbit/s) and 4x CPU
slowdown, computed from one unthrottled load (so a busy machine moves the performance score a little:
``--runs 3`` takes the median of each category).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from served_site import CHROMIUM, CHROMIUM_ARGS, OUT, build_sample_site, say, served  # noqa: E402

VERSION = "12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = 0.95
#: name -> URL path under the site's base. The lesson is the first of the first course (see `_default_pages`).
PAGES = {"home": "", "chapter": "manual/fever/"}
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index", "total-byte-weight")


def lighthouse_bin() -> Path:
    """The pinned Lighthouse, installed with ``npm ci`` from bench/lighthouse/package-lock.json if missing."""
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    package = HERE / "node_modules" / "lighthouse" / "package.json"
    installed = json.loads(package.read_text())["version"] if package.is_file() else None
    if installed != VERSION:
        if not shutil.which("npm"):
            sys.exit("npm is not installed: Lighthouse comes from npm (Node 20: apt-get install nodejs npm)")
        say(f"installing lighthouse {VERSION} (npm ci in {HERE}) ...")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)
    return binary


def _default_pages(site: Path) -> dict[str, str]:
    """home, the fever chapter, and the first lesson page found under courses/ (course/lesson/index.html)."""
    pages = dict(PAGES)
    lessons = sorted(p.parent.relative_to(site).as_posix() + "/"
                     for p in site.glob("courses/*/*/index.html"))
    preferred = "courses/fever-in-the-community/fever-danger-signs/"
    if lessons:
        pages["lesson"] = preferred if preferred in lessons else lessons[0]
    for name, path in pages.items():
        if not (site / path / "index.html").is_file():
            sys.exit(f"{site}: no page {path or '/'} for {name!r}: pass --page {name}=URL-PATH")
    return pages


def run_lighthouse(binary: Path, url: str, report: Path) -> dict:
    """One Lighthouse run (mobile, the four categories); the parsed JSON report, also written to ``report``."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    command = [str(binary), url, "--quiet", "--form-factor=mobile", f"--only-categories={','.join(CATEGORIES)}",
               "--output=json", f"--output-path={report}", f"--chrome-flags={flags}", "--max-wait-for-load=45000"]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
                            check=False, timeout=300)
    if result.returncode != 0 or not report.is_file():
        sys.exit(f"lighthouse failed on {url} (exit {result.returncode}):\n{result.stderr[-3000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    if data.get("runtimeError"):
        sys.exit(f"lighthouse on {url}: {data['runtimeError'].get('message')}")
    return data


def scores(report: dict) -> dict[str, float]:
    return {c: report["categories"][c]["score"] or 0.0 for c in CATEGORIES}


def lost_points(report: dict) -> dict[str, list[str]]:
    """Per category, the weighted audits that did not pass (score < 1), as ``id (value)``.

    For performance only the metrics below 0.9 are named (a metric at 0.97 is not a problem to fix)."""
    audits = report["audits"]
    out: dict[str, list[str]] = {}
    for category in CATEGORIES:
        names = []
        for ref in report["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            score = audit.get("score")
            limit = 0.9 if category == "performance" else 1.0
            if ref.get("weight", 0) > 0 and score is not None and score < limit:
                value = audit.get("displayValue") or ""
                names.append(f"{ref['id']} ({score:.2f}{', ' + value if value else ''})")
        out[category] = names
    return out


def metrics(report: dict) -> str:
    audits = report["audits"]
    return ", ".join(f"{m.replace('-', ' ')} {audits[m].get('displayValue', '?')}" for m in METRICS if m in audits)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="an already-built site (cdn profile); default: build the sample")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median of each category counts")
    parser.add_argument("--page", action="append", default=[], metavar="NAME=URL-PATH",
                        help="measure this page instead of the defaults (repeatable), e.g. chapter=manual/cough/")
    parser.add_argument("--no-csp", action="store_true", help="serve without the Content-Security-Policy header")
    args = parser.parse_args(argv)

    binary = lighthouse_bin()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cloudpeds-lighthouse-") as tmp:
        site = args.site.resolve() if args.site else build_sample_site(Path(tmp) / "site")
        pages = dict(p.split("=", 1) for p in args.page) if args.page else _default_pages(site)
        results: dict[str, tuple[dict[str, float], dict]] = {}
        with served(site, Path(tmp) / "nginx", csp=not args.no_csp) as base:
            for name, path in pages.items():
                runs = []
                for run in range(args.runs):
                    suffix = f"-{run + 1}" if args.runs > 1 else ""
                    report_path = OUT / f"lighthouse-{name}{suffix}.json"
                    started = time.monotonic()
                    say(f"lighthouse {name} /{path} (run {run + 1}/{args.runs}) ...")
                    report = run_lighthouse(binary, base + path, report_path)
                    runs.append(report)
                    say(f"  {time.monotonic() - started:.0f} s: "
                        + ", ".join(f"{c} {s:.2f}" for c, s in scores(report).items()) + f"  → {report_path}")
                median = {c: statistics.median(scores(r)[c] for r in runs) for c in CATEGORIES}
                closest = min(runs, key=lambda r: abs(scores(r)["performance"] - median["performance"]))
                results[name] = (median, closest)

    print(f"\nLighthouse {VERSION}, mobile, target ≥ {TARGET} in every category"
          + (f" (median of {args.runs} runs)" if args.runs > 1 else ""))
    header = f"{'page':<10}" + "".join(f"{c:>16}" for c in CATEGORIES)
    print(header)
    print("-" * len(header))
    missed = []
    for name, (median, _) in results.items():
        cells = []
        for category in CATEGORIES:
            mark = "" if median[category] >= TARGET else " ✗"
            if mark:
                missed.append(f"{name} {category}")
            cells.append(f"{median[category]:.2f}{mark}".rjust(16))
        print(f"{name:<10}" + "".join(cells))
    print()
    for name, (_, report) in results.items():
        print(f"{name} /{pages[name]}: {metrics(report)}")
        for category, audits in lost_points(report).items():
            if audits:
                print(f"  {category}: " + "; ".join(audits))
    print(f"\nreports: {OUT}/lighthouse-*.json (open in https://googlechrome.github.io/lighthouse/viewer/)")
    if missed:
        print(f"MISSED the target: {', '.join(missed)}")
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
