"""Flowchart benchmark: compile time per chart, a 150-node chart, and what charts add to a build.

Prints numbers and ratios measured in the same run; exits 0 whatever they are (not a test).
Usage: .venv/bin/python bench/flowchart_speed.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cloudpeds.flowchart.compile import compile_chart
from cloudpeds.flowchart.fences import find_fences
from cloudpeds.flowchart.synthetic import synthetic_chart

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^```flowchart\n.*?^```\n?", re.MULTILINE | re.DOTALL)


def time_compile(source: str, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        compile_chart(source)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def build_seconds(project: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"),
                             "-d", str(project / "site")], env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"the build of {project} failed:\n{result.stderr}")
    return time.perf_counter() - start


def copy_project(target: Path, *, strip_charts: bool) -> Path:
    for name in ("content", "manual", "theme"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "courses", target / "courses")
    for shared in ("node_modules", ".cache"):  # the media stay cached: no ffmpeg in the timing
        (target / shared).symlink_to(ROOT / shared)
    if strip_charts:
        for chapter in (target / "manual" / "chapters").glob("*.md"):
            chapter.write_text(FENCE.sub("", chapter.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    charts = [f.source for p in sorted((ROOT / "manual" / "chapters").glob("*.md"))
              for f in find_fences(p.read_text(encoding="utf-8"))]
    per_chart = [time_compile(source, 20) for source in charts]
    big = synthetic_chart(150)
    print(f"sample charts: {len(charts)}; compile time per chart, median of medians: "
          f"{statistics.median(per_chart) * 1000:.2f} ms (max {max(per_chart) * 1000:.2f} ms)")
    print(f"synthetic 150-node chart: {time_compile(big, 5) * 1000:.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        with_charts = copy_project(Path(tmp) / "with", strip_charts=False)
        without = copy_project(Path(tmp) / "without", strip_charts=True)
        build_seconds(with_charts), build_seconds(without)  # warm caches
        timings: dict[str, list[float]] = {"with": [], "without": []}
        for index in range(args.repeat):
            order = [("with", with_charts), ("without", without)]
            for name, project in order if index % 2 == 0 else reversed(order):
                timings[name].append(build_seconds(project))
    with_s, without_s = statistics.median(timings["with"]), statistics.median(timings["without"])
    print(f"sample site build, median of {args.repeat}: with charts {with_s:.3f} s, without {without_s:.3f} s, "
          f"ratio {with_s / without_s:.3f} (target: < 1.05)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
