"""The service worker (``sw.js``): Workbox precaches the manual for reading offline after the first visit.

``workbox-build`` (npm, pinned in package-lock.json) runs at build time in Node (`workbox_build.js` next to
this file) with ``inlineWorkboxRuntime``: the Workbox runtime is bundled into ``sw.js`` itself, so the
worker imports nothing, from no host.

What is precached: what a reader needs offline: pages, style sheets, scripts, the search index, images
(flowcharts are inline SVG in the pages) and the web app manifest. Not the video (HLS segments, playlists,
MP4s, captions: too big for a phone's cache; lessons need the network, so hls.js is left out too) and not
its posters (cached when a page shows them), not the editors' guide, not the precompressed copies, not
Material's unused search worker and lunr language files, not host files.

Versions: the precache cache is named ``cloudpeds-<edition>-<hash>-precache-v2-<scope>``, where
``<hash>`` covers every precached file's path and bytes. A new deploy installs a new worker that fills a
new cache while the old worker keeps serving the old one (no page mixes two versions); the page then
offers to reload (``theme/assets/sw-register.js``), the new worker takes over (``SKIP_WAITING``) and
deletes the old cache (`cleanup_script`, appended to sw.js: Workbox's own clean-up would also delete the
caches of sites in sub-paths of this one, e.g. older editions under ``/releases/2018/``). Hashed names
(`fingerprint`) are cached as they are; other files carry their content hash as Workbox's revision. URLs
are relative to ``sw.js``, whose scope is its own folder, so the site works in a sub-path.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from ..parallel import map_chunked
from .files import served_files, sha256_file

SW = "sw.js"
SCRIPT = Path(__file__).with_name("workbox_build.js")
PRECACHE = ("**/*.html", "**/*.css", "**/*.js", "**/*.svg", "**/*.png", "**/*.jpg", "**/*.jpeg", "**/*.webp",
            "**/*.ico", "**/*.woff2", "**/*.webmanifest")
SKIPPED = (SW, "workbox-*.js", "**/*.map", "**/*.gz", "**/*.br", "_headers", "_redirects",
           "assets/javascripts/lunr/**", "assets/javascripts/workers/**", "assets/vendor/hls.*",
           # Lessons need the network anyway: their posters are cached when shown (`RUNTIME_FOLDER`).
           "media/**",
           # Link-preview cards (og:image): for apps that fetch a shared link, not for reading.
           "assets/share/**",
           # For the editors, not for a doctor reading offline.
           "**/guide/editors/**")
#: Files in this folder (video posters; the folder names are content hashes, so a file never changes) are
#: cached the first time a page shows them, in the cache "cloudpeds-media-<scope>" (`runtime_script`).
RUNTIME_FOLDER = "media/"
#: Names that carry a content hash: cached under their URL without a revision.
HASHED_URL = r"\.[0-9a-f]{8,}\."
MAX_FILE = 20 * 1024 * 1024


class ServiceWorkerError(RuntimeError):
    """Node or workbox-build is missing, or generateSW failed; the message says what to do."""


@dataclass(frozen=True)
class ServiceWorker:
    path: Path
    cache_id: str
    files: int
    size: int


def _matches(rel: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(rel, pattern) or (pattern.startswith("**/") and fnmatchcase(rel, pattern[3:]))
               for pattern in patterns)


def precached_files(site_dir: Path) -> list[str]:
    """The site files the worker precaches (same selection as the globs given to Workbox), sorted."""
    return [rel for rel in served_files(site_dir) if _matches(rel, PRECACHE) and not _matches(rel, SKIPPED)]


def safe_edition(edition: str) -> str:
    """The edition as it may appear in a cache name (letters, digits, ``.``, ``_``, ``-``)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", edition).strip("-") or "draft"


def digests(site_dir: Path, files: list[str], jobs: int = 1) -> dict[str, str]:
    """The SHA-256 (hex) of each of ``files``."""
    return dict(zip(files, map_chunked(lambda rel: sha256_file(site_dir / rel), files, jobs), strict=True))


