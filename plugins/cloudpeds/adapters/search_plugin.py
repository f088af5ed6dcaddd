"""``cloudpeds/search``: prebuilt, Chinese-aware search. All logic lives in cloudpeds.search."""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ..diagnostics import SourceError
from ..parallel import ChildFailed, InBackground, default_jobs
from ..search.indexer import MAX_POSTINGS
from ..search.site import index_files, vendor_files
from ..search.synonyms import Synonyms

log = get_plugin_logger(__name__)


class SearchConfig(Config):
    enabled = opt.Type(bool, default=True)
    """Build the search index and show the search button in the header."""

    node_modules = opt.Type(str, default="node_modules")
    """Where `npm ci` put the front-end packages (lunr.js is copied from there into the site)."""

    max_postings = opt.Type(int, default=MAX_POSTINGS)
    """A word found in more places than this keeps only its best-scoring ones in the index (the first
    results of a one-word query are unchanged). Smaller: a faster search on phones for big manuals."""

    jobs = opt.Type(int, default=0)
    """Processes for the search index: 0 = one per core (the index is built beside the page templates, and with
    three or more cores the languages side by side), 1 = none. A process with other threads (`mkdocs serve`'s
    server) never forks (`cloudpeds.parallel.may_fork`)."""


class SearchPlugin(BasePlugin[SearchConfig]):
    def __init__(self) -> None:
        self.rendered: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        self.pending: InBackground | None = None
        self.vendored: dict[str, Path] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        for other in ("search", "material/search"):
            if other in config.plugins:
                raise PluginError(f"mkdocs.yml: remove the `{other}` plugin; cloudpeds/search replaces it "
                                  "(Material's search splits Chinese queries wrongly and builds its index "
                                  "on the phone)")
        config.extra["cp_search"] = True
        self.rendered, self.titles = {}, {}
        return config

    # After the other plugins have changed the page HTML, so the index sees what readers see.
    @event_priority(-100)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.config.enabled:
            self.rendered[page.file.src_uri] = html
            self.titles[page.file.src_uri] = page.title or ""
        return None

    # Every page's content is in by now (MkDocs renders the templates next): the index is built in a forked
    # process beside the templates, on another core, and written in on_post_build.
    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        if not self.config.enabled:
            return None
        manual_plugin = config.plugins.get("cloudpeds/manual")
        renderer = getattr(manual_plugin, "renderer", None)
        if renderer is None:
            raise PluginError("cloudpeds/search needs the cloudpeds/manual plugin (list it first in mkdocs.yml)")
        try:
            self.vendored = vendor_files(Path(config.config_file_path).parent / self.config.node_modules)
        except SourceError as exc:
            raise PluginError(str(exc)) from None
        courses = getattr(config.plugins.get("cloudpeds/courses"), "site", None)
        generated = manual_plugin.generated_docs | {page.doc for page in (courses.pages if courses else [])}
        content_docs = [doc for doc in self.rendered if doc not in generated and not doc.endswith("index.md")]
        lessons = [entry for lang in renderer.manual.languages
                   for entry in (courses.renderer.search_entries(lang) if courses else [])]
        synonyms = renderer.manual.synonyms or Synonyms()
        jobs = self.config.jobs or default_jobs()
        self.pending = InBackground(lambda: index_files(
            renderer.manual, renderer.layout, synonyms, self.rendered, self.titles, sorted(content_docs), lessons,
            max_postings=self.config.max_postings, jobs=max(1, jobs - 1)), fork=jobs > 1)
        return None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        pending, self.pending = self.pending, None
        site = Path(config.site_dir)
        try:
            files = pending.result()
        except ChildFailed as exc:
            raise PluginError(f"the search index could not be built: {exc}") from None
        for relative, text in files.items():
            target = site / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for relative, source in self.vendored.items():
            target = site / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        log.info(f"search index written: {len(files)} files")

    def on_build_error(self, *, error: Exception) -> None:
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None
