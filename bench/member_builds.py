"""Member builds: `cloudpeds build --site all` (every member plus the generic site) against a single build.

    .venv/bin/python bench/member_builds.py [--chapters 500] [--repeat 3] [--seed 1]

In one run:

1. generate a synthetic manual of N bilingual chapters (bench/synthetic_manual.py) into ``--workdir``
   (default bench/out/member-builds-N<N>, git-ignored), and copy the three sample members (sites/*.yml) into it,
   their local notes pointed at the synthetic chapters' items;
2. "single": ``cloudpeds build`` of that project (the generic site, as an operator builds it today);
3. "all": ``cloudpeds build --site all`` of the same project: the generic site and the three members' sites.

Each build is a subprocess; ``--warmup`` untimed runs of each, then ``--repeat`` timed runs, rotating which goes
first; medians of wall-clock time (CPU time, user + sys of the children, in brackets). Site folders are deleted
before every run, outside the timing. Target: all / single <= 2 at N = 500. The timed runs find the caches of the
warm-up runs (.cache/precompress, .cache/service-worker), as an operator's rebuild does. Exit status 0 whatever
the ratio (non-zero only if a build fails).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import synthetic_manual

TARGET = 2.0
BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


def prepare(workdir: Path, chapters: int, seed: int) -> Path:
    project = synthetic_manual.generate(workdir / "project", chapters=chapters, seed=seed)
    sites = project / "sites"
    shutil.rmtree(sites, ignore_errors=True)
    shutil.copytree(REPO / "sites", sites)
    width = max(4, len(str(chapters)))
    first = f"{synthetic_manual.chapter_id(1, width)}-ref-1"
    for path in sites.glob("*.yml"):  # notes on the synthetic manual's items
        text = re.sub(r"(- item: )\S+", rf"\g<1>{first}", path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
    return project


PHASES = re.compile(r"the manual was built once in [\d.]+ s|[a-z0-9-]+: \d+ pages in [\d.]+ s \([^)]*\)")


def run(command: list[str], cwd: Path) -> tuple[float, float, list[str]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CLOUDPEDS_LANG": "en"})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"build failed: {' '.join(command)}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, PHASES.findall(result.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chapters", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    workdir = (args.workdir or BENCH / "out" / f"member-builds-N{args.chapters}").resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    project = prepare(workdir, args.chapters, args.seed)
    cli = [sys.executable, "-m", "cloudpeds.cli"]
    out = workdir / "out"
    commands = {
        "single": [*cli, "build", "-f", str(project / "mkdocs.yml"), "-d", str(out / "single")],
        "all": [*cli, "build", "--site", "all", "-f", str(project / "mkdocs.yml"), "-d", str(out / "all" / "site")],
    }
    members = sorted(p.stem for p in (project / "sites").glob("*.yml"))
    print(f"{args.chapters} chapters × 2 languages, members: {', '.join(members)}; "
          f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
          f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    order = list(commands)
    for round_ in range(args.warmup + args.repeat):
        for name in order:
            shutil.rmtree(out, ignore_errors=True)
            wall, cpu, phases = run(commands[name], project)
            timed = round_ >= args.warmup
            if timed:
                times[name].append((wall, cpu))
            print(f"  {'run' if timed else 'warm-up'} {name:6} {wall:6.1f} s  ({cpu:.1f} CPU-s)"
                  + (f"  [{'; '.join(phases)}]" if phases else ""), flush=True)
        order.reverse()
    medians = {name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
               for name, runs in times.items()}
    ratio = medians["all"][0] / medians["single"][0]
    cpu_ratio = medians["all"][1] / medians["single"][1]
    for name, (wall, cpu) in medians.items():
        print(f"{name:6} median {wall:6.1f} s  ({cpu:.1f} CPU-s)")
    verdict = "within" if ratio <= TARGET else "OVER"
    print(f"--site all ({len(members)} members + generic) / single build: {ratio:.2f}× wall-clock "
          f"({cpu_ratio:.2f}× CPU) — {verdict} the target of ≤ {TARGET:g}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
