"""The structured content of an edition as plain JSON: what the changelog compares.

A snapshot holds, per language and chapter, the title, the danger signs, referrals and
recommendations (every field, by stable id) and each flowchart as nodes and edges. Publishing
stores it in the release (``editions/snapshot.json``) so the next edition can be compared with it.
Nothing in it depends on the clock: the same sources give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import BaseModel

from ..flowchart.fences import find_fences
from ..flowchart.parse import parse as parse_chart
from ..manual.ages import AgeBand
from ..manual.loader import Chapter, Manual
from .model import Edition

FORMAT = 1
#: Where a built site keeps its snapshot and changelog.
SNAPSHOT_PATH = "editions/snapshot.json"
CHANGELOG_PATH = "editions/changelog.json"
ITEM_KINDS = ("danger_signs", "referrals", "recommendations")


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


def chapter_snapshot(chapter: Chapter) -> dict[str, object]:
    meta = chapter.meta
    data: dict[str, object] = {"title": meta.title, "group": meta.group, "status": meta.status}
    for kind in ITEM_KINDS:
        data[kind] = [_plain(item) for item in getattr(meta, kind)]
    data["flowcharts"] = [chart_snapshot(fence.source) for fence in find_fences(chapter.body)]
    return data


def take(manual: Manual, edition: Edition | None) -> dict[str, object]:
    """The snapshot of ``manual`` as ``edition``."""
    return {
        "format": FORMAT,
        "edition": _plain(edition) if edition else None,
        "languages": list(manual.languages),
        "chapters": {lang: {chapter.id: chapter_snapshot(chapter) for chapter in manual.in_language(lang)}
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
