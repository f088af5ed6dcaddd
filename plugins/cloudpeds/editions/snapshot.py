"""The structured content of an edition as plain JSON: what the changelog compares.

A snapshot holds, per language and chapter, the title, the danger signs, referrals,
recommendations and doses (every field, by stable id; a dose also names its medicine in the language,
``drug_name``, which is shown but not compared), the threshold tables its danger signs name (when the
clinical data is loaded) and each flowchart as nodes and edges. Publishing
stores it in the release (``editions/snapshot.json``) so the next edition can be compared with it.
Nothing in it depends on the clock: the same sources give the same bytes.

Snapshots of releases published before a field existed are read as if they held the field's default
(``complete``), so a new optional field is not listed as a change of every item; a chapter snapshot
without ``doses`` (published before doses were recorded) has its doses "not recorded": they are not
compared (see ``changelog``).
"""

from __future__ import annotations

import datetime as dt
import json
import types
import typing
from pathlib import Path

from pydantic import BaseModel

from ..clinical.doses import Dose
from ..flowchart.fences import find_fences
from ..flowchart.parse import parse as parse_chart
from ..manual.ages import AgeBand
from ..manual.loader import Chapter, Manual
from ..manual.model import DangerSign, Recommendation, Referral
from ..preview import Memo, digest, remembered
from .model import Edition

FORMAT = 1
#: Where a built site keeps its snapshot and changelog.
SNAPSHOT_PATH = "editions/snapshot.json"
CHANGELOG_PATH = "editions/changelog.json"
ITEM_KINDS = ("danger_signs", "referrals", "recommendations")
#: The structured doses of a chapter (``doses:``), compared like the items when both snapshots record them.
DOSES = "doses"
#: The threshold tables (``manual/findings.yml``) the chapter's danger signs name (``{table: ID}``), with their
#: label in the language and the measure's unit: a changed cut-off changes those signs. Recorded only when
#: the vocabulary is loaded (a build or publish runs ``check``); compared only when both snapshots record them.
TABLES = "threshold_tables"
#: The model of each kind of item, for the defaults of fields an older snapshot does not hold.
MODELS: dict[str, type[BaseModel]] = {"danger_signs": DangerSign, "referrals": Referral,
                                      "recommendations": Recommendation, DOSES: Dose}


class SnapshotError(Exception):
    """A snapshot file that cannot be read: the message names the file and what to do."""


def _plain(value: object) -> object:
    if isinstance(value, BaseModel):
        return {name: _plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, AgeBand):
        return value.code
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def chart_snapshot(source: str) -> dict[str, object]:
    graph, errors = parse_chart(source)
    if errors:  # the checker reports these; a snapshot keeps what it can read
        return {"nodes": {}, "edges": []}
    nodes = {node.id: {"text": node.label, "kind": node.kind, "links": list(node.links)}
             for node in graph.nodes.values()}
    edges = [{"source": edge.source, "target": edge.target, "label": edge.label} for edge in graph.edges]
    return {"nodes": nodes, "edges": edges}


def _drug_name(drug: str, formulary: object, lang: str) -> str:
    medicine = getattr(formulary, "medicines", {}).get(drug) if formulary is not None else None
    return medicine.name.get(lang) if medicine is not None else drug


def dose_snapshot(dose: Dose, formulary: object, lang: str) -> dict[str, object]:
    data = _plain(dose)
    data["drug_name"] = _drug_name(dose.drug, formulary, lang)
    return data


def tables_snapshot(chapter: Chapter, vocabulary: object) -> list[dict[str, object]]:
    """The threshold tables the chapter's danger signs name, each with its label in the chapter's language
    and its measure's unit; a table the vocabulary does not have is left out (the checker reports it)."""
    tables, measures = getattr(vocabulary, "tables", {}), getattr(vocabulary, "measures", {})
    named = sorted({entry.table for sign in chapter.meta.danger_signs for entry in sign.thresholds if entry.table})
    out = []
    for table_id in named:
        if table_id not in tables:
            continue
        table = tables[table_id]
        data = _plain(table)
        data["label"] = table.label.get(chapter.lang)
        measure = measures.get(table.measure)
        data["unit"] = measure.unit if measure is not None else None
        #: The danger signs that name the table (they get the edition badge when it changes); not compared.
        data["named_by"] = [sign.id for sign in chapter.meta.danger_signs
                            if any(entry.table == table_id for entry in sign.thresholds)]
        out.append(data)
    return out


