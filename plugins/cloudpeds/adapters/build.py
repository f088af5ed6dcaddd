"""``cloudpeds build``: an MkDocs build with the same plugin events as ``mkdocs build``."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mkdocs import config as mkdocs_config
from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import MkDocsException

from ..messages import EditorsWords, hide_staging, language_from_env, translate

#: Build profiles: ``cdn`` for a web server or CDN, ``offline`` for opening from disk (file://).
PROFILES = {"cdn": {}, "offline": {"use_directory_urls": False}}


def build_once(cfg) -> None:
    """``mkdocs build`` of a loaded configuration: the plugins' startup, the build, their shutdown (which moves a
    finished staging folder into place)."""
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build.build(cfg, dirty=False)
    finally:
        cfg.plugins.on_shutdown()


def build_site(config_file: Path, *, strict: bool = False, site_dir: str | None = None,
               profile: str = "cdn") -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s", stream=sys.stderr)
    lang = language_from_env()
    words = EditorsWords(lang)
    for handler in logging.getLogger().handlers:
        handler.addFilter(words)
    try:
        options: dict[str, object] = {"strict": True} if strict else {}
        options.update(PROFILES[profile])
        if site_dir:
            options["site_dir"] = site_dir
        cfg = mkdocs_config.load_config(config_file=str(config_file), **options)
        site = cfg.site_dir  # the plugin may point MkDocs at a staging folder beside it
        build_once(cfg)
    except MkDocsException as exc:
        print(f"cloudpeds build: {translate(hide_staging(str(exc)), lang)}", file=sys.stderr)
        return 1
    finally:
        for handler in logging.getLogger().handlers:
            handler.removeFilter(words)
    print(translate(f"Built {hide_staging(str(site))}/", lang), file=sys.stderr)
    return 0