def content_hash(site_dir: Path, files: list[str], known: dict[str, str] | None = None) -> str:
    """12 hex digits of the SHA-256 over every precached file's path and bytes (``known``: their digests)."""
    known = known if known is not None else digests(site_dir, files)
    digest = hashlib.sha256()
    for rel in files:
        digest.update(f"{rel}\0{known[rel]}\n".encode())
    return digest.hexdigest()[:12]


def cache_id(edition: str, site_dir: Path, files: list[str], known: dict[str, str] | None = None) -> str:
    return f"cloudpeds-{safe_edition(edition)}-{content_hash(site_dir, files, known)}"


def manifest_entries(files: list[str], known: dict[str, str]) -> list[dict[str, str | None]]:
    """Workbox's precache manifest: each file's URL (relative to sw.js) and revision. A hashed name is its own
    revision (``None``); other files carry 32 hex digits of their SHA-256 (Workbox would use an MD5 of the same
    bytes: computing it here spares Node from reading a 200 MB site a second time)."""
    return [{"url": rel, "revision": None if re.search(HASHED_URL, rel) else known[rel][:32]} for rel in files]


def oversized(site_dir: Path, files: list[str]) -> list[str]:
    """Files larger than `MAX_FILE`, which no precache should hold (Workbox's own limit, checked here)."""
    return [rel for rel in files if (site_dir / rel).stat().st_size > MAX_FILE]


#: Stand for the manifest and the cache name while Workbox bundles and minifies the worker (1.3 s of Node at
#: 500 chapters): that output is kept by its options (`cache_dir`), and only these two change between builds.
PLACEHOLDER_URL = "__cloudpeds_precache_manifest__"
PLACEHOLDER_CACHE = "__cloudpeds_cache_id__"
_PLACEHOLDER_ENTRY = f'{{url:"{PLACEHOLDER_URL}",revision:null}}'


def workbox_options() -> dict[str, object]:
    """generateSW's options (JSON-ready) for the worker template: one placeholder manifest entry and a placeholder
    cache name, which `generate` replaces (`_run_workbox` adds ``swDest`` and ``globDirectory``)."""
    return {
        "globPatterns": [],  # nothing is globbed: the manifest comes from `manifest_entries`
        "additionalManifestEntries": [{"url": PLACEHOLDER_URL, "revision": None}],
        "cacheId": PLACEHOLDER_CACHE,
        "mode": "production",
        "sourcemap": False,
        "inlineWorkboxRuntime": True,
        "skipWaiting": False,  # the page asks the reader first (sw-register.js sends SKIP_WAITING)
        "clientsClaim": True,  # the first visit is controlled at once, so it works offline right away
        # Workbox's clean-up deletes every precache whose name CONTAINS this scope: a worker at / would delete
        # those of editions under /releases/2018/. `cleanup_script` matches the scope exactly instead.
        "cleanupOutdatedCaches": False,
        "directoryIndex": "index.html",
        "disableDevLogs": True,
    }


#: Served as sw.js when a site has no service worker (turned off, or `mkdocs serve`): a worker installed by an
#: earlier deploy checks sw.js on every visit, finds this one, which takes over at once, deletes the site's
#: caches, unregisters itself and reloads the open pages from the network. Without it, readers would keep
#: the last cached edition for ever.
RETIRING_WORKER = """// cloudpeds: this site has no service worker (any more); remove what an earlier deploy installed.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    await self.clients.claim();
    for (const name of await caches.keys()) {
      if (name.startsWith("cloudpeds-") && name.endsWith("-" + self.registration.scope)) await caches.delete(name);
    }
    await self.registration.unregister();
    for (const client of await self.clients.matchAll({ type: "window" })) client.navigate(client.url);
  })());
});
"""


def write_retiring_worker(site_dir: Path) -> Path:
    """Write `RETIRING_WORKER` as ``site_dir/sw.js`` and return its path."""
    target = site_dir / SW
    target.write_text(RETIRING_WORKER, encoding="utf-8")
    return target


def cleanup_script(cache: str) -> str:
    """Appended to sw.js: on activation, delete this site's other precaches (earlier deploys), and only its own:
    the cache name must end with exactly this worker's scope."""
    return f"""
// cloudpeds: delete the precaches of earlier deploys of this scope (not of sites in sub-paths of it).
self.addEventListener("activate", (event) => {{
  const own = "-precache-v2-" + self.registration.scope;
  const current = {json.dumps(cache)} + own;
  event.waitUntil(caches.keys().then((names) => Promise.all(names
    .filter((name) => name.startsWith("cloudpeds-") && name.endsWith(own) && name !== current)
    .map((name) => caches.delete(name)))));
}});
"""


