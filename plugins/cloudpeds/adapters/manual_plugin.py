"""``cloudpeds/manual``: turns the manual into MkDocs pages. All logic lives in cloudpeds.manual."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import html
import logging
import os
import posixpath
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from .. import i18n, links, messages, not_found, output, preview, share_cards
from ..clinical import level_styles
from ..clinical.export import export_files
from ..clinical.note import QR_ENCODER, note_files
from ..content_pages import check_content_pages
from ..diagnostics import Severity, has_errors
from ..editions.pages import whats_new_doc
from ..editions.site import EditionSite
from ..formats.api import api_files
from ..formats.common import EditionRef
from ..manual.pages import QR_SCRIPT, Layout, NavEntry, Renderer
from ..manual.prune import chapter_counts, prunes
from ..manual.validate import check
from ..markup.sanitize import SanitizeExtension
from ..markup.source import check_pages
from . import preview_memo
from .config import ManualConfig

log = get_plugin_logger(__name__)
#: Said by every build without ``site_url``: MkDocs then writes a sitemap.xml with no pages.
SITEMAP_NOTE = ("sitemap.xml lists no pages because site_url is not set; to fix it, set site_url in mkdocs.yml "
                "to the address readers open, e.g. site_url: https://peds.example.org/manual/")
#: Set by ``cloudpeds publish`` while it builds an edition for the releases folder.
RELEASE_ENV = "CLOUDPEDS_RELEASE"
#: "0" turns the preview's memory off (every `mkdocs serve` rebuild computes everything again).
PREVIEW_MEMO_ENV = "CLOUDPEDS_PREVIEW_MEMO"


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class ManualPlugin(BasePlugin[ManualConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.renderer: Renderer | None = None
        self.layout = Layout()
        self.navs: dict[str, Navigation] = {}
        self.site_dir: Path | None = None
        self.staging: Path | None = None
        self.succeeded = False
        self.strict = False
        self.warnings = _WarningCounter()
        self._editors_words = messages.EditorsWords()
        self.generated_docs: set[str] = set()
        self.known_docs: set[str] = set()
        self.descriptions: dict[str, str] = {}
        self.edition_site: EditionSite | None = None
        self.edition_files: dict[str, str] = {}
        self.levels_into: str | None = None
        self.cards: dict[str, share_cards.Card] = {}
        #: Member builds (cloudpeds.adapters.members): pages get slots for the members' blocks, with a note
        #: slot after these item ids, and the members' site files are checked with the manual.
        self.member_slots: frozenset[str] | None = None
        self.member_check = None  # Callable[[Manual], list[Diagnostic]] | None
        #: `mkdocs serve` only: what the last build computed, by the digest of its inputs (cloudpeds.preview).
        #: This plugin has on_startup, so MkDocs keeps this instance (and the memo) across rebuilds.
        self.memo: preview.Memo | None = None
        self.render_scope = ""
        self.page_scope = ""
        self.nav_digests: dict[str, str] = {}
        self.kept_site: preview_memo.KeptSite | None = None
        self.collector: preview_memo.Collector | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        if command == "serve" and os.environ.get(PREVIEW_MEMO_ENV, "1") != "0":
            self.memo = preview.Memo()
            # `serve --dirty` writes only pages whose source changed and keeps the rest itself: no sweep then.
            self.kept_site = None if dirty else preview_memo.KeptSite()
            self.collector = preview_memo.Collector()
        logging.getLogger("mkdocs").addHandler(self.warnings)
        self._editors_words.lang = messages.language_from_env()  # `mkdocs build`/`serve` print through their handler
        for handler in logging.getLogger("mkdocs").handlers:
            if handler.name == "MkDocsStreamHandler":
                handler.addFilter(self._editors_words)

    def on_shutdown(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        for handler in logging.getLogger("mkdocs").handlers:
            handler.removeFilter(self._editors_words)
        self._finish_output()
        if self.kept_site is not None:
            self.kept_site.stop()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        languages = tuple(self.config.languages)
        self.layout = Layout(languages, directory_urls=config.use_directory_urls)
        manual_dir = Path(config.config_file_path).parent / self.config.manual_dir
        features = list(config.theme["features"]) if "features" in config.theme else []
        if prunes(self.config.navigation_prune, chapter_counts(manual_dir)) and "navigation.prune" not in features:
            config.theme["features"] = [*features, "navigation.prune"]
        if not any(isinstance(ext, SanitizeExtension) for ext in config.markdown_extensions):
            config.markdown_extensions.append(SanitizeExtension())  # content HTML through the allowlist
        self.strict = bool(config.strict)
        self.warnings.count = 0
        self.succeeded = False
        # Truthy so that Material's header includes the language switch (theme/partials/
        # alternate.html, which links each page to its counterpart), but not a list: Material would
        # then emit <link rel=alternate> tags and fetch <lang>/sitemap.xml for each of them.
        config.extra["alternate"] = True
        # The urgency scale's colours go at the end of the theme's own stylesheet (on_post_build), so a phone
        # loads one stylesheet of ours; without that stylesheet, a generated one of their own.
        self.levels_into = level_styles.THEME_FILE if level_styles.THEME_FILE in config.extra_css else None
        if self.levels_into is None and level_styles.FILE not in config.extra_css:
            config.extra_css.append(level_styles.FILE)
        if release := os.environ.get(RELEASE_ENV):
            # Only a published edition sits in a releases folder beside versions.json: elsewhere
            # Material's selector would request a missing ../versions.json on every page.
            config.extra["version"] = {"provider": "mike", "default": "latest"}
            if config.site_url:
                # The edition lives at <site_url>/<version>/: canonical links and the sitemap say so,
                # and the selector uses the sitemap to switch to the same page in another edition.
                config.site_url = f"{config.site_url.rstrip('/')}/{release}/"
        if self.config.atomic and self.command in ("build", "gh-deploy"):
            self.site_dir = Path(config.site_dir)
            self.staging = output.prepare(self.site_dir)
            config.site_dir = str(self.staging)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.kept_site is not None and self.config.enabled:
            self.kept_site.start(Path(config.site_dir))  # written over, not cleaned; swept in _sweep_kept_site
        if self.collector is not None:
            self.collector.build_started()

    # Runs before other plugins see the files, so that they also see the generated pages.
    @event_priority(100)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        project = Path(config.config_file_path).parent
        manual, diagnostics = check(project / self.config.manual_dir, languages=self.layout.languages,
                                    root=project, memo=self.memo)
        diagnostics += check_content_pages(Path(config.docs_dir), project)
        if self.member_check is not None:
            diagnostics += self.member_check(manual)
        for diagnostic in diagnostics:
            if diagnostic.severity is Severity.WARNING:
                log.warning(messages.format_diagnostic(diagnostic, messages.language_from_env()))
        diagnostics = [*diagnostics, *check_pages(Path(config.docs_dir), project)]
        if has_errors(diagnostics):
            errors = [d for d in diagnostics if d.severity is Severity.ERROR]
            raise PluginError(messages.error_report("the manual has errors; nothing was written to the site:", errors))
        self.renderer = Renderer(manual, self.layout, sample_disclaimer=self.config.sample_disclaimer)
        self.renderer.site_url = config.site_url or None
        self.renderer.member_slots = self.member_slots
        if self.memo is not None:
            self.renderer.memo = self.memo
            self.renderer.shared_digest = preview.tree_digest(project / self.config.manual_dir, skip=("chapters",))
        generated = self._prepare_edition(project, manual)
        if self.edition_site and self.edition_site.edition:
            # Names the service worker's cache (cloudpeds/delivery) and the bundle: one per edition.
            config.extra.setdefault("edition", self.edition_site.edition.version)
        self.generated_docs = set()
        self.descriptions = {}
        for page in [*self.renderer.pages(), *generated]:
            existing = files.get_file_from_path(page.doc)
            if existing is not None:
                raise PluginError(f"{config.docs_dir}/{page.doc} would hide the generated page "
                                  f"{page.doc!r}; rename or remove the hand-written file")
            files.append(File.generated(config, page.doc, content=page.markdown))
            self.generated_docs.add(page.doc)
            if page.description:
                self.descriptions[page.doc] = page.description
        for path, text in self.edition_files.items():
            files.append(File.generated(config, path, content=text))
        if self.levels_into is None:
            files.append(File.generated(config, level_styles.FILE, content=level_styles.css()))
        # The evaluator's data per chapter, for the browser (cloudpeds.clinical.export).
        for path, text in export_files(manual).items():
            files.append(File.generated(config, path, content=text))
        # The validated model as plain JSON with its JSON Schema (cloudpeds.formats.api).
        edition = EditionRef.of(self.edition_site.edition if self.edition_site else None)
        for path, text in api_files(manual, layout=self.layout, edition=edition, site_url=config.site_url,
                                    memo=self.memo, scope=self.renderer.shared_digest).items():
            files.append(File.generated(config, path, content=text))
        self.cards = self._share_cards(config, manual)
        # The referral note's data per chapter and its QR encoder, loaded on first use (cloudpeds.clinical.note).
        for path, text in note_files(manual).items():
            files.append(File.generated(config, path, content=text))
        qr_encoder = project / "node_modules" / QR_ENCODER
        if qr_encoder.exists():
            files.append(File.generated(config, QR_SCRIPT, abs_src_path=str(qr_encoder)))
        if self.command == "build":
            # The manual model lives until the end of the build: keep the garbage collector from
            # scanning it again at every collection (a one-shot process; `serve` keeps collecting).
            gc.freeze()
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled or self.renderer is None:
            return None
        pages = {file.src_uri: file.page for file in files.documentation_pages() if file.page}
        content_docs = [uri for uri, page in pages.items() if not file_is_generated(files, uri)]
        for lang in self.layout.languages:
            entries = self.renderer.navigation(lang, content_docs)
            items = [_nav_item(entry, pages) for entry in entries]
            items = [item for item in items if item is not None]
            lang_pages = [page for page in _walk(items)]
            for item in items:
                item.parent = None
            _link_parents(items)
            for before, page, after in zip([None, *lang_pages[:-1]], lang_pages, [*lang_pages[1:], None], strict=True):
                page.previous_page, page.next_page = before, after
            lang_nav = Navigation(items, lang_pages)
            lang_nav.homepage = pages.get(self.layout.home(lang))
            self.navs[lang] = lang_nav
        self.known_docs = {page.file.src_uri for lang_nav in self.navs.values() for page in lang_nav.pages}
        if self.memo is not None:
            self.render_scope = preview.digest(preview_memo.config_digest(config), preview_memo.files_digest(files))
            self.page_scope = self.render_scope
        default = self.navs[self.layout.languages[0]]
        return Navigation(default.items, [p for lang_nav in self.navs.values() for p in lang_nav.pages])

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or self.renderer is None:
            return None
        description = (self.descriptions.get(page.file.src_uri)
                       or self.config.site_descriptions.get(self.layout.language_of(page.file.src_uri)))
        if description:
            # Material's base.html writes page.meta.description into <meta name="description" content="…">
            # as it is (MkDocs' Jinja does not autoescape): a quote in a summary must not end the attribute.
            page.meta.setdefault("description", html.escape(description))
        if self.memo is not None:
            preview_memo.remember_render(page, self.memo, lambda: self.render_scope)
        return self.renderer.expand_directives(markdown, page.file.src_uri)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        return i18n.localize_permalinks(html, self.layout.language_of(page.file.src_uri))

    # Last, so that every plugin's template variables are in place.
    @event_priority(-100)
    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        if self.memo is None or not self.config.enabled:
            return None
        self.nav_digests = preview_memo.lang_navs(self.navs)  # the pages' titles are known once they are rendered
        env.bytecode_cache = self.memo.remember("jinja", "bytecode", preview_memo.MemoryBytecode)
        today = dt.date.today()

        def key_of(template_name: str, context: dict) -> str:
            if context.get("page") is None:
                lang = context.get("cp_lang", self.layout.languages[0])
                return preview_memo.site_template_key(self.page_scope, template_name, context, lang, today)
            lang = self.layout.language_of(context["page"].file.src_uri)
            return preview_memo.page_template_key(self.page_scope, template_name, context, self.nav_digests, lang)
        return preview_memo.remember_templates(env, self.memo, key_of)

    def on_page_context(self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
        if not self.config.enabled or self.renderer is None:
            return context
        doc = page.file.src_uri
        lang = self.layout.language_of(doc)
        context["nav"] = self.navs.get(lang, nav)
        self._language_context(context, lang)
        context["cp_alternates"] = self._alternates(doc, lang)
        data = self.edition_site.page_data(self.layout, lang) if self.edition_site else None
        if data:
            data["whatsNew"] = links.href(doc, str(data["whatsNew"]), directory_urls=self.layout.directory_urls)
            data["root"] = links.root_of(doc, directory_urls=self.layout.directory_urls)
        context["cp_edition"] = data
        context["cp_share"] = self._share(page, config, lang)
        return context

    def _share_cards(self, config: MkDocsConfig, manual) -> dict[str, share_cards.Card]:
        """Per page (doc): its share card; the key ``""`` + language: the site's card for other pages."""
        if not (self.config.share_cards and config.site_url and config.use_directory_urls):
            return {}  # previews need absolute addresses; the offline copy (file://) is never shared
        cards: dict[str, share_cards.Card] = {}
        site = config.site_name or ""
        for lang in manual.languages:
            description = (config.site_description if lang == self.layout.languages[0]
                           else self.config.site_descriptions.get(lang, "")) or ""
            cards[f":{lang}"] = share_cards.Card(site, description, "", f"site-{lang}")
            for chapter in manual.in_language(lang):
                meta = chapter.meta
                cards[self.layout.chapter(lang, meta.id)] = share_cards.Card(
                    meta.title, manual.group_title(meta.group, lang), site, f"{meta.id}-{lang}")
        return cards

    def _share(self, page: Page, config: MkDocsConfig, lang: str) -> dict[str, str | None]:
        """What a link preview shows (theme/partials/cp-share.html): title, description, card, address."""
        chapter = self.cards.get(page.file.src_uri)
        card = chapter or self.cards.get(f":{lang}")
        site_url = (config.site_url or "").rstrip("/")
        return {
            "type": "article" if chapter else "website",
            "title": config.site_name if page.is_homepage else page.title,
            # Already escaped for an attribute (on_page_markdown); the site's is escaped by the template.
            "description": page.meta.get("description"),
            "image": f"{site_url}/{card.path}" if card else None,
            "url": page.canonical_url if site_url else None,
        }

    def on_template_context(self, context: dict, *, template_name: str, config: MkDocsConfig) -> dict:
        if not self.config.enabled or self.renderer is None or template_name != "404.html":
            return context
        # The 404 page (theme/404.html) is in every language; its chrome is the default language's. Servers show
        # it at any depth: without site_url its URLs are relative to the site's root, which the page finds itself.
        if not config.site_url:
            context["base_url"] = "."
        base = context["base_url"]
        lang = self.layout.languages[0]
        self._language_context(context, lang)
        context["cp_alternates"] = [
            {"lang": other, "name": i18n.LANGUAGE_NAMES[other], "current": other == lang,
             "href": posixpath.join(base, self.layout.home(other).removesuffix("index.md") if self.layout.directory_urls
                                    else not_found.from_root(self.layout.home(other), directory_urls=False))}
            for other in self.layout.languages]
        # Its links, relative to the site's root: folders on a server, index.html files from file:// (offline).
        context["cp_not_found"] = {
            f"{key}_{other}": not_found.from_root(doc, self.layout.directory_urls)
            for other in self.layout.languages
            for key, doc in (("home", self.layout.home(other)), ("search", self.layout.quick(other, "a-z")))}
        return context

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        if not self.config.enabled or template_name != "404.html" or config.site_url:
            return None
        try:
            return not_found.relocatable(output_content, directory_urls=self.layout.directory_urls)
        except ValueError as error:
            log.warning(f"404.html: {error}; it will find its styles only at the site's first level: set site_url "
                        "in mkdocs.yml to the address readers open, e.g. https://peds.example.org/manual/")
            return None

    def _post_build(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled and self.cards:
            project = Path(config.config_file_path).parent
            try:
                drawn = share_cards.write(self.cards.values(), Path(config.site_dir),
                                          project / ".cache" / "share-cards", self.kept_site and self.kept_site.folder)
            except share_cards.ShareCardError as error:
                raise PluginError(str(error)) from None
            if drawn:
                log.info(f"share cards: {drawn} drawn, {len(self.cards) - drawn} from the cache")
        if self.config.enabled and self.levels_into:
            sheet = Path(config.site_dir) / self.levels_into
            if sheet.is_file():
                sheet.write_text(sheet.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + level_styles.css(),
                                 encoding="utf-8")
        self.succeeded = True
        if self.memo is not None:
            log.info(f"preview: remembered {self.memo.sweep()}")
        if not config.site_url and self.command == "build":
            # Not a warning: a site without site_url is fine (pages, 404 and search use relative URLs), and
            # `--strict` builds must not fail on it.
            log.info(SITEMAP_NOTE)

    # After every plugin has written its files (cloudpeds/search at 0), before cloudpeds/delivery reads the site
    # (-100): what the last preview build wrote and this one did not goes now.
    @event_priority(-50)
    def _sweep_kept_site(self, *, config: MkDocsConfig) -> None:
        if self.kept_site is not None and self.config.enabled:
            removed, unchanged = self.kept_site.sweep()
            log.info(f"preview: {unchanged} files unchanged (not written again), {removed} files of the last build "
                     "that this one did not write removed (pages of removed sources; files the delivery step writes "
                     "next)")

    # After cloudpeds/search has started the index's thread (-200): the collector waits for it.
    @event_priority(-300)
    def _collect_later(self, *, config: MkDocsConfig) -> None:
        if self.collector is not None:
            self.collector.build_over(getattr(config.plugins.get("cloudpeds/search"), "background", None))

    on_post_build = CombinedEvent(_post_build, _sweep_kept_site, _collect_later)

    def on_build_error(self, *, error: Exception) -> None:
        self.succeeded = False
        if self.collector is not None:
            self.collector.build_over()

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        if self.config.enabled:
            server.watch(str(Path(config.config_file_path).parent / self.config.manual_dir))
        return server

    # -- helpers -------------------------------------------------------------------------------
    def _prepare_edition(self, project: Path, manual) -> list:
        """The working edition compared with the previous one: badges, "What's new" pages, JSON files."""
        baseline = project / self.config.baseline if self.config.baseline else None
        site = EditionSite.prepare(manual, project=project,
                                   editions_file=project / self.config.manual_dir / self.config.editions_file,
                                   releases_dir=project / self.config.releases_dir, baseline=baseline,
                                   memo=self.memo, scope=self.renderer.shared_digest)
        if site.diagnostics:
            raise PluginError(messages.error_report("the editions have errors; nothing was written to the site:",
                                                    site.diagnostics))
        self.edition_site = site
        self.edition_files = {}
        if site.editions is None:
            return []
        renderer = self.renderer
        for lang in self.layout.languages:
            renderer.changed[lang] = site.changed_items(lang)
            renderer.changed_chapters[lang] = site.changed_chapters(lang)
            renderer.whats_new[lang] = whats_new_doc(self.layout, lang)
        self.edition_files = site.files()
        return site.pages(self.layout)

    def _language_context(self, context: dict, lang: str) -> None:
        """What every page's chrome needs in its language: strings, search strings, the sample disclaimer."""
        context["cp_lang"] = lang
        context["cp_theme_language"] = i18n.THEME_LANGUAGE[lang]
        context["cp_strings"] = self._strings(lang)
        context["cp_search_strings"] = self._search_strings(lang)
        context["cp_disclaimer"] = self.renderer.disclaimer(lang)
        if self.member_slots is not None:  # the member's banner (name, emergency numbers), filled per member
            from ..members.slots import slot

            context["cp_member_slot"] = slot("banner", lang)

    @functools.lru_cache(maxsize=8)  # noqa: B019 (one plugin instance per build, or per server: the strings are code)
    def _strings(self, lang: str) -> dict[str, str]:
        return i18n.strings(lang)

    @functools.lru_cache(maxsize=8)  # noqa: B019 (as _strings)
    def _search_strings(self, lang: str) -> dict[str, str]:
        return {key.removeprefix("search."): value for key, value in self._strings(lang).items()
                if key.startswith("search.")}

    def _alternates(self, doc: str, lang: str) -> list[dict[str, object]]:
        known = self.known_docs
        out = []
        for other in self.layout.languages:
            target = self.layout.counterpart(doc, other)
            if target not in known:
                target = self.layout.home(other)
            out.append({
                "lang": other,
                "name": i18n.LANGUAGE_NAMES[other],
                "href": links.href(doc, target, directory_urls=self.layout.directory_urls),
                "current": other == lang,
            })
        return out

    def _finish_output(self) -> None:
        if self.staging is None or self.site_dir is None:
            return
        staging, self.staging = self.staging, None
        failed = not self.succeeded or (self.strict and self.warnings.count)
        if failed:
            output.discard(staging)
            log.error(f"build failed: {self.site_dir} was left unchanged")
        else:
            output.publish(staging, self.site_dir)


def file_is_generated(files: Files, uri: str) -> bool:
    file = files.get_file_from_path(uri)
    return file is not None and file.generated_by is not None


def _nav_item(entry: NavEntry, pages: dict[str, Page]) -> Page | Section | None:
    if entry.doc is not None:
        return pages.get(entry.doc)
    children = [child for child in (_nav_item(c, pages) for c in entry.children) if child is not None]
    return Section(entry.title or "", children) if children else None


def _walk(items: list) -> list[Page]:
    found: list[Page] = []
    for item in items:
        if isinstance(item, Section):
            found += _walk(item.children)
        elif isinstance(item, Page):
            found.append(item)
    return found


def _link_parents(items: list) -> None:
    for item in items:
        if isinstance(item, Section):
            for child in item.children:
                child.parent = item
            _link_parents(item.children)
