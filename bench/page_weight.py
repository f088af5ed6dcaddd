"""Page weight of the sample site: bytes a phone actually receives, against the budgets of the
"Offline and CDN" issue.

- First visit to a chapter, empty cache: every response the page loads (HTML, CSS, JS, images, fonts),
  video excluded. Budget ≤ 100 KB. What a service worker fetches in the background on that visit (its
  precache of the manual for offline use) is measured too and reported on its own line, with the total:
  the reader does not wait for it, and a precache of the whole manual cannot fit in 100 KB by design.
- Each further chapter page, reached after the first: what goes over the network beyond the browser's
  (and service worker's) cache, whoever fetches it (HTML is ``no-cache``, so revalidations cost a 304 of
  a few hundred bytes each). Budget ≤ 20 KB.
- The search index and lunr, loaded only when the search opens: reported apart (no budget).
- The offline bundle (``cloudpeds bundle``) without its video files. Budget ≤ 10 MB.
- Live sessions (issue 16), when the site has them: first visit (empty cache) to the schedule and to a session
  page before play (no hls.js, no stream). Budget ≤ 120 KB each.

Bytes are what went over the wire: response headers plus the body as sent (brotli or gzip) by nginx with
the generated configuration, measured in Debian Chromium (Playwright's ``request.sizes()``, the
Network domain's encoded data length); responses from the memory or disk cache or from a service
worker's cache count 0. Requests are HTTP/1.1 on loopback, so headers are not compressed (HTTP/2 on a
CDN would shrink the repeated ones). 1 KB = 1,000 bytes. Exits 1 when a budget is missed.

    .venv/bin/python bench/page_weight.py [--site DIR] [--bundle ZIP | --no-bundle]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served_site import CHROMIUM, CHROMIUM_ARGS, OUT, ROOT, build_sample_site, say, served

KB = 1000
FIRST_BUDGET = 100 * KB
FURTHER_BUDGET = 20 * KB
BUNDLE_BUDGET = 10 * KB * KB
VIDEO_SUFFIXES = (".mp4", ".m4v", ".webm", ".ts", ".m4s", ".m3u8")
#: The chapter of the first visit, then the further ones (the first ones that exist are used).
CHAPTERS = ("manual/fever/", "manual/cough/", "manual/wheeze/", "manual/rash/")
PHONE = {"width": 360, "height": 740}
LIVE_BUDGET = 120 * KB
#: The live pages measured on a first visit each: the schedule and the first session page that exists.
LIVE_SCHEDULE = "courses/live/"


def is_video(url: str, resource_type: str = "") -> bool:
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    return resource_type == "media" or path.endswith(VIDEO_SUFFIXES)


@dataclass
class Transfer:
    url: str
    status: int
    bytes: int  # headers + encoded body as received; 0 from a cache
    origin: str  # "network", "cache", "via service worker" (the worker's own fetch is counted), "failed"
    by_service_worker: bool = False
    header_bytes: int = 0


@dataclass
class Step:
    name: str
    transfers: list[Transfer] = field(default_factory=list)

    def total(self, *, video: bool = False, service_worker: bool | None = None) -> int:
        """Bytes received, without video unless ``video``; only the worker's (True) or the pages' (False)."""
        return sum(t.bytes for t in self.transfers if (video or not is_video(t.url))
                   and (service_worker is None or t.by_service_worker == service_worker))

    def video_bytes(self) -> int:
        return sum(t.bytes for t in self.transfers if is_video(t.url))


class Recorder:
    """Every request of a browser context (pages and service workers) into the current step."""

    def __init__(self, context) -> None:
        self.step = Step("none")
        context.on("requestfinished", self._finished)
        context.on("requestfailed", self._failed)

    def start(self, name: str) -> Step:
        self.step = Step(name)
        return self.step

    def _finished(self, request) -> None:
        if request.url.startswith("data:"):
            return
        response = request.response()
        by_worker = getattr(request, "service_worker", None) is not None
        if response is not None and response.from_service_worker:
            self.step.transfers.append(Transfer(request.url, response.status, 0, "via service worker", by_worker))
            return
        sizes = request.sizes()
        received = max(0, sizes["responseBodySize"] + sizes["responseHeadersSize"])
        origin = "network" if received else "cache"
        self.step.transfers.append(Transfer(request.url, response.status if response else 0, received, origin,
                                            by_worker, sizes["responseHeadersSize"] if received else 0))

    def _failed(self, request) -> None:
        self.step.transfers.append(Transfer(request.url, 0, 0, "failed"))


#: Resolves once a registered service worker has installed (its precache done), at most 30 s; "none" without one.
_WORKER_READY = """async () => {
  if (!("serviceWorker" in navigator)) return "none";
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration) return "none";
  await Promise.race([navigator.serviceWorker.ready, new Promise((done) => setTimeout(done, 30000))]);
  return registration.active ? "active" : "still installing after 30 s";
}"""


def _settle(page) -> str:
    """Wait until the page and its service worker (if any) are done loading; the worker's state."""
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # a service worker is often registered on the load event
    state = page.evaluate(_WORKER_READY)
    page.wait_for_load_state("networkidle")
    return state