def runtime_script() -> str:
    """Appended to sw.js: images under `RUNTIME_FOLDER` (video posters) come from the cache once seen, else from
    the network (and are then kept). Their folders are content hashes, so a cached copy is never stale."""
    return f"""
// cloudpeds: posters are not precached (lessons need the network anyway); each is kept once it was shown
// (or when its lesson was saved for offline: caches.match looks in every cache).
self.addEventListener("fetch", (event) => {{
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(self.registration.scope + {json.dumps(RUNTIME_FOLDER)})
      || !/\\.(?:jpe?g|png|webp|avif)$/i.test(new URL(request.url).pathname)) return;
  const cached = caches.open("cloudpeds-media-" + self.registration.scope).then((cache) =>
    caches.match(request).then((hit) => hit || fetch(request).then((response) => {{
      if (response.ok) cache.put(request, response.clone());
      return response;
    }})));
  try {{
    event.respondWith(cached);
  }} catch (answered) {{
    // Workbox answered it.
  }}
}});
"""


#: Lessons saved for offline (theme/assets/offline.js): their MP4, captions and posters, in the cache
#: "cloudpeds-lessons-<scope>". Deploys never delete it (`cleanup_script` deletes precaches only).
SAVED_LESSONS_CACHE = "cloudpeds-lessons-"


def saved_lessons_script() -> str:
    """Appended to sw.js: a file under `RUNTIME_FOLDER` that a saved lesson holds (captions, playlists) is
    answered from "cloudpeds-lessons-<scope>", else from the network. Range requests (the browser's own MP4
    player) go to the network: offline, player.js plays the saved MP4 from the cache as a blob."""
    return f"""
// cloudpeds: the files of lessons saved for offline (offline.js).
self.addEventListener("fetch", (event) => {{
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("range")
      || !request.url.startsWith(self.registration.scope + {json.dumps(RUNTIME_FOLDER)})
      || /\\.(?:jpe?g|png|webp|avif)$/i.test(new URL(request.url).pathname)) return;
  try {{
    event.respondWith(caches.open({json.dumps(SAVED_LESSONS_CACHE)} + self.registration.scope)
      .then((cache) => cache.match(request)).then((hit) => hit || fetch(request)));
  }} catch (answered) {{
    // Workbox answered it.
  }}
}});
"""


#: The page the worker shows for a page it does not hold when the network fails (theme/404.html).
NOT_FOUND = "404.html"


def not_found_script(cache: str) -> str:
    """Appended to sw.js: a navigation that Workbox does not answer from the precache goes to the network, and
    offline gets the precached 404 page (in both languages, "not found or not saved for offline reading")
    instead of the browser's "no internet" page. Workbox's listener runs first; when it has answered,
    ``respondWith`` throws and this one stays out of the way."""
    return f"""
// cloudpeds: offline, a page that is not precached gets the site's 404 page.
self.addEventListener("fetch", (event) => {{
  if (event.request.mode !== "navigate" || event.request.method !== "GET") return;
  const notFound = () => caches.open({json.dumps(cache)} + "-precache-v2-" + self.registration.scope)
    .then((cache) => cache.match(new URL({json.dumps(NOT_FOUND)}, self.registration.scope).href,
                                 {{ ignoreSearch: true }}))
    .then((page) => page ? new Response(page.body, {{ status: 404, statusText: "Not Found", headers: page.headers }})
                         : Response.error());
  try {{
    event.respondWith(fetch(event.request).catch(notFound));
  }} catch (answered) {{
    // Workbox serves this page from the precache.
  }}
}});
"""


def node_executable() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if not found:
        raise ServiceWorkerError("node not found: the service worker is made with Workbox in Node.js 20+; "
                                 "install Node.js (Debian: apt-get install nodejs npm), then run `npm ci`")
    return found



def manifest_js(entries: list[dict[str, str | None]]) -> str:
    """The manifest entries as Workbox's minified output writes them (JSON strings are JavaScript strings)."""
    return ",".join(f"{{url:{json.dumps(entry['url'])},revision:{json.dumps(entry['revision'])}}}"
                    for entry in entries)


