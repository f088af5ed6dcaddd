"""``cloudpeds pdf``: the print editions of the manual, per language and member, into ``pdf/``.

Files: ``pdf/<member>-<lang>-<edition>-<kind>.pdf`` (member ``cloudpeds`` without ``--site``): the pocket edition
and the full manual are one file each; the wall charts (one page per chapter) and the parent handouts (each chapter
on its own pages) are one file per language, or one per chapter with ``--chapter``.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, has_errors
from ..manual.loader import Chapter, Manual
from ..manual.pages import Layout, Renderer
from . import render
from .documents import KINDS, Book
from .routes import MemberRoutes
from .settings import EditionLabel, ProjectSettings

#: Font sizes tried, largest first, until a wall chart fits one page.
WALL_SCALES = (1.0, 0.9, 0.8, 0.7, 0.62, 0.55, 0.48)
GENERIC_MEMBER = "cloudpeds"


@dataclass
class Written:
    path: Path
    pages: int
    kind: str
    lang: str


@dataclass
class PdfResult:
    written: list[Written] = field(default_factory=list)
    #: One line each: ``file: page N: element: what is wrong``.
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def working_edition(settings: ProjectSettings, diagnostics: list[Diagnostic], today: dt.date) -> EditionLabel:
    from ..editions.loader import load_editions

    editions_file = settings.project / settings.manual_dir / "editions.yml"
    if editions_file.exists():
        loaded = load_editions(editions_file, settings.project, diagnostics)
        if loaded is not None:
            edition = loaded.editions.working
            return EditionLabel(edition.version, {lang: edition.label.get(lang) for lang in settings.languages},
                                edition.date)
    return EditionLabel("draft", {"zh": "草稿", "en": "draft"}, today)


def changelog_markdown(manual: Manual, settings: ProjectSettings, layout: Layout) -> dict[str, str]:
    from ..editions.pages import whats_new_page
    from ..editions.site import EditionSite

    editions = EditionSite.prepare(manual, project=settings.project,
                                   editions_file=settings.project / settings.manual_dir / "editions.yml",
                                   releases_dir=settings.project / settings.releases_dir)
    if editions.editions is None:
        return {}
    return {lang: whats_new_page(layout, lang, editions.edition, editions.changelog, editions.previous).markdown
            for lang in layout.languages}


def make_pdfs(manual: Manual, settings: ProjectSettings, *, out_dir: Path, languages: tuple[str, ...],
              kinds: tuple[str, ...], edition: EditionLabel, member: str = GENERIC_MEMBER,
              routes: MemberRoutes | None = None, chapters: tuple[str, ...] = (), site_url: str | None = None,
              progress: Callable[[str], None] = lambda line: None) -> PdfResult:
    """Write the PDFs; every cut-off block is reported (the file is still written, so it can be looked at)."""
    result = PdfResult()
    layout = Layout(settings.languages, directory_urls=True)
    renderer = Renderer(manual, layout, sample_disclaimer=settings.sample_disclaimer)
    logs = changelog_markdown(manual, settings, layout) if "full" in kinds else {}
    fonts = render.font_config()
    site_url = site_url or settings.site_url
    if "handout" in kinds and not site_url:
        result.warnings.append("mkdocs.yml: no site_url: the parent handouts carry no QR code (set site_url, or "
                               "pass --site-url, to the address the site is served at)")
    steps = [(lang, kind) for lang in languages for kind in kinds]
    for step, (lang, kind) in enumerate(steps, 1):
        book = Book(manual, renderer, lang, edition, renderer.disclaimer(lang),
                    routes=(routes or {}).get(lang), site_url=site_url,
                    member_name=((routes or {}).get(lang).name if routes and lang in routes else ""),
                    changelog_markdown=logs.get(lang))
        selected = [c for c in book.chapters if not chapters or c.id in chapters]
        name = f"{member}-{lang}-{edition.version}-{kind}"

        def say(what: str, step: int = step, lang: str = lang, kind: str = kind) -> None:
            progress(f"[{step}/{len(steps)}] {lang} {kind}: {what}")

        if kind in ("pocket", "full"):
            say(f"{len(book.chapters)} chapters")
            html_text = book.pocket_html() if kind == "pocket" else book.full_html()
            say("laying out pages")
            documents = [render.render(html_text, fonts)]
            _write(result, out_dir / f"{name}.pdf", documents, kind, lang, say)
        else:
            groups = [[c] for c in selected] if chapters else [selected]
            for group in groups:
                documents = []
                for index, chapter in enumerate(group, 1):
                    say(f"{chapter.id} ({index}/{len(group)})")
                    if kind == "wall":
                        documents.append(_wall(book, chapter, index, len(group), fonts, result, name))
                    else:
                        documents.append(render.render(book.handout_html(chapter), fonts))
                suffix = f"-{group[0].id}" if chapters else ""
                _write(result, out_dir / f"{name}{suffix}.pdf", documents, kind, lang, say)
    return result


def _wall(book: Book, chapter: Chapter, number: int, total: int, fonts, result: PdfResult, name: str):
    """The chapter's wall chart at the largest type that fits one page."""
    document = None
    scale = WALL_SCALES[0]
    for candidate in WALL_SCALES:
        if candidate > scale:
            continue  # skipped: the last try showed it cannot fit
        document = render.render(book.wall_html(chapter, number=number, total=total, scale=candidate), fonts)
        if len(document.pages) == 1 and not render.cut_off(document):
            return document
        # Type area grows with the square of the scale: n pages need about 1/sqrt(n) of the type size.
        scale = candidate * (1 / len(document.pages)) ** 0.5 if len(document.pages) > 1 else candidate * 0.95
    result.problems.append(f"{name}.pdf: {chapter.path}: the wall chart of {chapter.id!r} does not fit one page "
                           f"even at {WALL_SCALES[-1]:.0%} type (shorten its danger signs or referral texts)")
    return document


