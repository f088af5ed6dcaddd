"""What the print editions take from the project: the manual plugin's options in mkdocs.yml (manual folder,
languages, sample disclaimer), ``site_url`` (for the handouts' QR codes) and the working edition."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..project_config import plugin_options, read_config


@dataclass(frozen=True)
class ProjectSettings:
    project: Path
    manual_dir: str = "manual"
    languages: tuple[str, ...] = ("zh", "en")
    sample_disclaimer: bool = True
    site_url: str | None = None
    releases_dir: str = "releases"
    use_directory_urls: bool = True


def read_settings(config_file: Path) -> ProjectSettings:
    project = config_file.resolve().parent
    config = read_config(config_file)
    options = plugin_options(config, "cloudpeds/manual")
    site_url = config.get("site_url") or None
    return ProjectSettings(
        project=project,
        manual_dir=str(options.get("manual_dir", "manual")),
        languages=tuple(options.get("languages") or ("zh", "en")),
        sample_disclaimer=bool(options.get("sample_disclaimer", True)),
        site_url=str(site_url).rstrip("/") + "/" if site_url else None,
        releases_dir=str(options.get("releases_dir", "releases")),
        use_directory_urls=bool(config.get("use_directory_urls", True)),
    )


@dataclass(frozen=True)
class EditionLabel:
    """The edition printed on every page: its version (in file names), label per language and date."""

    version: str
    labels: dict[str, str]
    date: dt.date

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.version