def measure_pages(base: str, chapters: list[str], profile: Path) -> list[Step]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    steps: list[Step] = []
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, viewport=PHONE,
            device_scale_factor=2, locale="zh-CN", service_workers="allow")
        try:
            recorder = Recorder(context)
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            first, *further = chapters
            say(f"first visit (empty cache): /{first} ...")
            steps.append(recorder.start(f"first visit /{first}"))
            page.goto(base + first)
            worker = _settle(page)
            say(f"  service worker: {worker}")
            for chapter in further:
                say(f"further chapter: /{chapter} ...")
                steps.append(recorder.start(f"then /{chapter}"))
                # as a link followed by a reader (a renderer-initiated navigation, not a reload)
                with page.expect_navigation():
                    page.evaluate("url => window.location.assign(url)", base + chapter)
                _settle(page)
            say("opening the search (loads the index) ...")
            steps.append(recorder.start("search opened (lazy)"))
            opener = page.locator(".cp-search__open").first
            if not opener.count():
                say("  no search button (.cp-search__open) on the page: nothing measured")
            else:
                opener.click()
                try:  # the status line says "loading" until the index is in
                    page.wait_for_function("() => !document.querySelector('.cp-search__status').textContent",
                                           timeout=30000)
                except PlaywrightTimeout:
                    status = page.locator(".cp-search__status").first.text_content()
                    say(f"  the search did not finish loading in 30 s (status: {status!r})")
            _settle(page)
            if errors:
                say("console errors: " + " | ".join(errors[:5]))
        finally:
            context.close()
    return steps


def live_pages(site: Path) -> list[str]:
    """The schedule and one session page (an upcoming one: the live player, not a replay), if the site has them."""
    if not (site / LIVE_SCHEDULE / "index.html").is_file():
        return []
    sessions = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("courses/live/*/index.html")
                      if "data-live" in p.read_text(encoding="utf-8"))
    return [LIVE_SCHEDULE, *sessions[:1]]


def measure_first_visits(base: str, paths: list[str], profile: Path) -> list[Step]:
    """A first visit (empty cache, a fresh profile each) to each page, the page alone (not its service worker's
    precache), nothing played."""
    from playwright.sync_api import sync_playwright

    steps: list[Step] = []
    with sync_playwright() as playwright:
        for number, path in enumerate(paths):
            context = playwright.chromium.launch_persistent_context(
                str(profile / str(number)), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                viewport=PHONE, device_scale_factor=2, locale="zh-CN", service_workers="allow")
            try:
                recorder = Recorder(context)
                page = context.new_page()
                say(f"first visit (empty cache): /{path} ...")
                steps.append(recorder.start(f"first visit /{path}"))
                page.goto(base + path)
                _settle(page)
            finally:
                context.close()
    return steps


def bundle_size(zip_path: Path) -> tuple[int, int, int]:
    """(zip size, bytes of video entries as stored, number of video entries)."""
    with zipfile.ZipFile(zip_path) as archive:
        video = [info for info in archive.infolist() if is_video(info.filename)]
    return zip_path.stat().st_size, sum(i.compress_size for i in video), len(video)


def make_bundle(out: Path) -> Path:
    cloudpeds = Path(sys.executable).with_name("cloudpeds")
    command = [str(cloudpeds) if cloudpeds.exists() else "cloudpeds", "bundle", "--out", str(out),
               "--date", "2026-01-01"]
    say("building the offline bundle (cloudpeds bundle) ...")
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=False)
    if result.returncode != 0:
        sys.exit(f"cloudpeds bundle failed:\n{result.stderr}")
    say(f"  {time.monotonic() - started:.1f} s")
    return out


def _kb(n: int) -> str:
    return f"{n / KB:,.1f} KB"


def _mb(n: int) -> str:
    return f"{n / KB / KB:.2f} MB"


def _line(label: str, value: int, budget: int | None, unit=_kb) -> tuple[str, bool]:
    if budget is None:
        return f"{label:<44}{unit(value):>12}", True
    ok = value <= budget
    return (f"{label:<44}{unit(value):>12}  budget {unit(budget):>9}  {value / budget:5.2f}×  "
            + ("ok" if ok else "MISSED")), ok