def chapter_snapshot(chapter: Chapter, formulary: object = None, vocabulary: object = None) -> dict[str, object]:
    meta = chapter.meta
    data: dict[str, object] = {"title": meta.title, "group": meta.group, "status": meta.status}
    for kind in ITEM_KINDS:
        data[kind] = [_plain(item) for item in getattr(meta, kind)]
    data[DOSES] = [dose_snapshot(dose, formulary, chapter.lang) for dose in meta.doses]
    if vocabulary is not None:
        data[TABLES] = tables_snapshot(chapter, vocabulary)
    data["flowcharts"] = [chart_snapshot(fence.source) for fence in find_fences(chapter.body)]
    return data


def take(manual: Manual, edition: Edition | None, *, memo: Memo | None = None, scope: str = "") -> dict[str, object]:
    """The snapshot of ``manual`` as ``edition``. ``memo`` (the preview's, see cloudpeds.preview): a chapter whose
    file did not change is not taken again; ``scope``: the digest of the data files the snapshot reads."""
    formulary = getattr(manual.clinical, "formulary", None)
    vocabulary = getattr(manual.clinical, "vocabulary", None)

    def of(chapter: Chapter) -> dict[str, object]:
        return remembered(memo, "snapshot", lambda: digest(scope, chapter.path, chapter.digest),
                          lambda: chapter_snapshot(chapter, formulary, vocabulary))
    return {
        "format": FORMAT,
        "edition": _plain(edition) if edition else None,
        "languages": list(manual.languages),
        "chapters": {lang: {chapter.id: of(chapter) for chapter in manual.in_language(lang)}
                     for lang in manual.languages},
    }


def dumps(data: object) -> str:
    """Stable JSON: sorted keys, UTF-8 text, a final newline."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def load(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SnapshotError(f"{path}: the snapshot is missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SnapshotError(f"{path}: cannot read the snapshot ({exc}); publish the edition again "
                            "or point `baseline` at another snapshot") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("chapters"), dict):
        raise SnapshotError(f"{path}: not a cloudpeds snapshot of format {FORMAT}")
    return data


def _model_of(annotation: object) -> tuple[type[BaseModel] | None, bool]:
    """(the model in ``annotation``, whether it is a list of them): ``list[Treatment]`` → (Treatment, True)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (list, tuple) and args:
        model, _ = _model_of(args[0])
        return model, True
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        for arg in args:
            model, many = _model_of(arg)
            if model is not None:
                return model, many
    return None, False


def complete_item(model: type[BaseModel], item: dict) -> dict:
    """``item`` with every field of ``model`` it lacks set to the field's default (nested items too)."""
    out = dict(item)
    for name, info in model.model_fields.items():
        if name not in out:
            if info.is_required():
                continue
            out[name] = _plain(info.get_default(call_default_factory=True))
            continue
        nested, many = _model_of(info.annotation)
        if nested is None:
            continue
        if many and isinstance(out[name], list):
            out[name] = [complete_item(nested, e) if isinstance(e, dict) else e for e in out[name]]
        elif isinstance(out[name], dict):
            out[name] = complete_item(nested, out[name])
    return out


def complete(data: dict) -> dict:
    """A snapshot with the items of each chapter completed by ``complete_item`` (doses only where recorded)."""
    chapters = {}
    for lang, by_id in data.get("chapters", {}).items():
        chapters[lang] = {}
        for chapter_id, chapter in by_id.items():
            chapter = dict(chapter)
            for kind, model in MODELS.items():
                if isinstance(chapter.get(kind), list):
                    chapter[kind] = [complete_item(model, item) if isinstance(item, dict) else item
                                     for item in chapter[kind]]
            chapters[lang][chapter_id] = chapter
    return {**data, "chapters": chapters}
