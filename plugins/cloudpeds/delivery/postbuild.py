"""The last step of a build: check and prepare the finished site for its host, in a fixed order.

Both profiles:
  1. external loads (`externals`): any URL of another host that a page would load fails the build.
The ``cdn`` profile (a web server or CDN) then:
  2. web app manifest (`webapp`), written first so that its icon URLs get hashed names too;
  3. content-hashed asset names with every reference rewritten (`fingerprint`);
  4. the service worker (`service_worker`, Workbox in Node) over the final names; with the service worker
     turned off, a retiring ``sw.js`` that removes the worker an earlier deploy installed;
  5. the Content-Security-Policy (`policy.scan_pages`: one hash per inline script, each of which must be one
     the theme's templates write) and markup it would block (``onclick=``, ``javascript:``) as errors;
  6. the ``_headers`` file (`headers_file`, Netlify / Cloudflare Pages) with that CSP;
  7. precompressed ``.gz``/``.br`` copies (`precompress`), last, so they match the final bytes.
The ``offline`` profile (opened from ``file://``) stops after step 1 and the checks of step 5: no server
sends headers, a service worker cannot run from disk, and the bundle leaves precompressed copies out. It only
adds script copies of the captions (`offline.write_caption_scripts`: Chromium loads no ``<track>`` from disk).
`mkdocs serve`
gets step 1 and the retiring ``sw.js`` (`retire_service_worker`): a worker installed by a preview of a
full build on the same address would otherwise keep serving stale pages while editing.

Every step works on the folder it is given (the build's staging folder); a `DeliveryError` lists all
problems found by the step that failed, and the caller discards the folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .externals import ExternalLoad, scan_site
from .files import ScanMemo
from .fingerprint import fingerprint
from .headers_file import write_headers_file
from .offline import write_caption_scripts
from .policy import build_csp, scan_pages, theme_scripts
from .precompress import precompress
from .service_worker import ServiceWorker, ServiceWorkerError, generate, write_retiring_worker
from .webapp import WebApp, write_manifest

Profile = Literal["cdn", "offline"]


class DeliveryError(Exception):
    """The site cannot be delivered as built; ``problems`` are ``file:line: what`` lines."""

    def __init__(self, summary: str, problems: Sequence[str] = (), loads: Sequence[ExternalLoad] = ()) -> None:
        super().__init__(summary + "".join(f"\n  {problem}" for problem in problems))
        self.summary = summary
        self.problems = list(problems)
        #: The external loads behind ``problems`` (for a caller that can name the source files).
        self.loads = list(loads)


@dataclass(frozen=True)
class DeliveryOptions:
    profile: Profile = "cdn"
    edition: str = "draft"
    #: Hosts that pages may load from (a video CDN); also allowed for media in the CSP.
    allowed_hosts: tuple[str, ...] = ()
    fingerprint: bool = True
    service_worker: bool = True
    headers_file: bool = True
    precompress: bool = True
    node_modules: Path = Path("node_modules")
    #: Offline profile: write the retiring sw.js anyway (`mkdocs serve` on an address a full build was served on).
    retire_service_worker: bool = False
    #: Where compressed copies are kept between builds (None: no cache).
    cache_dir: Path | None = None
    #: Where Workbox's bundled worker is kept between builds (None: Node runs at every build).
    worker_cache_dir: Path | None = None
    #: The theme's template folders (custom_dir first, then Material's): their inline scripts are the only ones a
    #: page may carry (`policy.theme_scripts`); empty: every inline script is taken as the theme's.
    theme_dirs: tuple[Path, ...] = ()
    #: Inline scripts the site's own code writes outside the templates (the relocatable 404 page's,
    #: `cloudpeds.not_found`): theme scripts too, hashed into the CSP like the templates' ones.
    own_scripts: tuple[str, ...] = ()
    #: Processes that share the per-file work (`cloudpeds.parallel`; 1 where forking is not safe).
    jobs: int = 1
    #: The URL path the site is served under (from ``site_url``), for absolute references (the 404 page).
    base_path: str = "/"
    #: Per-file scan results kept between `mkdocs serve` rebuilds (None: every file is scanned).
    scan_memo: ScanMemo | None = None
    app: WebApp = field(default_factory=lambda: WebApp("云儿科 Cloudpeds", "云儿科"))


@dataclass
class DeliveryReport:
    renamed: dict[str, str] = field(default_factory=dict)
    service_worker: ServiceWorker | None = None
    csp: str | None = None
    compressed: int = 0


def check_external_loads(site_dir: Path, allowed_hosts: Sequence[str] = (), jobs: int = 1,
                         memo: ScanMemo | None = None) -> None:
    """Raise `DeliveryError` listing every URL of another host that a page would load."""
    loads, dormant = scan_site(site_dir, allowed_hosts, jobs, memo)
    problems = [load.format() for load in loads] + dormant
    if problems:
        raise DeliveryError(EXTERNAL_SUMMARY.format(count=len(problems)), problems, loads)


EXTERNAL_SUMMARY = (
    "{count} request(s) to other hosts: pages must load nothing from another host (it hangs or fails in mainland "
    "China and on closed hospital networks). Copy the file into the site (npm package or theme/assets/) and refer "
    "to it by a relative URL, or link to it with <a href> instead:")


def _check_pages(site_dir: Path, jobs: int, theme, memo: ScanMemo | None = None) -> list[str]:
    """Raise `DeliveryError` for markup no CSP hash can allow and scripts that are not the theme's; the hashes."""
    blocked, hashes = scan_pages(site_dir, jobs, theme, memo)
    if blocked:
        raise DeliveryError("markup that the Content-Security-Policy blocks, or a script that is not one of the "
                            "theme's (content carries no scripts; theme code goes into a .js file, attached with "
                            "addEventListener):", blocked)
    return hashes


