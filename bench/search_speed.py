"""Search benchmark: our prebuilt index against Material's search on the same synthetic manual.

In one run: generate N chapters (default 500) in both languages, build them twice — with
cloudpeds/search, and with Material's search plugin instead — then measure, side by side:
index bytes (raw, gzip, brotli); time from a cold page to the first results in Chromium with 4×
CPU throttling (CDP); and our query latency p50/p95 under the same throttling. Prints ratios;
exits 0 whatever they are (a benchmark, not a test).

    .venv/bin/python bench/search_speed.py [--chapters 500] [--runs 3] [--sample]

``--sample`` measures index bytes on the repository's real sample manual instead (10 chapters of real
clinical text: the synthetic filler repeats itself, which flatters a full-text index's compression).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_manual import generate

try:
    import brotli
except ImportError:  # pragma: no cover - brotli is in the test extras
    brotli = None

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERIES = ["发烧", "抽筋", "呼吸困难", "拉肚子", "热", "紧急转诊", "颈项强直", "口服补液盐", "38.5", "3月龄",
           "皮疹", "呕吐", "喘息", "黄疸", "哭闹", "危险征象", "转诊", "脱水", "发热 抽搐", "体温"]


def sizes(paths: list[Path]) -> dict[str, int]:
    """Bytes raw, and compressed file by file (what a server sends: each file on its own) — plus, for
    several files, compressed as one stream (what they would be if shipped as one file)."""
    blobs = [path.read_bytes() for path in paths]
    out = {"raw": sum(map(len, blobs)), "gzip": sum(len(gzip.compress(b, 9)) for b in blobs)}
    if brotli:
        out["brotli"] = sum(len(brotli.compress(b, quality=11)) for b in blobs)
    if len(blobs) > 1:
        joined = b"".join(blobs)
        out["gzip, one stream"] = len(gzip.compress(joined, 9))
        if brotli:
            out["brotli, one stream"] = len(brotli.compress(joined, quality=11))
    return out


def build(project: Path, site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"),
                    "-d", str(site)], check=True, env=env)


def material_variant(project: Path, target: Path) -> Path:
    """A copy of the project with Material's search instead of ours."""
    shutil.copytree(project, target, symlinks=True)
    config = target / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - cloudpeds/search\n" in text
    config.write_text(text.replace("  - cloudpeds/search\n", "  - search:\n      lang: [zh, en]\n"), encoding="utf-8")
    return target


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path):
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def cold_first_results(playwright, url: str, kind: str, query: str) -> tuple[float, float]:
    """Seconds to the first result on screen, empty cache, 4× CPU throttling: from navigation start,
    and from the moment the page has loaded and the reader starts typing."""
    profile = tempfile.mkdtemp()
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    typing = time.perf_counter()
    if kind == "ours":
        page.click(".cp-search__open")
        page.fill(".cp-search__input", query)
        page.wait_for_selector(".cp-search__result", timeout=120_000)
    else:
        page.click("label[for=__search]")
        page.fill("input.md-search__input", query)
        page.wait_for_selector(".md-search-result__item", timeout=120_000)
    done = time.perf_counter()
    context.close()
    shutil.rmtree(profile, ignore_errors=True)
    return done - start, done - typing


