#!/usr/bin/env python3
"""SIGKILL a build and a publish at random moments; check that the previous output is intact every
time and that the next run succeeds.

    .venv/bin/python scripts/kill_trials.py --trials 20          # 20 builds and 20 publishes
    .venv/bin/python scripts/kill_trials.py --trials 5 --kind publish --seed 7

Works on a copy of this repository's manual, theme, content pages and mkdocs.yml in a temporary
folder (without the video courses, so a run takes seconds). The kill moment is drawn uniformly from
the recent duration of an uninterrupted run (a moving average: the machine's load changes).
Prints one line per trial and a summary; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
NEXT_EDITION = """\
  - version: "2019"
    number: 2
    label: {zh: 2019 版, en: 2019 edition}
    date: 2019-09-01
    status: current
"""


def digest(folder: Path) -> str:
    """Every file's path and bytes, and where each symlink points."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(path.relative_to(folder).as_posix().encode())
        if path.is_symlink():
            h.update(b"->" + os.fsencode(os.readlink(path)))
        elif path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def make_project(base: Path) -> Path:
    project = base / "project"
    project.mkdir()
    for name in ("manual", "theme", "content"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    return project


def cli(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "cloudpeds.cli", *args, "-f", str(project / "mkdocs.yml")]


#: Where the killed runs write their messages (shown when one fails on its own).
LOG = Path(tempfile.gettempdir()) / f"cloudpeds-kill-{os.getpid()}.log"
#: How long the last uninterrupted runs took (the machine's load changes; kill moments follow it).
DURATIONS: dict[str, float] = {}
KILLED = {"build": 0, "publish": 0}


def run(argv: list[str], kind: str | None = None) -> subprocess.CompletedProcess[str]:
    start = time.monotonic()
    result = subprocess.run(argv, capture_output=True, text=True, env=ENV, check=False, timeout=600)
    if kind and result.returncode == 0:
        spent = time.monotonic() - start
        DURATIONS[kind] = spent if kind not in DURATIONS else 0.5 * DURATIONS[kind] + 0.5 * spent
    return result


def run_killed(argv: list[str], after: float) -> bool:
    """Start ``argv`` and SIGKILL its process group after ``after`` seconds; True if it was still running."""
    with open(LOG, "w", encoding="utf-8") as log:
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=log, env=ENV, start_new_session=True)
    try:
        status = process.wait(timeout=after)
        if status != 0:
            raise SystemExit(f"{shlex.join(argv)} failed on its own (exit status {status}) before the kill:\n"
                             + LOG.read_text(encoding="utf-8")[-2000:])
        return False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return True


def kill_somewhere(argv: list[str], duration: float, rng: random.Random, check) -> tuple[float, bool, list[str]]:
    """Kill ``argv`` at a random moment of its run. A run that finished first (the machine was faster
    than the estimate) is checked too, then tried again at an earlier moment, up to three times."""
    after, problems = rng.uniform(0, duration), []
    for _ in range(3):
        killed = run_killed(argv, after)
        problems += check(killed)
        if killed:
            return after, True, problems
        after = rng.uniform(0, after)
    return after, False, problems


def timed(argv: list[str], kind: str) -> float:
    result = run(argv, kind)
    if result.returncode != 0:
        raise SystemExit(f"an uninterrupted run failed:\n{result.stderr}")
    return DURATIONS[kind]


#: Build caches (transcodes, precompressed copies): kept on purpose; a damaged entry is rebuilt, and the
#: next build giving the same site shows none was used.
CACHES = {".cache"}


