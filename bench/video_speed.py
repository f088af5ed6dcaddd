"""Video benchmark: transcode speed of the default ladder, and time to first frame on a slow network.

1. Generates a 60 s lecture (slides + narration) and transcodes it with the default ladder into an
   empty cache: video seconds per wall second (target ≥ 2, i.e. 2× realtime, on 2 cores).
2. Builds the sample site, serves it through nginx (the generated config) and, in Chromium with
   the network throttled by CDP (1.6 Mbit/s down, 150 ms RTT), measures from pressing play to the
   first frame shown, cold cache each time (target ≤ 2.5 s).
Prints ratios against the targets; exits 0 whatever they are (a benchmark, not a test).

    .venv/bin/python bench/video_speed.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cloudpeds.delivery.local_nginx import serve
from cloudpeds.media.ladder import Ladder
from cloudpeds.media.pipeline import build_lesson

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--autoplay-policy=no-user-gesture-required"]
LESSON = "courses/fever-in-the-community/fever-danger-signs/"


def transcode_speed(tmp: Path) -> float:
    source_dir = tmp / "lecture"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample_videos.py"), str(source_dir), "--count", "1",
                    "--seconds", "60", "--size", "1280x720"], check=True, capture_output=True)
    source = source_dir / "lesson-01.mp4"
    start = time.perf_counter()
    media = build_lesson(source, project_root=tmp, cache_dir=tmp / "cache", ladder=Ladder())
    elapsed = time.perf_counter() - start
    return media.duration / elapsed


def first_frame(playwright, url: str) -> float:
    profile = tempfile.mkdtemp()
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 150,
                                                 "downloadThroughput": 1_600_000 / 8,
                                                 "uploadThroughput": 750_000 / 8})
    page.goto(url, wait_until="load")
    page.wait_for_selector(".cp-lesson[data-engine]")
    elapsed = page.evaluate("""() => new Promise(resolve => {
        const video = document.querySelector('video');
        video.muted = true;
        const start = performance.now();
        const done = () => resolve((performance.now() - start) / 1000);
        if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(done);
        else video.addEventListener('playing', done, {once: true});
        video.play();
    })""")
    context.close()
    shutil.rmtree(profile, ignore_errors=True)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        speed = transcode_speed(tmp)
        print(f"transcode, default ladder (240p–720p), 60 s 1280×720 lecture: {speed:.2f}× realtime "
              f"(target ≥ 2×; ratio to target {speed / 2:.2f}) on {os.cpu_count()} cores")
        site = tmp / "site"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"),
                        "-d", str(site)], check=True, env=env)
        with serve(site, tmp / "nginx") as server, sync_playwright() as playwright:
            times = [first_frame(playwright, server.url(LESSON)) for _ in range(args.runs)]
        median = statistics.median(times)
        print(f"time to first frame, 1.6 Mbit/s down, 150 ms RTT, cold cache, median of {args.runs}: "
              f"{median:.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)}; target ≤ 2.5 s; "
              f"ratio {median / 2.5:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