def our_query_latency(playwright, url: str) -> dict[str, list[float]]:
    """Milliseconds per query through the page's search engine, 4× throttled: "cold" is a query's
    first run (its shards fetched from loopback, parsed and indexed), "warm" a repeat (shards loaded)."""
    profile = tempfile.mkdtemp()
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
    page = context.new_page()
    page.goto(url)
    page.click(".cp-search__open")
    page.fill(".cp-search__input", "发热")
    page.wait_for_selector(".cp-search__result", timeout=120_000)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    timings = page.evaluate("""async queries => {
        const core = window.cpTokenizer, entry = window.cpSearchData.zh;
        const fetchShard = path => new Promise((resolve, reject) => {
            const name = path.replace(/\\.[0-9a-f]+\\.js$/, "");
            if ((window.cpSearchShards || {})[name]) return resolve(window.cpSearchShards[name]);
            const tag = document.createElement("script");
            tag.src = document.querySelector(".cp-search").dataset.cpRoot + "/search/" + path;
            tag.onload = () => resolve(window.cpSearchShards[name]); tag.onerror = reject;
            document.head.appendChild(tag);
        });
        const engine = new core.Engine(lunr, entry, fetchShard);
        const out = {cold: [], warm: []};
        for (const q of queries) {
            const t0 = performance.now();
            await engine.search(q);
            out.cold.push(performance.now() - t0);
        }
        for (let round = 0; round < 3; round++) for (const q of queries) {
            const t0 = performance.now();
            await engine.search(q);
            out.warm.push(performance.now() - t0);
        }
        return out;
    }""", QUERIES)
    context.close()
    shutil.rmtree(profile, ignore_errors=True)
    return timings


