"""mkdocs.yml read as plain YAML, for the commands that need a few of its settings without starting MkDocs
(``check``, ``pdf``, ``fhir``, ``zim``, member builds). Tags MkDocs resolves itself (``!!python/name`` for the
flowchart fence, ``!ENV``) are read as empty values; a missing or unreadable file reads as ``{}``."""

from __future__ import annotations

from pathlib import Path

import yaml


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def read_config(config_file: Path) -> dict:
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return config if isinstance(config, dict) else {}


def plugin_options(config: dict, name: str) -> dict:
    """The options of plugin ``name`` (e.g. ``cloudpeds/manual``) in ``config``; ``{}`` when it has none."""
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get(name), dict):
            return plugin[name]
    return {}
