"""``cloudpeds/delivery``: prepares the finished site for its host. All logic lives in cloudpeds.delivery."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.pages import Page

from .. import not_found
from ..delivery.externals import ExternalLoad
from ..delivery.postbuild import DeliveryError, DeliveryOptions, ScanMemo, finish_site
from ..delivery.webapp import WebApp
from ..parallel import ChildFailed, default_jobs

log = get_plugin_logger(__name__)


class DeliveryConfig(Config):
    enabled = opt.Type(bool, default=True)
    """Run the delivery step after every build (list this plugin last in mkdocs.yml)."""

    profile = opt.Choice(("auto", "cdn", "offline"), default="auto")
    """`cdn`: hashed asset names, service worker, `_headers`, precompressed copies. `offline`: only the
    external-request check (the site is opened from file://). `auto`: `offline` when `use_directory_urls`
    is false (what `cloudpeds build --profile offline` sets), `cdn` otherwise."""

    allowed_hosts = opt.ListOfItems(opt.Type(str), default=[])
    """Hosts that pages may load from (e.g. `video.example.cn`, a video CDN); they are also allowed for media,
    images and fetches in the Content-Security-Policy. Empty: pages load from their own host only."""

    fingerprint = opt.Type(bool, default=True)
    """cdn: give CSS, JS and images under assets/ content-hashed names and rewrite every reference."""

    service_worker = opt.Type(bool, default=True)
    """cdn: write sw.js (Workbox) that precaches the manual for offline use, and the web app manifest. When
    false, sw.js is a retiring worker that removes the one an earlier deploy installed."""

    headers_file = opt.Type(bool, default=True)
    """cdn: write `_headers` (caching, MIME types, CORS, CSP) for Netlify / Cloudflare Pages."""

    precompress = opt.Type(bool, default=True)
    """cdn: write .gz and .br copies of text files for servers that send them as they are (nginx gzip_static)."""

    cache_dir = opt.Type(str, default=".cache/precompress")
    """Where the .gz/.br copies are kept between builds, by content (brotli at its best setting is slow);
    relative to mkdocs.yml. Safe to delete."""

    worker_cache_dir = opt.Type(str, default=".cache/service-worker")
    """Where Workbox's bundled sw.js is kept between builds, by its options (bundling takes Node a second or
    two; each build only fills in its list of files); relative to mkdocs.yml. Safe to delete."""

    jobs = opt.Type(int, default=0)
    """Processes that share the per-file work (checks, rewriting, compression): 0 = one per core, 1 = none. A
    process with other threads (`mkdocs serve`'s server) never forks (`cloudpeds.parallel.may_fork`)."""

    node_modules = opt.Type(str, default="node_modules")
    """Where `npm ci` put workbox-build (relative to mkdocs.yml)."""

    app_name = opt.Type(str, default="云儿科 Cloudpeds")
    """The installed app's name (web app manifest)."""

    app_short_name = opt.Type(str, default="云儿科")
    """The name under the home-screen icon (web app manifest; at most about 12 characters)."""

    theme_color = opt.Type(str, default="#00695c")
    """The browser bar colour (manifest and `<meta name=theme-color>`); the theme's primary colour."""


def edition_of(config: MkDocsConfig) -> str:
    """``extra.edition`` (a name, or a mapping with ``name`` or ``id``), else ``draft``."""
    edition = config.extra.get("edition")
    if isinstance(edition, dict):
        edition = edition.get("name") or edition.get("id")
    return str(edition) if edition else "draft"


def source_problem(load: ExternalLoad, sources: dict[str, Path], project: Path) -> str:
    """The problem as ``content/about.md:3: …`` when the URL is written in the page's Markdown source."""
    source = sources.get(load.file)
    if source is not None and source.is_file():
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            if load.url in line:
                where = source.relative_to(project) if source.is_relative_to(project) else source
                built = f"{load.file}:{load.line}"
                return f"{where}:{number}: loads {load.url} ({load.what}) from another host (in {built})"
    return load.format()


class DeliveryPlugin(BasePlugin[DeliveryConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.profile = "cdn"
        self.scan_memo: ScanMemo | None = None
        self.sources: dict[str, Path] = {}  # built page → its Markdown source
        #: Member builds (cloudpeds.adapters.members): called with the built site just before the delivery step,
        #: which then runs with ``options`` on each member's site too.
        self.before_finish = None  # Callable[[Path], None] | None
        self.options: DeliveryOptions | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        # This plugin has on_startup, so MkDocs keeps it across `mkdocs serve` rebuilds: they scan only changed files.
        self.scan_memo = ScanMemo() if command == "serve" else None

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if page.file.abs_src_path:  # written by hand (generated pages have no source file of their own)
            self.sources[page.file.dest_uri] = Path(page.file.abs_src_path)
        return None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        profile = self.config.profile
        if profile == "auto":
            profile = "cdn" if config.use_directory_urls else "offline"
        self.profile = profile
        # `mkdocs serve` rebuilds on every edit: a service worker would serve stale pages there.
        web_app = profile == "cdn" and self.config.service_worker and self.command != "serve"
        config.extra["cp_delivery"] = {"profile": profile, "web_app": web_app,
                                       "theme_color": self.config.theme_color}
        return config

    # Last of all post-build work: after cloudpeds/search has written the index and lunr.js.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        serving = self.command == "serve"
        cdn = self.profile == "cdn" and not serving
        project = Path(config.config_file_path).parent
        options = DeliveryOptions(
            profile="cdn" if cdn else "offline",
            retire_service_worker=serving,
            edition=edition_of(config),
            allowed_hosts=tuple(self.config.allowed_hosts),
            fingerprint=self.config.fingerprint,
            service_worker=config.extra["cp_delivery"]["web_app"],
            headers_file=self.config.headers_file,
            precompress=self.config.precompress,
            node_modules=(project / self.config.node_modules).resolve(),
            base_path=urlsplit(config.site_url or "").path or "/",
            cache_dir=project / self.config.cache_dir,
            worker_cache_dir=project / self.config.worker_cache_dir,
            jobs=self.config.jobs or default_jobs(),
            theme_dirs=tuple(Path(folder) for folder in config.theme.dirs),
            own_scripts=not_found.SCRIPTS,
            scan_memo=self.scan_memo,
            app=WebApp(self.config.app_name, self.config.app_short_name, lang="zh-CN",
                       description=config.site_description or "", theme_color=self.config.theme_color),
        )
        self.options = options
        if self.before_finish is not None:
            self.before_finish(Path(config.site_dir))
        try:  # paths in the problems are relative to the site (the build's staging folder is discarded)
            report = finish_site(Path(config.site_dir), options, log.info)
        except DeliveryError as exc:
            if exc.loads:
                problems = [source_problem(load, self.sources, project) for load in exc.loads]
                exc = DeliveryError(exc.summary, problems + exc.problems[len(exc.loads):])
            raise PluginError(f"the built site cannot be delivered: {exc}") from None
        except ChildFailed as exc:
            raise PluginError(f"the delivery step failed: {exc}") from None
        if options.scan_memo is not None:
            options.scan_memo.sweep()
        if report.csp:
            log.info(f"Content-Security-Policy with {report.csp.count('sha256-')} inline-script hashes "
                     "(in _headers; for nginx: cloudpeds nginx-config --site DIR)")