def query_downloads(site: Path, lang: str, queries: list[str]) -> list[int]:
    """Bytes (gzip) a reader downloads for each query on a fresh page: the entry file, the shards the
    query loads and the text blocks of the first results (from tests/node/search_query.js)."""
    script = Path(__file__).resolve().parents[1] / "tests" / "node" / "search_query.js"
    result = subprocess.run(["node", str(script), str(site / "search"), lang, json.dumps(queries)],
                            capture_output=True, text=True, check=True)
    loaded = json.loads(result.stdout)
    entry_text = (site / "search" / f"index.{lang}.js").read_text(encoding="utf-8")
    entry = json.loads(entry_text.split("]=", 1)[1].rstrip().rstrip(";"))
    out = []
    for query in queries:
        files = [entry["terms"][n] for n in loaded["shards"][query]]
        refs = [int(ref) for ref, _ in loaded["results"][query][:12]]
        files += sorted({entry["texts"][ref // entry["textBlock"]] for ref in refs})
        paths = [site / "search" / f"index.{lang}.js"] + [site / "search" / name for name in files]
        out.append(sum(len(gzip.compress(path.read_bytes(), 9)) for path in paths))
    return out


def _varint(number: int, out: bytearray) -> None:
    while number >= 128:
        out.append(number & 127 | 128)
        number >>= 7
    out.append(number)


def postings_floor(search_dir: Path, lang: str) -> dict[str, int]:
    """What the postings and the term list of one language's index would be at the least: brotli 11 over ONE
    stream of binary varints (document gaps, field, term frequency) and one of the terms, one per line — no
    JSON, no files, no snippets, no titles. If this alone exceeds Material's whole index, no encoding of a
    prebuilt index with these postings can be smaller."""
    from cloudpeds.search.shards import decode_shard, read_shard

    entry = read_shard((search_dir / f"index.{lang}.js").read_text(encoding="utf-8"))
    postings, terms, count = bytearray(), [], 0
    for number, name in enumerate(entry["terms"]):
        for term, _, _df, *groups in decode_shard(read_shard((search_dir / name).read_text(encoding="utf-8")),
                                                 entry["termBase"][number]):
            terms.append(term)
            for field, *values in groups:
                refs = [value for value in values if value >= 0]
                count += len(refs)
                _varint(len(refs) * 4 + field, postings)
                for position, value in enumerate(values):
                    if value >= 0:
                        following = values[position + 1] if position + 1 < len(values) else 0
                        _varint(value * 2 + (following < 0), postings)
                    else:
                        _varint(-value, postings)
    return {"postings": count, "postings brotli": len(brotli.compress(bytes(postings), quality=11)),
            "terms brotli": len(brotli.compress("\n".join(terms).encode("utf-8"), quality=11))}


def sample_project(target: Path) -> Path:
    """A copy of this repository's real sample manual (and its courses, with the media cache linked)."""
    repo = Path(__file__).resolve().parents[1]
    target.mkdir(parents=True)
    for folder in ("manual", "content", "theme", "courses"):
        shutil.copytree(repo / folder, target / folder, symlinks=True)
    shutil.copy2(repo / "mkdocs.yml", target / "mkdocs.yml")
    for link in ("node_modules", ".cache"):
        if (repo / link).exists():
            (target / link).symlink_to(repo / link, target_is_directory=True)
    return target


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapters", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3, help="cold-page measurements per side (median)")
    parser.add_argument("--sample", action="store_true",
                        help="the repository's real sample manual instead of a synthetic one")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        if args.sample:
            project = sample_project(Path(tmp) / "ours" / "project")
        else:
            project = generate(Path(tmp) / "ours" / "project", chapters=args.chapters)
        ours_site, theirs_site = Path(tmp) / "site-ours", Path(tmp) / "site-material"
        build(project, ours_site)
        build(material_variant(project, Path(tmp) / "material"), theirs_site)

        ours = sizes(sorted((ours_site / "search").rglob("*.js")))
        ours_zh = sizes([ours_site / "search" / "index.zh.js", *sorted((ours_site / "search" / "zh").glob("*.js"))])
        theirs = sizes([theirs_site / "search" / "search_index.json"])
        print("the sample manual" if args.sample else f"chapters: {args.chapters} (×2 languages)")
        for key in ours:
            material = theirs[key.split(",")[0]]
            print(f"index bytes {key:>18}: ours (both languages, all files) {ours[key]:>10,}  "
                  f"(zh alone: {ours_zh[key]:,})  Material {material:>10,}  "
                  f"ratio ours/Material {ours[key] / material:.2f}")
        if brotli:
            floors = {lang: postings_floor(ours_site / "search", lang) for lang in ("zh", "en")}
            floor = sum(f["postings brotli"] + f["terms brotli"] for f in floors.values())
            print(f"floor: our postings and terms alone, binary varints, one stream per language, brotli 11: "
                  f"{floor:,} ({', '.join(f'{lang}: {f}' for lang, f in floors.items())}); Material's whole index "
                  f"{theirs['brotli']:,}: ratio {floor / theirs['brotli']:.2f}")
        downloads = query_downloads(ours_site, "zh", QUERIES)
        print(f"what one query downloads (zh, gzip: entry file + its shards + text blocks of the first 12 results): "
              f"median {statistics.median(downloads):,.0f}, max {max(downloads):,} "
              f"(Material: its whole index, {theirs['gzip']:,})")

        if args.sample:  # sizes only: timings are measured on the synthetic manual, at scale
            return 0
        chapter, query = "syn-0001", "发烧"
        server_ours, url_ours = serve(ours_site)
        server_theirs, url_theirs = serve(theirs_site)
        with sync_playwright() as playwright:
            first_ours, first_theirs = [], []
            for run in range(args.runs):
                pair = [("ours", url_ours, first_ours), ("material", url_theirs, first_theirs)]
                for kind, url, bucket in pair if run % 2 == 0 else reversed(pair):
                    bucket.append(cold_first_results(playwright, f"{url}/manual/{chapter}/", kind, query))
            latency = our_query_latency(playwright, f"{url_ours}/manual/{chapter}/")
        server_ours.shutdown()
        server_theirs.shutdown()
        for label, column in (("navigation start", 0), ("page loaded, reader types", 1)):
            ours_s = statistics.median(run[column] for run in first_ours)
            theirs_s = statistics.median(run[column] for run in first_theirs)
            print(f"first results from {label}, cold cache, 4× CPU throttling, median of {args.runs}: "
                  f"ours {ours_s:.2f} s, Material {theirs_s:.2f} s, ratio {ours_s / theirs_s:.2f} (target ≤ 0.25)")
        for label in ("warm", "cold"):
            values = latency[label]
            print(f"our query latency in the page, 4× throttled, {label} ({len(values)} queries): "
                  f"p50 {percentile(values, 0.5):.1f} ms, p95 {percentile(values, 0.95):.1f} ms (target p95 ≤ 30 ms)")
        print(json.dumps({"first_results_s": {"ours": first_ours, "material": first_theirs}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
