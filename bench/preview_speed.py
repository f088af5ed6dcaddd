"""Preview speed: edit → reload at N chapters, with the preview's memory and without it.

    .venv/bin/python bench/preview_speed.py [--chapters 500] [--edits 3] [--seed 1]

In one run:

1. generate a synthetic manual of N bilingual chapters (bench/synthetic_manual.py) into ``--workdir``
   (default bench/out/preview-speed-N<N>, git-ignored);
2. "remembered": start ``mkdocs serve`` on it (what ``make serve`` runs), wait for the first build, then
   ``--edits`` times: append a paragraph with a new word to one chapter's Chinese file and time from the
   write until the served chapter page contains the word (polled every 50 ms over HTTP); the same for a
   danger sign's words until the quick-reference page shows them;
3. "full": the same with ``CLOUDPEDS_PREVIEW_MEMO=0``: every rebuild computes everything again (what
   ``mkdocs serve`` did before the preview remembered its work).

Prints the medians and the ratio full / remembered. The target is edit → reload ≤ 3 s at N = 500.
Exit status 0 whatever is measured (a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_manual import chapter_id, generate

BENCH = Path(__file__).resolve().parent
TARGET = 3.0  # seconds, edit → reload at N = 500
STARTUP_TIMEOUT = 900.0
RELOAD_TIMEOUT = 1200.0  # a full rebuild at 500 chapters on a loaded machine can take minutes


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def wait_for(url: str, word: str, timeout: float) -> float:
    """Seconds until ``url`` is served with ``word`` in it."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        text = fetch(url)
        if text is not None and word in text:
            return time.monotonic() - started
        time.sleep(0.05)
    raise SystemExit(f"{url} did not show {word!r} within {timeout:.0f} s")


class Server:
    def __init__(self, project: Path, *, remember: bool, log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CLOUDPEDS_PREVIEW_MEMO": "1" if remember else "0"}
        mkdocs = Path(sys.executable).with_name("mkdocs")
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [str(mkdocs), "serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{self.port}"],
            cwd=project, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


#: What the server logs once a build's search index is written (without the memory: by the build itself; with
#: it: after the pages, for the languages whose index had to be computed again).
INDEXED = re.compile(r"search index written: (\d+ files|.*after the pages)")


def indexed(log: Path) -> int:
    return len(INDEXED.findall(log.read_text(encoding="utf-8", errors="replace")))


def wait_indexed(log: Path, count: int, timeout: float) -> None:
    """Wait until the server has written ``count`` search indexes: an edit is measured on an idle server, not
    while the last build's index is still being computed beside it."""
    started = time.monotonic()
    while indexed(log) < count:
        if time.monotonic() - started > timeout:
            raise SystemExit(f"{log}: no search index written within {timeout:.0f} s")
        time.sleep(0.2)


def edit_body(path: Path, word: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f"\n\n预览测试段落：{word}。\n", encoding="utf-8")


def edit_sign(path: Path, word: str) -> None:
    """Put ``word`` at the end of the first danger sign's words (``text:`` of the first sign)."""
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(r"^(\s*-?\s*text: )(.*)$", lambda m: f"{m[1]}{_append(m[2], word)}", text,
                         count=1, flags=re.MULTILINE)
    if not count:
        raise SystemExit(f"{path}: no danger sign text to edit")
    path.write_text(new, encoding="utf-8")


def _append(value: str, word: str) -> str:
    if value[:1] in "'\"":
        return value[:-1] + word + value[-1]
    return value + word


def measure(project: Path, chapters: int, *, remember: bool, edits: int, label: str) -> dict[str, list[float]]:
    width = max(4, len(str(chapters)))  # as synthetic_manual.generate names them
    target = chapter_id(min(7, chapters), width)
    source = project / "manual" / "chapters" / f"{target}.zh.md"
    original = source.read_text(encoding="utf-8")
    log = BENCH / "out" / f"preview-speed-{label}.log"
    server = Server(project, remember=remember, log=log)
    times: dict[str, list[float]] = {"body": [], "sign": [], "index": [], "start": []}
    try:
        started = time.monotonic()
        page = f"{server.base}manual/{target}/"
        quick = f"{server.base}quick/danger-signs/"
        wait_for(page, "<html", STARTUP_TIMEOUT)
        times["start"].append(time.monotonic() - started)
        say(f"  {label}: first build served after {times['start'][0]:.1f} s")
        wait_indexed(log, 1, STARTUP_TIMEOUT)
        time.sleep(2)  # let the server settle (it watches the files from now on)
        for number in range(edits):
            for kind, edit, url, word in (("body", edit_body, page, f"预览{label}{number}甲"),
                                          ("sign", edit_sign, quick, f"征象{label}{number}乙")):
                before, edited = indexed(log), time.monotonic()
                edit(source, word)
                times[kind].append(wait_for(url, word, RELOAD_TIMEOUT))
                wait_indexed(log, before + 1, RELOAD_TIMEOUT)
                times["index"].append(time.monotonic() - edited)
                say(f"  {label}: {kind} edit {number + 1}: page {times[kind][-1]:.2f} s, "
                    f"search index {times['index'][-1]:.2f} s")
                time.sleep(1)
    finally:
        server.stop()
        source.write_text(original, encoding="utf-8")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--chapters", type=int, default=500)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--remembered-only", action="store_true",
                        help="measure only the remembered side (absolute times; no ratio)")
    args = parser.parse_args()
    workdir = args.workdir or BENCH / "out" / f"preview-speed-N{args.chapters}"
    (BENCH / "out").mkdir(parents=True, exist_ok=True)
    say(f"generating {args.chapters} chapters into {workdir} ...")
    project = generate(workdir, chapters=args.chapters, seed=args.seed)
    results = {}
    for label, remember in (("remembered", True), ("full", False))[:1 if args.remembered_only else 2]:
        results[label] = measure(project, args.chapters, remember=remember, edits=args.edits, label=label)
    if args.remembered_only:
        for kind, values in results["remembered"].items():
            print(f"  {kind}: " + ", ".join(f"{value:.2f} s" for value in values))
        print(f"  load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        return
    print(f"\nedit → reload at {args.chapters} chapters (medians of {args.edits} edits each):")
    for kind, what in (("body", "chapter body → chapter page"), ("sign", "danger sign → quick-reference page"),
                       ("index", "either edit → its language's search index written")):
        ours = statistics.median(results["remembered"][kind])
        full = statistics.median(results["full"][kind])
        verdict = "" if kind == "index" else f" ({'within' if ours <= TARGET else 'ABOVE'} the {TARGET:.0f} s target)"
        print(f"  {what}: remembered {ours:.2f} s, full rebuild {full:.2f} s: {full / ours:.1f}x faster{verdict}")
    print(f"  first build (both servers start with one): remembered {results['remembered']['start'][0]:.1f} s, "
          f"full {results['full']['start'][0]:.1f} s")
    print(f"  load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
