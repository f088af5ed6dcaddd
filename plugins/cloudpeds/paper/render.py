"""WeasyPrint: HTML → laid-out pages → PDF, and the check that nothing is cut off.

Why WeasyPrint rather than Chromium's print: it implements CSS paged media (``@page`` margin boxes for the running
footers with the disclaimer, edition, date and page number on every sheet, ``target-counter()`` for page numbers in
the table of contents and the symptom index, ``leader()``, ``string-set`` for running heads), runs in the build's
Python process without a browser, embeds subsets of the fonts it uses (Noto CJK), draws inline SVG as vectors, and
exposes its layout boxes, so the fit check reads the boxes it actually laid out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

#: How far (in CSS px) a box may reach past the page's content area before it counts as cut off.
TOLERANCE = 1.5


@dataclass(frozen=True)
class CutOff:
    """A block that does not fit its page."""

    page: int
    element: str
    how: str


def quiet_weasyprint() -> None:
    """WeasyPrint logs every duplicate anchor and unsupported property as a warning; the fit check reports what
    matters."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render(html_text: str, fonts) -> object:
    """Lay ``html_text`` out (a ``weasyprint.Document``)."""
    import weasyprint

    quiet_weasyprint()
    return weasyprint.HTML(string=html_text, base_url=str(Path.cwd())).render(font_config=fonts)


def _describe(box) -> str:
    element = getattr(box, "element", None)
    tag = (getattr(box, "element_tag", "") or "").rsplit("}", 1)[-1]
    if element is None:
        return tag or type(box).__name__
    ident = element.get("id")
    classes = element.get("class")
    text = " ".join("".join(element.itertext()).split())
    label = tag + (f"#{ident}" if ident else "") + (f".{classes.split()[0]}" if classes else "")
    return f"{label} “{text[:40]}{'…' if len(text) > 40 else ''}”" if text else label


def cut_off(document) -> list[CutOff]:
    """Every block box that reaches past its page's content area: the innermost one of each branch (the block
    that is too wide or too tall itself, not the boxes around it)."""
    from weasyprint.formatting_structure import boxes

    found: list[CutOff] = []
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box
        left, top = page_box.content_box_x(), page_box.content_box_y()
        right, bottom = left + page_box.width, top + page_box.height

        def past(box, left=left, right=right, bottom=bottom) -> str:
            if not isinstance(box, (boxes.BlockLevelBox, boxes.LineBox, boxes.ReplacedBox)) or \
                    isinstance(box, (boxes.PageBox, boxes.MarginBox)):
                return ""
            x0, y0 = box.border_box_x(), box.border_box_y()
            x1, y1 = x0 + box.border_width(), y0 + box.border_height()
            how = []
            if x1 > right + TOLERANCE:
                how.append(f"{(x1 - right) * 25.4 / 96:.1f} mm past the right edge")
            if x0 < left - TOLERANCE:
                how.append(f"{(left - x0) * 25.4 / 96:.1f} mm past the left edge")
            if y1 > bottom + TOLERANCE:
                how.append(f"{(y1 - bottom) * 25.4 / 96:.1f} mm past the bottom")
            return ", ".join(how)

        def walk(box, number=number) -> bool:
            """Report the innermost boxes past the page; True if this box or one inside it is."""
            if isinstance(box, boxes.MarginBox):
                return False
            inner = False
            for child in getattr(box, "children", ()):
                inner = walk(child) or inner
            if inner:
                return True
            how = past(box)
            if how:
                cut = CutOff(number, _describe(box), how)
                if cut not in found:
                    found.append(cut)
                return True
            return False
        walk(page_box)
    return found


def write(documents: list, path: Path) -> int:
    """Write the pages of ``documents`` as one PDF (atomically: a temporary file renamed into place)."""
    combined = documents[0].copy([page for document in documents for page in document.pages])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    combined.write_pdf(str(tmp))
    tmp.replace(path)
    return len(combined.pages)