def _breakdown(step: Step, limit: int = 14) -> list[str]:
    """The responses that cost bytes, largest first (at most ``limit`` lines), and a count of the free ones."""
    costly = sorted((t for t in step.transfers if t.bytes or t.origin == "failed"), key=lambda t: -t.bytes)
    lines = []
    for t in costly[:limit]:
        path = t.url.split("://", 1)[-1].split("/", 1)[-1]
        lines.append(f"    {t.bytes:>9,}  {t.status:>3}  /{path}"
                     + (" (fetched by the service worker)" if t.by_service_worker else "")
                     + (f"  [{t.origin}]" if t.origin != "network" else "")
                     + ("  [video, not counted]" if is_video(t.url) else ""))
    if len(costly) > limit:
        rest = costly[limit:]
        lines.append(f"    {sum(t.bytes for t in rest):>9,}  ... {len(rest)} more responses")
    headers = [t.header_bytes for t in step.transfers if t.bytes and not is_video(t.url)]
    if headers:
        lines.append(f"    (of which response headers: {sum(headers):,} bytes in {len(headers)} responses)")
    for origin, said in (("cache", "from the browser cache"), ("via service worker", "via the service worker")):
        free = sum(1 for t in step.transfers if t.origin == origin)
        if free:
            lines.append(f"    (+ {free} responses {said}, 0 bytes)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="an already-built site (cdn profile); default: build the sample")
    parser.add_argument("--bundle", type=Path, help="measure this bundle zip instead of running cloudpeds bundle")
    parser.add_argument("--no-bundle", action="store_true", help="skip the offline bundle")
    parser.add_argument("--no-csp", action="store_true", help="serve without the Content-Security-Policy header")
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cloudpeds-weight-") as tmp:
        site = args.site.resolve() if args.site else build_sample_site(Path(tmp) / "site")
        chapters = [c for c in CHAPTERS if (site / c / "index.html").is_file()]
        if len(chapters) < 2:
            sys.exit(f"{site}: fewer than two of the chapters {', '.join(CHAPTERS)}")
        with served(site, Path(tmp) / "nginx", csp=not args.no_csp) as base:
            steps = measure_pages(base, chapters[:3], Path(tmp) / "profile")
            live_steps = measure_first_visits(base, live_pages(site), Path(tmp) / "live-profiles")
        bundle = None
        if not args.no_bundle:
            bundle = bundle_size(args.bundle.resolve() if args.bundle else make_bundle(Path(tmp) / "bundle.zip"))

    report = {"steps": [{"name": s.name, "bytes": s.total(), "service_worker_bytes": s.total(service_worker=True),
                         "video_bytes": s.video_bytes(),
                         "transfers": [t.__dict__ for t in s.transfers]} for s in steps]}
    print("\nPage weight (bytes received: headers + compressed bodies; video excluded)")
    results = []
    first, *further, search = steps
    line, ok = _line(first.name, first.total(service_worker=False), FIRST_BUDGET)
    print(line)
    print("\n".join(_breakdown(first)))
    results.append(ok)
    precache = first.total(service_worker=True)
    if precache:
        print(_line("  + fetched by the service worker meanwhile", precache, None)[0])
        print(_line("  = first visit, all", first.total(), None)[0])
    for step in further:
        line, ok = _line(step.name, step.total(), FURTHER_BUDGET)
        print(line)
        print("\n".join(_breakdown(step)))
        results.append(ok)
    line, _ = _line(search.name + ", no budget", search.total(), None)
    print(line)
    print("\n".join(_breakdown(search)))
    for step in live_steps:
        line, ok = _line(step.name, step.total(service_worker=False), LIVE_BUDGET)
        print(line)
        print("\n".join(_breakdown(step)))
        results.append(ok)
        report["steps"].append({"name": step.name, "bytes": step.total(service_worker=False),
                                "transfers": [t.__dict__ for t in step.transfers]})
    if bundle:
        size, video, count = bundle
        report["bundle"] = {"zip_bytes": size, "video_bytes": video, "video_files": count}
        line, ok = _line("offline bundle without video", size - video, BUNDLE_BUDGET, unit=_mb)
        print(line)
        print(f"    zip {_mb(size)}, of which {count} video files {_mb(video)}")
        results.append(ok)
    (OUT / "page-weight.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"\ndetails: {OUT / 'page-weight.json'}")
    if not all(results):
        print("MISSED a budget")
        return 1
    print("all budgets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
