"""The full manual's PDF at N synthetic chapters: `cloudpeds pdf --kind full` time, pages and peak memory.

    .venv/bin/python bench/pdf_speed.py [--chapters 500] [--lang zh] [--seed 1]

In one run:

1. baseline: the sample manual's full PDF (10 chapters) in the same language, in a fresh subprocess;
2. generate a synthetic manual of N bilingual chapters (bench/synthetic_manual.py) into ``--workdir`` (default
   bench/out/pdf-speed-N<N>, git-ignored) and write its full PDF the same way.

Prints the time, pages and peak memory (max RSS) of each, the seconds per chapter and the ratio of the two per-chapter
times (does the cost per chapter grow with the manual?). Exit status 0 whatever the times (a benchmark, not a test),
unless a run fails.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import synthetic_manual

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

RUN = """
import contextlib, io, json, resource, sys, time
from pathlib import Path
from cloudpeds.cli import main
config, out, lang = sys.argv[1:4]
start = time.perf_counter()
err = io.StringIO()
with contextlib.redirect_stderr(err):
    status = main(["pdf", "-f", config, "--out", out, "--lang", lang, "--kind", "full"])
usage = resource.getrusage(resource.RUSAGE_SELF)
pdf = next(Path(out).glob("*-full.pdf"), None)
pages = 0
if pdf is not None:
    import subprocess
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
print(json.dumps({"status": status, "wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime,
                  "max_rss_mb": usage.ru_maxrss / 1024, "pages": pages,
                  "problems": [line for line in err.getvalue().splitlines() if "error" in line][:5]}))
"""


def measure(config: Path, out: Path, lang: str) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", RUN, str(config), str(out), lang], capture_output=True, text=True,
                          check=False, cwd=config.parent)
    if done.returncode != 0 or not done.stdout.strip():
        sys.exit(f"pdf run failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=500)
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or BENCH / "out" / f"pdf-speed-N{args.chapters}"
    base = measure(REPO / "mkdocs.yml", workdir / "pdf-sample", args.lang)
    project = synthetic_manual.generate(workdir / "project", chapters=args.chapters, seed=args.seed)
    big = measure(project / "mkdocs.yml", workdir / "pdf-synthetic", args.lang)
    per_base, per_big = base["wall"] / 10, big["wall"] / args.chapters
    for name, run, chapters in (("sample", base, 10), (f"synthetic N={args.chapters}", big, args.chapters)):
        print(f"{name:>18}: {run['wall']:7.1f} s wall, {run['cpu']:7.1f} s CPU, {run['pages']:5d} pages, "
              f"{run['max_rss_mb']:6.0f} MB max RSS, {run['wall'] / chapters:5.2f} s/chapter, status {run['status']}"
              + (f", problems: {run['problems']}" if run["problems"] else ""))
    print(f"per-chapter time, synthetic / sample: {per_big / per_base:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
