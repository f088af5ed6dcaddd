"""``cloudpeds/search``: prebuilt, Chinese-aware search. All logic lives in cloudpeds.search."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ..diagnostics import SourceError
from ..parallel import ChildFailed, InBackground, default_jobs
from ..search.indexer import MAX_POSTINGS
from ..search.site import index_files, language_index, language_keys, vendor_files
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
        self.serving = False
        # `mkdocs serve` only (this plugin has on_startup, so MkDocs keeps it across rebuilds): the search files
        # of the languages whose index was remembered, those to compute after the pages are written, and the
        # files each language's index consists of now.
        self.ready: dict[str, list[tuple[str, str]]] = {}
        self.later: tuple[dict[str, str], object] | None = None
        self.written: dict[str, list[tuple[str, str]]] = {}
        self.lock = threading.Lock()
        self.generation = 0
        self.holding = False
        self.background: threading.Thread | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Held until the build is over (`_build_over`): an index computed in a thread for the previous build is
        # written only between builds (the delivery step reads every file), and after this build not at all.
        self._hold()
        self.generation += 1

    def _hold(self) -> None:
        if not self.holding:
            self.lock.acquire()
            self.holding = True

    def _release(self) -> None:
        if self.holding:
            self.holding = False
            self.lock.release()

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
        memo = renderer.memo
        if self.serving and memo is not None:
            self._remembered_or_later(renderer, synonyms, sorted(content_docs), lessons, memo)
            return None
        self.pending = InBackground(lambda: index_files(
            renderer.manual, renderer.layout, synonyms, self.rendered, self.titles, sorted(content_docs), lessons,
            max_postings=self.config.max_postings, jobs=max(1, jobs - 1)), fork=jobs > 1)
        return None

    def _write_index(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        pending, self.pending = self.pending, None
        site = Path(config.site_dir)
        if pending is None:  # `mkdocs serve`
            self._write_remembered_then_later(site)
            files = None
        else:
            try:
                files = pending.result()
            except ChildFailed as exc:
                raise PluginError(f"the search index could not be built: {exc}") from None
            _write(site, files.items())
        for relative, source in self.vendored.items():
            target = site / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        if files is not None:
            log.info(f"search index written: {len(files)} files")

    # -- `mkdocs serve`: the pages first, the index of an edited language right after them ------------------
    def _remembered_or_later(self, renderer, synonyms: Synonyms, content_docs: list[str], lessons: list,
                             memo) -> None:
        """Languages whose pages, chapters and synonyms did not change keep their index (cloudpeds.preview); the
        others are indexed after the pages are written, in a thread: an edit reloads the page without waiting
        for the index of all its language's pages, which follows a few seconds later."""
        manual, layout = renderer.manual, renderer.layout
        rendered, titles = dict(self.rendered), dict(self.titles)
        keys = language_keys(manual, layout, synonyms, rendered, titles, content_docs, lessons,
                             self.config.max_postings, renderer.shared_digest)
        self.ready = {lang: found for lang, key in keys.items() if (found := memo.get("search", key)) is not None}
        missing = [lang for lang in keys if lang not in self.ready]

        max_postings = self.config.max_postings

        def indexes() -> dict[str, list[tuple[str, str]]]:
            return {lang: language_index(manual, layout, lang, synonyms, rendered, titles, content_docs, lessons,
                                         max_postings) for lang in missing}

        def compute() -> dict[str, list[tuple[str, str]]]:
            # In a forked process, on the other core: a thread of this one would hold the interpreter while the
            # server sends the reloaded page (every write of it waits for the thread) and while the next build runs.
            # The child only computes over the pages in memory (`InBackground`'s despite_threads).
            out = InBackground(indexes, fork=True, despite_threads=True).result()
            for lang, files in out.items():
                memo.put("search", keys[lang], files)
            return out
        self.later = (keys, compute) if missing else None

    def _write_remembered_then_later(self, site: Path) -> None:
        for lang, files in self.ready.items():
            _write(site, files)
            self.written[lang] = files
        if self.later is None:
            return
        keys, compute = self.later
        self.later = None
        for lang in keys:
            if lang not in self.ready:
                _write(site, self.written.get(lang, []))  # until the new index is there: the last one
        generation = self.generation

        def index_later() -> None:
            try:
                computed = compute()
            except Exception as exc:
                log.error(f"the search index could not be built: {exc}")
                return
            with self.lock:
                if generation != self.generation:
                    return  # a newer build is on its way
                for lang, files in computed.items():
                    _write(site, files)
                    new = {relative for relative, _ in files}
                    for relative, _ in self.written.get(lang, []):
                        if relative not in new:
                            (site / relative).unlink(missing_ok=True)
                    self.written[lang] = files
            log.info(f"search index written: {', '.join(computed)} (after the pages)")
        # Started once the build is over (`_build_over`): a thread computing beside the rest of the build would
        # hold the interpreter while the build waits on the file system, and slow every one of its file calls.
        self.background = threading.Thread(target=index_later, name="cloudpeds-search-index", daemon=True)

    # After every other plugin's post-build work (cloudpeds/delivery reads the site at priority -100).
    @event_priority(-200)
    def _build_over(self, *, config: MkDocsConfig) -> None:
        self._release()
        if self.background is not None and self.background.ident is None:
            self.background.start()

    on_post_build = CombinedEvent(_write_index, _build_over)

    def on_build_error(self, *, error: Exception) -> None:
        self._release()
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None


def _write(site: Path, files) -> None:
    for relative, text in files:
        target = site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