def _write(result: PdfResult, path: Path, documents: list, kind: str, lang: str, say) -> None:
    say(f"writing {path.name}")
    problems, offset = [], 0
    for document in documents:  # page numbers in the written file
        problems += [(offset + cut.page, cut) for cut in render.cut_off(document)]
        offset += len(document.pages)
    pages = render.write(documents, path)
    result.written.append(Written(path, pages, kind, lang))
    for page, cut in problems:
        result.problems.append(f"{path}: page {page}: {cut.element} is cut off ({cut.how}); "
                               "shorten it or let it wrap (paper.css)")


def load_member(project: Path, site_id: str) -> MemberRoutes:
    """A member's routes, from ``sites/<id>.yml`` through the member builds' loader (`cloudpeds.members`).
    Raises ValueError with a message for the editor."""
    from ..members.paper import print_routes

    return print_routes(project, site_id)


def run(args) -> int:
    """The ``pdf`` command (arguments from cli.py)."""
    from ..manual.validate import check
    from ..messages import format_report
    from ..messages import translate as localized
    from .settings import read_settings

    lang_messages = args.message_lang
    settings = read_settings(Path(args.config_file))
    manual, diagnostics = check(settings.project / settings.manual_dir, languages=settings.languages,
                                root=settings.project)
    edition = working_edition(settings, diagnostics, dt.date.today())
    if has_errors(diagnostics):
        print(format_report([d for d in diagnostics if d.severity.value == "error"], lang_messages), file=sys.stderr)
        print(localized("cloudpeds pdf: the manual has errors (above); nothing was written", lang_messages),
              file=sys.stderr)
        return 1
    routes = None
    member = GENERIC_MEMBER
    if args.site:
        try:
            routes = load_member(settings.project, args.site)
        except ValueError as exc:
            print(f"cloudpeds pdf: {localized(str(exc), lang_messages)}", file=sys.stderr)
            return 1
        member = args.site
    languages = settings.languages if args.pdf_lang == "all" else (args.pdf_lang,)
    kinds = KINDS if args.kind == "all" else (args.kind,)
    known = {c.id for lang in languages for c in manual.in_language(lang)}
    unknown = [c for c in args.chapter if c not in known]
    if unknown:
        print(localized(f"cloudpeds pdf: no chapter {unknown[0]!r} (see manual/chapters/)", lang_messages),
              file=sys.stderr)
        return 1
    interactive = sys.stderr.isatty()

    def progress(line: str) -> None:
        line = localized(line, lang_messages)
        if interactive:
            sys.stderr.write("\r\033[K" + line[:120])
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    result = make_pdfs(manual, settings, out_dir=Path(args.out), languages=languages, kinds=kinds, edition=edition,
                       member=member, routes=routes, chapters=tuple(args.chapter), site_url=args.site_url,
                       progress=progress)
    if interactive:
        sys.stderr.write("\r\033[K")
    for line in result.warnings:
        print(localized(f"warning: {line}", lang_messages), file=sys.stderr)
    for line in result.problems:
        print(localized(f"error: {line}", lang_messages), file=sys.stderr)
    for written in result.written:
        print(localized(f"Wrote {written.path} ({written.pages} pages)", lang_messages))
    return 1 if result.problems else 0
