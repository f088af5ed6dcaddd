"""The changelog between two snapshots, by stable id, per language.

Listed: chapters added, removed or renamed; danger signs, referrals and recommendations added,
removed or changed (each changed field with its value before and after; nested fields such as a
threshold's value by their dotted path); flowchart nodes added, removed or changed and edges
added, removed, rerouted (same start and label, another target) or relabelled. The items and charts
of an added or removed chapter are not listed again: the chapter says it all.

Doses (``doses:``) are compared like the items (kind ``doses``; ``drug_name`` is shown, not compared).
A previous snapshot published before doses were recorded has no ``doses`` in its chapters: their doses
are "not recorded", not "all added"; the language's ``unrecorded`` lists ``doses`` then (when the
edition has doses in such a chapter) and What's new says so. The threshold tables a chapter's danger
signs name (kind ``threshold_tables``: label, rows, operator, triage, sources) are compared the same way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .snapshot import DOSES, ITEM_KINDS, TABLES, complete

CHANGE_KINDS = ("added", "removed", "changed")


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: object
    after: object


@dataclass(frozen=True)
class ChapterChange:
    chapter: str
    change: str  # added | removed | renamed
    title: str
    before: str | None = None  # the former title of a renamed chapter


@dataclass(frozen=True)
class ItemChange:
    chapter: str
    chapter_title: str
    kind: str  # danger_signs | referrals | recommendations | doses | threshold_tables
    id: str
    change: str  # added | removed | changed
    item: dict  # the item as it is now (as it was, when removed)
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class EdgeChange:
    change: str  # added | removed | rerouted | relabelled
    before: dict | None
    after: dict | None


@dataclass(frozen=True)
class ChartChange:
    chapter: str
    chapter_title: str
    index: int  # which flowchart of the chapter, from 0
    nodes_added: tuple[str, ...] = ()
    nodes_removed: tuple[str, ...] = ()
    nodes_changed: tuple[tuple[str, tuple[FieldChange, ...]], ...] = ()
    edges: tuple[EdgeChange, ...] = ()
    node_text: dict = field(default_factory=dict)  # node id → its text (now, or before if removed)


@dataclass
class LanguageChangelog:
    chapters: list[ChapterChange] = field(default_factory=list)
    items: list[ItemChange] = field(default_factory=list)
    charts: list[ChartChange] = field(default_factory=list)
    #: Kinds of item the previous snapshot does not record (``doses``): not compared, not counted.
    unrecorded: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.chapters) + len(self.items) + len(self.charts)

    def changed_items(self) -> dict[str, str]:
        """Item id → added or changed (removed items have no place to show a badge; a threshold table has none
        of its own: the danger signs that name it show it)."""
        out = {item.id: item.change for item in self.items if item.change != "removed" and item.kind != TABLES}
        for item in self.items:
            if item.kind == TABLES and item.change == "changed":
                for sign in item.item.get("named_by", []):
                    out.setdefault(sign, "changed")
        return out

    def changed_chapters(self) -> dict[str, str]:
        """Chapter id → added, renamed or chart (a flowchart changed)."""
        out = {chart.chapter: "chart" for chart in self.charts}
        out.update({change.chapter: change.change for change in self.chapters if change.change != "removed"})
        return out


@dataclass
class Changelog:
    """What changed from ``previous`` to ``edition`` (edition metadata as in the snapshots)."""

    edition: dict | None
    previous: dict | None
    languages: dict[str, LanguageChangelog]

    def as_json(self) -> dict[str, object]:
        return {"edition": self.edition, "previous": self.previous,
                "languages": {lang: asdict(log) for lang, log in self.languages.items()}}


def flatten(value: object, prefix: str = "") -> dict[str, object]:
    """``{"threshold": {"value": 38}}`` → ``{"threshold.value": 38}``; lists stay whole."""
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key in sorted(value):
            out.update(flatten(value[key], f"{prefix}.{key}" if prefix else key))
        return out
    return {prefix: value}


#: Fields never compared: the id (the key), a dose's medicine name (shown, not a dose change) and the danger
#: signs that name a threshold table (a sign naming another table is a change of that sign).
SKIP = ("id", "drug_name", "named_by")


def field_changes(before: dict, after: dict, *, skip: tuple[str, ...] = SKIP) -> tuple[FieldChange, ...]:
    old, new = flatten(before), flatten(after)
    # A nested value that appears or disappears (a threshold added) is one change of its parent.
    for name in sorted(set(old) ^ set(new)):
        parent = name.split(".", 1)[0]
        if parent in before and parent in after and (before[parent] is None or after[parent] is None):
            old = {k: v for k, v in old.items() if k.split(".", 1)[0] != parent} | {parent: before[parent]}
            new = {k: v for k, v in new.items() if k.split(".", 1)[0] != parent} | {parent: after[parent]}
    names = [name for name in dict.fromkeys([*old, *new]) if name.split(".", 1)[0] not in skip]
    return tuple(FieldChange(name, old.get(name), new.get(name)) for name in names
                 if old.get(name) != new.get(name))


def compare(previous: dict, current: dict) -> Changelog:
    """The changelog from the snapshot ``previous`` to the snapshot ``current``."""
    languages = {}
    previous, current = complete(previous), complete(current)
    for lang in current.get("languages", []):
        languages[lang] = compare_language(previous["chapters"].get(lang, {}), current["chapters"].get(lang, {}))
    return Changelog(current.get("edition"), previous.get("edition"), languages)


def compare_language(old: dict[str, dict], new: dict[str, dict]) -> LanguageChangelog:
    log = LanguageChangelog()
    for chapter_id, chapter in new.items():
        if chapter_id not in old:
            log.chapters.append(ChapterChange(chapter_id, "added", chapter["title"]))
        elif old[chapter_id]["title"] != chapter["title"]:
            log.chapters.append(ChapterChange(chapter_id, "renamed", chapter["title"], old[chapter_id]["title"]))
    for chapter_id, chapter in old.items():
        if chapter_id not in new:
            log.chapters.append(ChapterChange(chapter_id, "removed", chapter["title"]))
    for chapter_id, chapter in new.items():
        if chapter_id in old:
            log.items += _items(chapter_id, old[chapter_id], chapter)
            log.charts += _charts(chapter_id, old[chapter_id], chapter)
            for kind in (DOSES, TABLES):
                if kind not in old[chapter_id] and chapter.get(kind) and kind not in log.unrecorded:
                    log.unrecorded.append(kind)
    return log


def _items(chapter_id: str, old: dict, new: dict) -> list[ItemChange]:
    out: list[ItemChange] = []
    title = new["title"]
    # Doses are compared only when the previous snapshot records them (see the module's docstring).
    kinds = (*ITEM_KINDS, *(kind for kind in (DOSES, TABLES) if kind in old and kind in new))
    for kind in kinds:
        before = {item["id"]: item for item in old.get(kind, [])}
        after = {item["id"]: item for item in new.get(kind, [])}
        for item_id, item in after.items():
            if item_id not in before:
                out.append(ItemChange(chapter_id, title, kind, item_id, "added", item))
            elif changes := field_changes(before[item_id], item):
                out.append(ItemChange(chapter_id, title, kind, item_id, "changed", item, changes))
        out += [ItemChange(chapter_id, title, kind, item_id, "removed", item)
                for item_id, item in before.items() if item_id not in after]
    return out


def _edge_key(edge: dict) -> tuple:
    return edge["source"], edge["target"], edge["label"]


def _charts(chapter_id: str, old: dict, new: dict) -> list[ChartChange]:
    out: list[ChartChange] = []
    old_charts, new_charts = old.get("flowcharts", []), new.get("flowcharts", [])
    empty = {"nodes": {}, "edges": []}
    for index in range(max(len(old_charts), len(new_charts))):
        before = old_charts[index] if index < len(old_charts) else empty
        after = new_charts[index] if index < len(new_charts) else empty
        change = _chart(chapter_id, new["title"], index, before, after)
        if change is not None:
            out.append(change)
    return out


def _chart(chapter_id: str, title: str, index: int, before: dict, after: dict) -> ChartChange | None:
    old_nodes, new_nodes = before["nodes"], after["nodes"]
    added = tuple(node for node in new_nodes if node not in old_nodes)
    removed = tuple(node for node in old_nodes if node not in new_nodes)
    changed = tuple((node, changes) for node in new_nodes if node in old_nodes
                    if (changes := field_changes(old_nodes[node], new_nodes[node], skip=())))
    old_edges = [e for e in before["edges"] if _edge_key(e) not in {_edge_key(n) for n in after["edges"]}]
    new_edges = [e for e in after["edges"] if _edge_key(e) not in {_edge_key(o) for o in before["edges"]}]
    edges: list[EdgeChange] = []
    for edge in list(new_edges):
        match = (next((o for o in old_edges if o["source"] == edge["source"] and o["label"] == edge["label"]
                       and edge["label"] is not None), None), "rerouted")
        if match[0] is None:
            match = (next((o for o in old_edges if o["source"] == edge["source"]
                           and o["target"] == edge["target"]), None), "relabelled")
        if match[0] is not None:
            old_edges.remove(match[0])
            new_edges.remove(edge)
            edges.append(EdgeChange(match[1], match[0], edge))
    edges += [EdgeChange("added", None, edge) for edge in new_edges]
    edges += [EdgeChange("removed", edge, None) for edge in old_edges]
    if not (added or removed or changed or edges):
        return None
    text = {node: data["text"] for node, data in old_nodes.items()}
    text.update({node: data["text"] for node, data in new_nodes.items()})
    return ChartChange(chapter_id, title, index, added, removed, changed, tuple(edges), text)
