"""Is the working copy ready to publish? Drafts, placeholders and unfinished translations, each at file:line.

``cloudpeds publish`` asks before it builds (so the editor gets the lines at once) and refuses even with
``--allow-warnings``: those allow warnings about the content, never an unfinished page.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import display_path
from ..manual.validate import check
from ..scaffold import PLACEHOLDER
from ..translation_marks import MARKER

_MARKS = (*PLACEHOLDER.values(), MARKER)


def not_ready(manual_dir: Path, root: Path) -> list[str]:
    """``file:line: why`` for every draft chapter, placeholder and translation not finished; empty when ready."""
    _, diagnostics = check(manual_dir, root=root)
    found = [d.format() for d in diagnostics if d.message.startswith(("translation pending", "translation out of"))]
    for path in sorted((manual_dir / "chapters").glob("*.md")):
        shown = display_path(path, root)
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if line.startswith("status:") and line.split("#")[0].split(":", 1)[1].strip() == "draft":
                found.append(f"{shown}:{number}: status is draft (set trial or current when it is finished)")
            for mark in _MARKS[:2]:
                if mark in line and not line.lstrip().startswith("#"):
                    found.append(f"{shown}:{number}: a placeholder {mark} is left (write the text)")
    return sorted(set(found))
