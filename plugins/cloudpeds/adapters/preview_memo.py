"""What MkDocs computes per page, remembered across `mkdocs serve` rebuilds (see cloudpeds.preview).

MkDocs has no event that lets a plugin skip a page's Markdown conversion or template, so the manual plugin
wraps the two calls that do them: ``Page.render`` (per page instance, from ``on_page_markdown``) and the
template's ``render`` (the environment's ``get_template``, from ``on_env``). Both look the result up by the
digest of their inputs and compute it only when it is not there.
"""

from __future__ import annotations

import gc
import json
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.bccache
import mkdocs.utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from .. import output
from ..preview import Memo, digest, tree_digest


def files_digest(files: Files) -> str:
    """The site's files as Markdown's link resolution sees them."""
    return digest(*sorted(f"{f.src_uri}\0{f.dest_uri}\0{f.url}" for f in files))


def config_digest(config: MkDocsConfig) -> str:
    """mkdocs.yml, what the plugins put into it, and the project's theme folder."""
    project = Path(config.config_file_path).parent
    theme_dir = config.theme.custom_dir
    return digest(Path(config.config_file_path).read_bytes(), config.site_url,
                  json.dumps(config.extra, sort_keys=True, default=repr),
                  list(config.theme.get("features") or []), tree_digest(Path(theme_dir)) if theme_dir else "",
                  project)


def nav_digest(items: Iterable) -> str:
    def walk(entries: Iterable) -> list:
        out: list = []
        for entry in entries:
            if isinstance(entry, Section):
                out.append(("section", entry.title, walk(entry.children)))
            else:
                out.append((type(entry).__name__, entry.title, getattr(entry, "url", None)))
        return out
    return digest(walk(items))


def _toc(items: Iterable) -> list:
    return [(item.title, item.id, item.level, _toc(item.children)) for item in items]


@dataclass
class _Rendered:
    content: str
    toc: object
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None

    @classmethod
    def of(cls, page: Page) -> _Rendered:
        links = page.links_to_anchors
        return cls(page.content or "", page.toc, page._title_from_render, page.present_anchor_ids,
                   None if links is None else {file.src_uri: anchors for file, anchors in links.items()})

    def restore(self, page: Page, files: Files) -> None:
        page.content, page.toc, page._title_from_render = self.content, self.toc, self.title
        page.present_anchor_ids = self.anchors
        if self.links_to_anchors is not None:
            page.links_to_anchors = {file: anchors for uri, anchors in self.links_to_anchors.items()
                                     if (file := files.get_file_from_path(uri)) is not None}


def remember_render(page: Page, memo: Memo, scope: Callable[[], str]) -> None:
    """Make ``page.render`` (called by MkDocs right after ``on_page_markdown``) look its result up first."""
    convert = page.render

    def render(config: MkDocsConfig, files: Files) -> None:
        key = digest(scope(), page.file.src_uri, page.file.dest_uri, page.file.url, page.markdown)
        found = memo.get("markdown", key)
        if isinstance(found, _Rendered):
            found.restore(page, files)
        else:
            convert(config, files)
            memo.put("markdown", key, _Rendered.of(page))
    page.render = render  # type: ignore[method-assign]


#: Template variables of ours that follow from the page's language (and the configuration): the key has the language.
BY_LANGUAGE = frozenset({"cp_strings", "cp_search_strings", "cp_disclaimer", "cp_theme_language", "cp_lang"})


def _ours(context: dict) -> str:
    return json.dumps({name: value for name, value in context.items()
                       if name.startswith("cp_") and name not in BY_LANGUAGE}, sort_keys=True, default=repr)


def page_template_key(scope: str, template_name: str, context: dict, navs: dict[str, str], lang: str) -> str:
    """Everything a page's template output is made from (besides the process's code and Material's theme)."""
    page = context["page"]
    neighbours = [(other.title, other.url) if other else None for other in (page.previous_page, page.next_page)]
    return digest(scope, template_name, lang, page.file.src_uri, page.url, page.canonical_url, page.edit_url,
                  page.title, page.content, _toc(page.toc or []), json.dumps(page.meta, sort_keys=True, default=repr),
                  neighbours, navs.get(lang, ""), context.get("base_url"), _ours(context), page.is_homepage)


def site_template_key(scope: str, template_name: str, context: dict, lang: str, today: object) -> str:
    """The same for a template of the whole site (404.html, sitemap.xml): its navigation and the list of pages."""
    nav = context.get("nav")
    pages = [(file.src_uri, file.url, getattr(file.page, "canonical_url", None))
             for file in context.get("pages") or []]
    return digest(scope, template_name, lang, nav_digest(nav.items) if nav is not None else "",
                  context.get("base_url"), _ours(context), pages, today)


