"""What `cloudpeds fhir` and `cloudpeds zim` read from a project: the validated manual, the working edition and
the ``site_url`` of mkdocs.yml (without MkDocs: the file is read as plain YAML)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, has_errors
from ..manual.validate import check
from ..project_config import plugin_options, read_config
from .common import EditionRef


@dataclass
class Project:
    root: Path
    manual: object
    edition: EditionRef
    site_url: str | None
    site_name: str
    site_description: str
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def manual_options(config: dict) -> dict:
    if options := plugin_options(config, "cloudpeds/manual"):
        return options
    return {}


def load_project(config_file: Path) -> Project:
    """The manual checked as the build checks it (errors make ``ok`` false) and the working edition."""
    config = read_config(config_file)
    options = manual_options(config)
    root = config_file.resolve().parent
    manual_dir = root / options.get("manual_dir", "manual")
    languages = tuple(options.get("languages") or ("zh", "en"))
    manual, diagnostics = check(manual_dir, languages=languages, root=root)
    edition = EditionRef()
    editions_file = manual_dir / options.get("editions_file", "editions.yml")
    if editions_file.exists():
        from ..editions.loader import load_editions

        loaded = load_editions(editions_file, root, diagnostics)
        if loaded is not None:
            edition = EditionRef.of(loaded.editions.working)
    return Project(root, manual, edition, config.get("site_url") or None, str(config.get("site_name") or ""),
                   str(config.get("site_description") or ""), diagnostics)
