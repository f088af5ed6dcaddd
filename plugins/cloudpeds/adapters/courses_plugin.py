"""``cloudpeds/courses``: video courses. All logic lives in cloudpeds.courses and cloudpeds.media."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .. import messages
from ..courses.site import CourseSite, CourseSiteError
from ..diagnostics import Severity
from ..manual.pages import CHAPTER_LESSONS

log = get_plugin_logger(__name__)


class CoursesConfig(Config):
    enabled = opt.Type(bool, default=True)
    """Build the video courses (catalogue, course and lesson pages, media)."""

    courses_dir = opt.Type(str, default="courses")
    """The folder of course files (`<id>.yml`), relative to mkdocs.yml."""

    cache_dir = opt.Type(str, default=".cache/media")
    """Where transcoded media are kept, by content; a rebuild with unchanged lessons runs no ffmpeg."""

    ladder = opt.ListOfItems(opt.Type(dict), default=[])
    """The HLS ladder, e.g. `- {height: 360, video_bitrate: 600k}`; empty for the default
    240p ≈ 300k, 360p ≈ 600k, 540p ≈ 1.2M, 720p ≈ 2.2M (rungs above the source are skipped)."""

    jobs = opt.Type(int, default=2)
    """Lessons transcoded in parallel."""

    node_modules = opt.Type(str, default="node_modules")
    """Where `npm ci` put hls.js (its light build is copied into the site)."""


def _allowed_hosts(config: MkDocsConfig) -> tuple[str, ...]:
    """The hosts pages may load from (``allowed_hosts`` of cloudpeds/delivery): a live stream must be on one."""
    delivery = config.plugins.get("cloudpeds/delivery")
    return tuple(getattr(getattr(delivery, "config", None), "allowed_hosts", None) or ())


class CoursesPlugin(BasePlugin[CoursesConfig]):
    def __init__(self) -> None:
        self.site: CourseSite | None = None

    # After cloudpeds/manual (priority 100) has loaded the manual, before pages are read.
    @event_priority(90)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        renderer = getattr(config.plugins.get("cloudpeds/manual"), "renderer", None)
        if renderer is None:
            raise PluginError("cloudpeds/courses needs the cloudpeds/manual plugin (list it first in mkdocs.yml)")
        project = Path(config.config_file_path).parent
        try:
            self.site = CourseSite.build(project=project, courses_dir=project / self.config.courses_dir,
                                         cache_dir=project / self.config.cache_dir, renderer=renderer,
                                         ladder=self.config.ladder or None, jobs=self.config.jobs,
                                         node_modules=project / self.config.node_modules, progress=log.info,
                                         allowed_hosts=_allowed_hosts(config), site_url=config.site_url or "")
        except CourseSiteError as exc:
            raise PluginError(messages.error_report("the courses have errors; nothing was written to the site:",
                                                    exc.diagnostics)) from None
        for diagnostic in self.site.diagnostics:
            if diagnostic.severity is Severity.WARNING:
                log.warning(messages.format_diagnostic(diagnostic, messages.language_from_env()))
        for page in self.site.pages:
            files.append(File.generated(config, page.doc, content=page.markdown))
        for target, source in sorted(self.site.static_files.items()):
            files.append(File.generated(config, target, abs_src_path=str(source)))
        for target, content in sorted(self.site.generated_files.items()):  # the live sessions' calendars
            files.append(File.generated(config, target, content=content))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled or self.site is None or CHAPTER_LESSONS not in markdown:
            return None
        return markdown.replace(CHAPTER_LESSONS, self.site.chapter_block(page.file.src_uri))

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        courses_dir = Path(config.config_file_path).parent / self.config.courses_dir
        # Course YAML and captions (both under courses_dir). Watching a missing folder would stop
        # `mkdocs serve` with a traceback, and a manual without videos has none.
        if self.config.enabled and courses_dir.is_dir():
            server.watch(str(courses_dir))
        return server
