"""The hand-written pages under ``content/`` as text sources: readable, bounded, well-formed front matter.

MkDocs reads these pages itself; this check runs first (in ``cloudpeds check`` and before the build reads
a page) so that a bad page is an error at its line instead of a traceback or a silently wrong page.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from . import frontmatter, sourcetext, yamlpos
from .diagnostics import Diagnostic, display_path, error


def check_content_pages(content_dir: Path, root: Path) -> list[Diagnostic]:
    """Every problem of every Markdown page under ``content_dir``."""
    found: list[Diagnostic] = []
    for path in sorted(content_dir.rglob("*.md")) if content_dir.is_dir() else []:
        found += check_page(path, root)
    return found


def check_page(path: Path, root: Path) -> list[Diagnostic]:
    shown = display_path(path, root)
    try:
        text = sourcetext.read_source(path)
    except sourcetext.SourceTextError as exc:
        return [error(shown, exc.line, exc.col, "", exc.message, exc.hint)]
    except OSError as exc:
        return [error(shown, 1, 1, "", f"cannot read the file: {exc.strerror}", "")]
    if control := sourcetext.find_control(text.removeprefix("\ufeff")):
        line, col, char = control
        return [error(shown, line, col, "", f"the text contains the control character {char}, which is not allowed",
                      sourcetext.CONTROL_HINT)]
    parts = frontmatter.split(text)
    if parts.front_matter is None or not parts.closed:
        return []
    try:
        yamlpos.load(parts.front_matter, line_offset=parts.front_matter_line - 1)
    except yaml.YAMLError as exc:
        line, col, message, hint = yamlpos.describe_error(exc, parts.front_matter, parts.front_matter_line - 1)
        return [error(shown, line, col, "", message, hint)]
    return []