def media_origins(allowed_hosts: Sequence[str]) -> list[str]:
    return [host if "://" in host else f"https://{host}" for host in allowed_hosts]


def finish_site(site_dir: Path, options: DeliveryOptions,
                log: Callable[[str], None] = lambda _: None) -> DeliveryReport:
    """Run the steps of the module docstring on ``site_dir``; raise `DeliveryError` on the first failing step."""
    report = DeliveryReport()
    jobs = options.jobs
    # A forked child's results would not reach the memo: with one, the scans run in this process.
    scan_jobs = 1 if options.scan_memo is not None else jobs
    check_external_loads(site_dir, options.allowed_hosts, scan_jobs, options.scan_memo)
    theme = theme_scripts(options.theme_dirs, options.own_scripts) if options.theme_dirs else None
    if options.profile == "offline":
        # No CSP protects a page opened from file://: the markup and script checks matter most here.
        _check_pages(site_dir, scan_jobs, theme, options.scan_memo)
        write_caption_scripts(site_dir)
        if options.retire_service_worker:
            write_retiring_worker(site_dir)
        return report
    if options.service_worker:
        try:
            write_manifest(site_dir, options.app)
        except ValueError as exc:
            raise DeliveryError(str(exc)) from None
    if options.fingerprint:
        report.renamed = fingerprint(site_dir, base_path=options.base_path, jobs=jobs)
        log(f"content-hashed names for {len(report.renamed)} assets")
    if options.service_worker:
        try:
            report.service_worker = generate(site_dir, options.node_modules, options.edition, log,
                                               options.worker_cache_dir, jobs)
        except ServiceWorkerError as exc:
            raise DeliveryError(str(exc)) from None
        sw = report.service_worker
        log(f"service worker: {sw.files} files ({sw.size / 1e6:.1f} MB) in cache {sw.cache_id}")
    else:
        write_retiring_worker(site_dir)  # removes a worker that an earlier deploy installed
    hashes = _check_pages(site_dir, jobs, theme)
    report.csp = build_csp(hashes, media_origins(options.allowed_hosts))
    if options.headers_file:
        try:
            write_headers_file(site_dir, report.csp, base_path=options.base_path)
        except ValueError as exc:
            raise DeliveryError(f"_headers: {exc}") from None
    if options.precompress:
        report.compressed = len(precompress(site_dir, cache_dir=options.cache_dir, jobs=jobs))
        log(f"precompressed {report.compressed} copies (.gz, .br)")
    return report