def leftovers(folder: Path) -> list[str]:
    """Hidden entries a killed run may leave (staging folders), other than the build caches."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name not in CACHES)


def build_trials(project: Path, trials: int, rng: random.Random) -> list[str]:
    site = project / "site"
    argv = [*cli(project, "build"), "-d", str(site)]
    timed(argv, "build")
    expected = digest(site)
    failures = []
    for trial in range(1, trials + 1):
        duration = DURATIONS["build"]
        after, killed, problems = kill_somewhere(
            argv, duration, rng, lambda killed: ["site/ changed after the kill"] if digest(site) != expected else [])
        KILLED["build"] += killed
        result = run(argv, "build")
        if result.returncode != 0:
            problems.append(f"the next build failed: {result.stderr[-300:]}")
        elif digest(site) != expected:
            problems.append("the next build gave another site")
        if leftovers(project):
            problems.append(f"leftovers after the next build: {leftovers(project)}")
        print(f"build   trial {trial:2d}: kill at {after:5.2f}s of {duration:.2f}s "
              f"({'killed' if killed else 'had finished'}): {'; '.join(problems) or 'OK'}", flush=True)
        failures += [f"build trial {trial}: {p}" for p in problems]
    return failures


def publish_trials(project: Path, trials: int, rng: random.Random) -> list[str]:
    sys.path.insert(0, str(ROOT / "plugins"))
    from cloudpeds.editions.releases import sync_index

    releases = project / "releases"
    first = [*cli(project, "publish", "2018"), "--releases-dir", str(releases)]
    timed(first, "publish")
    previous = digest(releases / "2018")
    editions = project / "manual" / "editions.yml"
    editions.write_text(editions.read_text(encoding="utf-8") + NEXT_EDITION, encoding="utf-8")
    argv = [*cli(project, "publish", "2019"), "--releases-dir", str(releases)]
    timed(argv, "publish")
    failures = []
    for trial in range(1, trials + 1):
        shutil.rmtree(releases / "2019")  # back to "2018 published, 2019 not yet"
        sync_index(releases)
        duration = DURATIONS["publish"]

        def check_releases(killed: bool) -> list[str]:
            problems = []
            if digest(releases / "2018") != previous:
                problems.append("releases/2018 changed")
            try:
                listed = [v["version"] for v in json.loads((releases / "versions.json").read_text(encoding="utf-8"))]
            except (OSError, ValueError) as exc:
                listed = []
                problems.append(f"versions.json unreadable: {exc}")
            if "2018" not in listed:
                problems.append(f"versions.json lost 2018: {listed}")
            if "2019" in listed and not (releases / "2019" / "editions" / "snapshot.json").is_file():
                problems.append("versions.json lists an unfinished 2019")
            if not (releases / "latest" / "index.html").is_file():
                problems.append("latest points at no finished edition")
            if not killed and (releases / "2019").exists():  # it finished first: try again from "2018 only"
                shutil.rmtree(releases / "2019")
                sync_index(releases)
            return problems

        after, killed, problems = kill_somewhere(argv, duration, rng, check_releases)
        KILLED["publish"] += killed
        result = run(argv, "publish")
        done = result.returncode == 0 or "is already published" in result.stderr
        if not done:
            problems.append(f"the next publish failed: {result.stderr[-300:]}")
        listed = [v["version"] for v in json.loads((releases / "versions.json").read_text(encoding="utf-8"))]
        if listed != ["2019", "2018"] or os.readlink(releases / "latest") != "2019":
            problems.append(f"after the next publish: versions {listed}, latest → {os.readlink(releases / 'latest')}")
        if not (releases / "2019" / "index.html").is_file():
            problems.append("after the next publish: releases/2019 is incomplete")
        if leftovers(releases):
            problems.append(f"leftovers after the next publish: {leftovers(releases)}")
        outcome = "published" if result.returncode == 0 else "already published, index repaired"
        print(f"publish trial {trial:2d}: kill at {after:5.2f}s of {duration:.2f}s "
              f"({'killed' if killed else 'had finished'}; next run: {outcome}): {'; '.join(problems) or 'OK'}",
              flush=True)
        failures += [f"publish trial {trial}: {p}" for p in problems]
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20, help="trials of each kind (default: 20)")
    parser.add_argument("--kind", choices=("build", "publish", "both"), default="both")
    parser.add_argument("--seed", type=int, default=None, help="for a reproducible run")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    rng = random.Random(seed)
    print(f"seed {seed}", flush=True)
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="cloudpeds-kill-") as tmp:
        project = make_project(Path(tmp))
        if args.kind in ("build", "both"):
            failures += build_trials(project, args.trials, rng)
        if args.kind in ("publish", "both"):
            failures += publish_trials(project, args.trials, rng)
    kinds = 2 if args.kind == "both" else 1
    print("killed while running: " + ", ".join(f"{kind} {count}/{args.trials}" for kind, count in KILLED.items()
                                               if args.kind in (kind, "both")))
    print(f"{args.trials * kinds - len({f.split(':')[0] for f in failures})} passed, "
          f"{len({f.split(':')[0] for f in failures})} failed")
    for failure in failures:
        print(failure, file=sys.stderr)
    LOG.unlink(missing_ok=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