def _template_key(options: dict[str, object], node_modules: Path) -> str:
    version = json.loads((node_modules / "workbox-build" / "package.json").read_text(encoding="utf-8"))["version"]
    text = json.dumps([options, version, SCRIPT.read_text(encoding="utf-8")], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _run_workbox(options: dict[str, object], node_modules: Path, log: Callable[[str], None]) -> str:
    """sw.js as generateSW writes it for ``options`` (one manifest entry: the placeholder)."""
    with tempfile.TemporaryDirectory(prefix="cloudpeds-workbox-") as tmp:
        options = {**options, "swDest": str(Path(tmp) / SW), "globDirectory": tmp}  # Workbox requires a folder
        options_file = Path(tmp) / "options.json"
        options_file.write_text(json.dumps(options), encoding="utf-8")
        argv = [node_executable(), str(SCRIPT), str(node_modules), str(options_file)]
        log(shlex.join(argv))
        result = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=600)
        if result.returncode != 0:
            raise ServiceWorkerError(f"{shlex.join(argv[:2])} failed: {result.stderr.strip() or result.stdout.strip()}")
        report = json.loads(result.stdout.strip().splitlines()[-1])
        if report.get("warnings"):
            raise ServiceWorkerError("Workbox: " + "; ".join(report["warnings"]))
        text = (Path(tmp) / SW).read_text(encoding="utf-8")
    if report["count"] != 1 or text.count(_PLACEHOLDER_ENTRY) != 1 or PLACEHOLDER_CACHE not in text:
        raise ServiceWorkerError("Workbox's sw.js no longer has the shape cloudpeds fills in (one manifest entry "
                                 f"written as {_PLACEHOLDER_ENTRY}): was workbox-build upgraded? Pin the version "
                                 "of package-lock.json")
    return text


def worker_template(options: dict[str, object], node_modules: Path, cache_dir: Path | None,
                    log: Callable[[str], None] = lambda _: None) -> str:
    """Workbox's sw.js for ``options`` with the placeholders, from ``cache_dir`` when it was made before."""
    if cache_dir is None:
        return _run_workbox(options, node_modules, log)
    path = cache_dir / f"sw-{_template_key(options, node_modules)}.js"
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        if text.count(_PLACEHOLDER_ENTRY) == 1:
            return text
    text = _run_workbox(options, node_modules, log)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # two builds may write the same entry
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return text


def generate(site_dir: Path, node_modules: Path, edition: str,
             log: Callable[[str], None] = lambda _: None, cache_dir: Path | None = None,
             jobs: int = 1) -> ServiceWorker:
    """Write ``site_dir/sw.js`` with workbox-build; return what it precaches. Raises `ServiceWorkerError`.
    ``cache_dir``: where Workbox's output is kept between builds (None: Node runs every time)."""
    if not (node_modules / "workbox-build" / "package.json").is_file():
        raise ServiceWorkerError(f"workbox-build not found in {node_modules}: run `npm ci` in the project folder "
                                 "(it is a devDependency in package.json)")
    files = precached_files(site_dir)
    too_big = oversized(site_dir, files)
    if too_big:
        raise ServiceWorkerError(f"files larger than {MAX_FILE // (1024 * 1024)} MB cannot be precached for reading "
                                 f"offline: {', '.join(too_big)} (link to such a file instead of putting it under a "
                                 "precached type, or make it smaller)")
    known = digests(site_dir, files, jobs)
    cache = cache_id(edition, site_dir, files, known)
    template = worker_template(workbox_options(), node_modules, cache_dir, log)
    worker = template.replace(_PLACEHOLDER_ENTRY, manifest_js(manifest_entries(files, known)))
    fallback = saved_lessons_script() + runtime_script() + (not_found_script(cache) if NOT_FOUND in files else "")
    (site_dir / SW).write_text(worker.replace(PLACEHOLDER_CACHE, cache) + cleanup_script(cache) + fallback,
                               encoding="utf-8")
    size = sum((site_dir / rel).stat().st_size for rel in files)
    return ServiceWorker(site_dir / SW, cache, len(files), size)
