"""Load manual/editions.yml with positions, so every problem names its line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import yamlpos
from ..diagnostics import Diagnostic, display_path
from ..manual.loader import load_yaml_model
from .model import Editions

EDITIONS_FILE = "editions.yml"


@dataclass
class LoadedEditions:
    editions: Editions
    path: str
    positions: yamlpos.Positions


def load_editions(path: Path, root: Path, diagnostics: list[Diagnostic]) -> LoadedEditions | None:
    """The editions, or None with the problems added to ``diagnostics``."""
    loaded = load_yaml_model(path, Editions, root, diagnostics)
    if loaded is None:
        return None
    editions, positions = loaded
    return LoadedEditions(editions, display_path(path, root), positions)