class MemoryBytecode(jinja2.BytecodeCache):
    """Compiled templates kept between rebuilds (MkDocs makes a new Jinja environment for every build)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.compiled.get(bucket.key + bucket.checksum)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key + bucket.checksum] = bucket.bytecode_to_string()


class _RememberedTemplate:
    """A Jinja template whose ``render`` (the call MkDocs makes) looks its output up first. Jinja itself
    renders included and extended templates through other attributes, which pass through."""

    def __init__(self, template, key_of: Callable[[str, dict], str | None], memo: Memo):
        self._template, self._key_of, self._memo = template, key_of, memo

    def __getattr__(self, name: str):
        return getattr(self._template, name)

    def render(self, *args, **kwargs) -> str:
        context = dict(*args, **kwargs)
        key = self._key_of(self._template.name, context)
        if key is None:
            return self._template.render(context)
        return self._memo.remember("template", key, lambda: self._template.render(context))


def remember_templates(env, memo: Memo, key_of: Callable[[str, dict], str | None]):
    get_template = env.get_template

    def remembering(name, *args, **kwargs):
        return _RememberedTemplate(get_template(name, *args, **kwargs), key_of, memo)
    env.get_template = remembering
    return env


def lang_navs(navs: dict[str, Navigation]) -> dict[str, str]:
    return {lang: nav_digest(nav.items) for lang, nav in navs.items()}


class KeptSite:
    """`mkdocs serve` cleans its site folder before every rebuild and writes every file again; the preview keeps
    the folder (`cloudpeds.output.KeptFolder`): files whose bytes did not change are not written, and afterwards
    only what the build did not write goes (pages of removed sources).

    Deleting and re-creating ~1,000 page folders cost seconds per rebuild at 500 chapters, and a file written
    again, even with the same bytes, had to be read again by the delivery step's scans. MkDocs has no event
    between its clean and its writes, so while the server runs its three writing functions are wrapped for this
    one folder: ``utils.clean_directory`` (skipped), ``utils.write_file`` (pages, templates) and
    ``File.copy_file`` (static and generated files). Anything else writes as it always does."""

    def __init__(self) -> None:
        self.folder: output.KeptFolder | None = None
        self._originals: dict[str, Callable] = {}

    def start(self, folder: Path) -> None:
        """Called in ``on_pre_build``, just before MkDocs would clean ``folder``."""
        if self.folder is None or self.folder.folder != Path(os.path.abspath(folder)):
            self.folder = output.KeptFolder(folder)
        self.folder.begin()
        if not self._originals:
            self._wrap()

    def _wrap(self) -> None:
        clean, write_file, copy_file = mkdocs.utils.clean_directory, mkdocs.utils.write_file, File.copy_file
        self._originals = {"clean_directory": clean, "write_file": write_file, "copy_file": copy_file}
        kept = self

        def clean_directory(directory: str) -> None:
            if kept.folder is None or Path(os.path.abspath(directory)) != kept.folder.folder:
                clean(directory)

        def write_file_kept(content: bytes, output_path: str) -> None:
            if kept.folder is not None and kept.folder.holds(output_path):
                kept.folder.write(output_path, content)
            else:
                write_file(content, output_path)

        def copy_file_kept(file: File, dirty: bool = False) -> None:
            if kept.folder is None or not kept.folder.holds(file.abs_dest_path):
                return copy_file(file, dirty)
            content = file._content
            if content is None:
                if file.abs_src_path is not None and os.path.abspath(file.abs_src_path) == file.abs_dest_path:
                    return None  # a plugin wrote it into the site itself
                kept.folder.copy(file.abs_src_path, file.abs_dest_path)
            else:
                kept.folder.write(file.abs_dest_path, content.encode("utf-8") if isinstance(content, str) else content)
            return None

        mkdocs.utils.clean_directory = clean_directory
        mkdocs.utils.write_file = write_file_kept
        File.copy_file = copy_file_kept  # type: ignore[method-assign]

    def sweep(self) -> tuple[int, int]:
        """Remove what this build did not write; returns (files removed, writes skipped as unchanged)."""
        if self.folder is None:
            return 0, 0
        return self.folder.sweep(), self.folder.skipped

    def stop(self) -> None:
        if self._originals:
            mkdocs.utils.clean_directory = self._originals["clean_directory"]
            mkdocs.utils.write_file = self._originals["write_file"]
            File.copy_file = self._originals["copy_file"]  # type: ignore[method-assign]
            self._originals = {}


class Collector:
    """Python's cycle collector, out of the preview's way: after each build everything alive is frozen (a full
    collection in the next build would otherwise walk the whole memory — ~0.6 s at 500 chapters — for the few
    objects that changed), and the garbage of earlier builds is collected in a thread once the work that
    follows a build (the search index) is done, while the reader looks at the page."""

    def __init__(self) -> None:
        self.building = False
        self._lock = threading.Lock()

    def build_started(self) -> None:
        self.building = True

    def build_over(self, after: threading.Thread | None = None) -> None:
        self.building = False
        gc.freeze()
        threading.Thread(target=self._tidy, args=(after,), name="cloudpeds-preview-gc", daemon=True).start()

    def _tidy(self, after: threading.Thread | None) -> None:
        if after is not None and after.ident is not None:
            after.join()
        with self._lock:
            if self.building:
                return  # the next build froze nothing yet; its own end tidies
            gc.unfreeze()
            gc.collect()
            gc.freeze()
