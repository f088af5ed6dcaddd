"""Video benchmark: transcode speed of the default ladder, and time to first frame on a slow network.

1. Generates a 60 s lecture (slides + narration) and transcodes it with the default ladder into an
   empty cache: video seconds per wall second (target ≥ 2, i.e. 2× realtime, on 2 cores).
2. Builds the sample site, serves it through nginx (the generated config) and, in Chromium as a phone
   (360×740, device scale 2, touch) with the network throttled by CDP, measures from the tap on the
   poster to the first frame shown, cold cache each time: not throttled (the baseline, same run),
   1.6 Mbit/s down / 150 ms RTT (target ≤ 2.5 s) and 0.4 Mbit/s / 400 ms (target ≤ 4 s); and which
   rung the first segment came from.
Prints ratios against the targets; exits 0 whatever they are (a benchmark, not a test).

    .venv/bin/python bench/video_speed.py [--runs 5] [--no-transcode]
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


#: (label, Mbit/s down, round-trip latency in ms, target in s); None: not throttled (the baseline).
NETWORKS = (("not throttled (baseline)", None, 0, None), ("1.6 Mbit/s, 150 ms", 1.6, 150, 2.5),
            ("0.4 Mbit/s, 400 ms", 0.4, 400, 4.0))


def first_frame(playwright, url: str, mbits: float | None, latency: int) -> tuple[float, str]:
    """Seconds from the tap on the poster to the first video frame shown, on a phone (360×740, device scale 2)
    with a cold cache, and the rung of the first segment fetched."""
    profile = tempfile.mkdtemp()
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if mbits is not None:
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency,
                                                     "downloadThroughput": mbits * 1_000_000 / 8,
                                                     "uploadThroughput": 750_000 / 8})
    segments: list[str] = []
    page.on("request", lambda r: segments.append(r.url) if r.url.endswith(".ts") else None)
    page.goto(url, wait_until="load")
    page.wait_for_selector(".cp-lesson[data-engine]")
    page.evaluate("""() => {
        const video = document.querySelector('video');
        video.muted = true;
        window.cpFirstFrame = new Promise(resolve => {
            const done = () => resolve((performance.now() - window.cpTapped) / 1000);
            if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(done);
            else video.addEventListener('playing', done, {once: true});
        });
        document.querySelector('.cp-player__start').addEventListener('click',
            () => { window.cpTapped = performance.now(); }, {capture: true});
    }""")
    page.tap(".cp-player__start")
    elapsed = page.evaluate("window.cpFirstFrame")
    context.close()
    shutil.rmtree(profile, ignore_errors=True)
    return elapsed, (segments[0].rsplit("/", 2)[-2] if segments else "?")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-transcode", dest="transcode", action="store_false",
                        help="skip the transcode measurement (only time to first frame)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        speed = transcode_speed(tmp) if args.transcode else 0.0
        if args.transcode:
                print(f"transcode, default ladder (240p–720p), 60 s 1280×720 lecture: {speed:.2f}× realtime "
                  f"(target ≥ 2×; ratio to target {speed / 2:.2f}) on {os.cpu_count()} cores")
        site = tmp / "site"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"),
                        "-d", str(site)], check=True, env=env)
        with serve(site, tmp / "nginx") as server, sync_playwright() as playwright:
            baseline = None
            for label, mbits, latency, target in NETWORKS:
                runs = [first_frame(playwright, server.url(LESSON), mbits, latency) for _ in range(args.runs)]
                times = [t for t, _ in runs]
                median = statistics.median(times)
                baseline = baseline or median
                rungs = sorted({rung for _, rung in runs})
                verdict = f"target ≤ {target} s, ratio to target {median / target:.2f}; " if target else ""
                print(f"time to first frame, {label}, phone 360×740 DPR 2, cold cache, median of {args.runs}: "
                      f"{median:.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)}; {verdict}"
                      f"{median / baseline:.1f}× the baseline; first segment from {', '.join(rungs)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
