"""What the editions add to a build: the working edition, its snapshot, the changelog against the
previous edition, the "What's new" pages, badges (changed item ids) and the data for editions.js."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import i18n, links
from ..diagnostics import Diagnostic, display_path, error
from ..manual.loader import Manual
from ..manual.pages import GeneratedPage, Layout
from ..preview import Memo
from . import snapshot
from .changelog import Changelog, compare
from .loader import load_editions
from .model import Edition, Editions
from .pages import whats_new_doc, whats_new_page
from .releases import published

_JS_STRINGS = ("edition.since_visit", "edition.since_see", "edition.since_dismiss", "edition.since_skipped")


@dataclass
class EditionSite:
    editions: Editions | None
    edition: Edition | None  # the edition the working copy is built as (the last in editions.yml)
    previous: Edition | None  # the edition compared with
    snapshot: dict
    changelog: Changelog | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @classmethod
    def prepare(cls, manual: Manual, *, project: Path, editions_file: Path, releases_dir: Path,
                baseline: Path | None = None, memo: Memo | None = None, scope: str = "") -> EditionSite:
        """Compare with ``baseline`` (a snapshot file) if given, otherwise with the newest edition
        published in ``releases_dir`` that is older than the working one. No editions file: no editions."""
        diagnostics: list[Diagnostic] = []
        if not editions_file.exists():
            return cls(None, None, None, snapshot.take(manual, None, memo=memo, scope=scope), None)
        loaded = load_editions(editions_file, project, diagnostics)
        if loaded is None:
            return cls(None, None, None, {}, None, diagnostics)
        edition = loaded.editions.working
        current = snapshot.take(manual, edition, memo=memo, scope=scope)
        previous_data: dict | None = None
        if baseline is not None:
            try:
                previous_data = snapshot.load(baseline)
            except snapshot.SnapshotError as exc:
                diagnostics.append(error(display_path(baseline, project), 1, 1, "", str(exc).split(": ", 1)[-1],
                                         "set `baseline` to the editions/snapshot.json of a published edition"))
        else:
            older = [e for e in published(releases_dir) if e.number < edition.number]
            if older:
                try:
                    previous_data = snapshot.load(releases_dir / older[0].version / snapshot.SNAPSHOT_PATH)
                except snapshot.SnapshotError as exc:
                    diagnostics.append(error(display_path(releases_dir, project), 1, 1, "", str(exc)))
        previous = None
        if previous_data and previous_data.get("edition"):
            try:
                previous = Edition.model_validate(previous_data["edition"])
            except ValueError:  # a snapshot written by hand or by another tool: compare, name no edition
                previous = None
        changelog = compare(previous_data, current) if previous_data else None
        return cls(loaded.editions, edition, previous, current, changelog, diagnostics)

    # -- what the pages need ----------------------------------------------------------------------
    def changed_items(self, lang: str) -> dict[str, str]:
        log = self.changelog.languages.get(lang) if self.changelog else None
        return log.changed_items() if log else {}

    def changed_chapters(self, lang: str) -> dict[str, str]:
        log = self.changelog.languages.get(lang) if self.changelog else None
        return log.changed_chapters() if log else {}

    def pages(self, layout: Layout) -> list[GeneratedPage]:
        if self.editions is None:
            return []
        return [whats_new_page(layout, lang, self.edition, self.changelog, self.previous)
                for lang in layout.languages]

    def files(self) -> dict[str, str]:
        """Site path → text: the snapshot (for the next edition) and the changelog (for readers)."""
        if self.editions is None:
            return {}
        log = self.changelog.as_json() if self.changelog else {
            "edition": self.snapshot.get("edition"), "previous": None, "languages": {}}
        return {snapshot.SNAPSHOT_PATH: snapshot.dumps(self.snapshot), snapshot.CHANGELOG_PATH: snapshot.dumps(log)}

    def page_data(self, layout: Layout, lang: str) -> dict[str, object] | None:
        """What editions.js needs on every page: this edition, its place among the others, the count."""
        if self.editions is None or self.edition is None:
            return None
        log = self.changelog.languages.get(lang) if self.changelog else None
        return {
            "version": self.edition.version,
            "number": self.edition.number,
            "label": self.edition.label.get(lang),
            "date": self.edition.date.isoformat(),
            "previous": self.previous.version if self.previous else None,
            "count": log.count if log else 0,
            "whatsNew": whats_new_doc(layout, lang),
            "whatsNewPath": links.url_of(whats_new_doc(layout, lang), directory_urls=layout.directory_urls),
            "strings": {key.removeprefix("edition."): i18n.t(key, lang) for key in _JS_STRINGS},
            "editions": [{"version": e.version, "number": e.number, "label": e.label.get(lang)}
                         for e in self.editions.editions if e.number <= self.edition.number],
        }
