"""Chinese first: make or update a chapter's other-language file from the Chinese one.

The editor writes ``<id>.zh.md``; ``cloudpeds translate <id>`` writes ``<id>.en.md`` with the same
front matter line by line: every language-neutral value (ids, triage, urgencies, thresholds, age bands,
sources, dates ...) is copied from the Chinese file, every text keeps the English words already written for
the same item id, and a text that has none yet is the Chinese text marked ``[to translate]``. The check
reports marked texts as "translation pending" (an error only with ``--strict`` and at publishing), and the
English page shows a notice until they are gone, so writing Chinese first never blocks the preview.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import frontmatter
from .scaffold import scaffold_body
from .translation_marks import FREE_LISTS, MARKER, fingerprint, source_marks

BODY_MARKER = (f"> **{MARKER}** 本章英文正文尚未翻译，以下为中文原文。 "
               "The English text of this chapter is not written yet; the Chinese text follows.\n\n")
#: Texts of a scaffold that nobody has written yet (cloudpeds.scaffold.PLACEHOLDER).
_UNWRITTEN = ("[TO FILL IN]", "【待填写】", MARKER)
_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
#: Lists of items matched by id between the two languages.
_ITEM_LISTS = ("danger_signs", "referrals", "recommendations", "doses")
_FREE_LISTS = FREE_LISTS


class TranslateError(Exception):
    """Something the editor must fix first; the message says what."""


@dataclass(frozen=True)
class Result:
    path: Path
    kept: int  # texts with words already written in the target language
    marked: int  # texts marked [to translate]
    created: bool


def translate_chapter(chapters_dir: Path, chapter_id: str, *, source: str = "zh", target: str = "en") -> Result:
    src_path = chapters_dir / f"{chapter_id}.{source}.md"
    dst_path = chapters_dir / f"{chapter_id}.{target}.md"
    if not src_path.is_file():
        raise TranslateError(f"{src_path} does not exist (write the {source} version first)")
    src = frontmatter.split(src_path.read_text(encoding="utf-8"))
    if src.front_matter is None or not src.closed:
        raise TranslateError(f"{src_path}: no front matter between two --- lines; run `cloudpeds check` first")
    dst_meta, dst_body, dst_marks = _existing(dst_path, source)
    try:
        root = yaml.compose(src.front_matter, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise TranslateError(f"{src_path}: the front matter is not valid YAML; run `cloudpeds check` first") from exc
    if not isinstance(root, yaml.MappingNode):
        raise TranslateError(f"{src_path}: the front matter is not a mapping; run `cloudpeds check` first")

    edits: list[tuple[int, int, str]] = []
    kept = marked = 0
    for path, node in _text_scalars(root, ()):
        target_path = _target_path(root, path, dst_meta)
        existing = _lookup(dst_meta, target_path)
        words = [item.value for item in node.value] if isinstance(node, yaml.SequenceNode) else node.value
        changed = dst_marks.get(target_path) not in (None, fingerprint(words))  # the source changed since
        if isinstance(node, yaml.SequenceNode):  # a free list of words: the target's own list, whole
            if isinstance(existing, list) and existing and not any(_unwritten(str(w)) for w in existing) \
                    and not changed:
                kept += 1
                replacement: object = existing
            else:
                marked += 1
                replacement = [f"{MARKER} {item}" for item in words]
        elif isinstance(existing, str) and existing.strip() and not _unwritten(existing) and not changed:
            kept += 1
            replacement = existing
        else:
            marked += 1
            was = f" (was: {existing})" if changed and isinstance(existing, str) else ""
            replacement = f"{MARKER} {node.value}{was}"
        text = ("[" + ", ".join(_scalar(w, in_flow=True) for w in replacement) + "]"
                if isinstance(replacement, list) else _scalar(replacement))
        end = node.end_mark.index
        line_end = src.front_matter.find("\n", end)
        rest = src.front_matter[end: line_end if line_end >= 0 else len(src.front_matter)]
        if not rest.strip() or rest.lstrip().startswith("#"):  # a comment fits: remember what was translated
            comment = rest.strip().lstrip("#").strip()
            text += f"  # {source}:{fingerprint(words)}" + (f" · {comment}" if comment else "")
            end += len(rest)
        edits.append((node.start_mark.index, end, text))
    front = src.front_matter
    for start, end, text in sorted(edits, reverse=True):
        front = front[:start] + text + front[end:]
    written_body = (dst_body is not None and dst_body.strip() and not dst_body.startswith(BODY_MARKER)
                    and dst_body.strip() != scaffold_body(chapter_id, target).strip())
    body = dst_body if written_body else BODY_MARKER + src.body
    marked += 0 if written_body else 1
    dst_path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return Result(dst_path, kept, marked, dst_body is None)


def _unwritten(text: str) -> bool:
    return bool(_CJK.search(text)) or any(mark in text for mark in _UNWRITTEN)


def _scalar(text: str, *, in_flow: bool = False) -> str:
    """``text`` as a YAML scalar: plain where YAML reads it back unchanged, else double-quoted."""
    text = str(text)
    risky = (": " in text or " #" in text or "\n" in text or text != text.strip()
             or text[:1] in "[]{}*&!|>%@`\"'-?,#" or (in_flow and any(c in text for c in ",[]{}")))
    if not risky:
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _existing(path: Path, source: str) -> tuple[dict, str | None, dict[tuple, str]]:
    if not path.is_file():
        return {}, None, {}
    split = frontmatter.split(path.read_text(encoding="utf-8"))
    try:
        meta = yaml.safe_load(split.front_matter or "") or {}
    except yaml.YAMLError:
        meta = {}  # the target file is broken: rewrite it from the source, keeping its body
    return (meta if isinstance(meta, dict) else {}), split.body, source_marks(split.front_matter or "", source)


def _text_scalars(node: yaml.Node, path: tuple) -> Iterator[tuple[tuple, yaml.Node]]:
    """Scalars that hold words of the source language: what needs translating. A top-level free list
    (synonyms, authors) is one unit: its words need not match the source's one for one."""
    if len(path) == 1 and path[0] in _FREE_LISTS and isinstance(node, yaml.SequenceNode):
        if any(isinstance(item, yaml.ScalarNode) and _CJK.search(str(item.value)) for item in node.value):
            yield path, node
        return
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            yield from _text_scalars(value_node, (*path, key_node.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _text_scalars(item, (*path, index))
    elif isinstance(node, yaml.ScalarNode) and _CJK.search(str(node.value)):
        yield path, node


def _target_path(root: yaml.MappingNode, path: tuple, dst_meta: dict) -> tuple:
    """The same field in the target file: items are matched by id, not by position."""
    if len(path) >= 2 and path[0] in _ITEM_LISTS and isinstance(path[1], int):
        item_id = _item_id(root, path[0], path[1])
        items = dst_meta.get(path[0]) or []
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and item.get("id") == item_id:
                return (path[0], index, *path[2:])
        return (path[0], -1)  # a new item: nothing written yet
    return path


def _item_id(root: yaml.MappingNode, list_name: str, index: int) -> object:
    for key_node, value_node in root.value:
        if key_node.value == list_name and isinstance(value_node, yaml.SequenceNode):
            item = value_node.value[index]
            if isinstance(item, yaml.MappingNode):
                for k, v in item.value:
                    if k.value == "id":
                        return v.value
    return None


def _lookup(data: object, path: tuple) -> object:
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or not 0 <= part < len(data):
                return None
            data = data[part]
        else:
            if not isinstance(data, dict) or part not in data:
                return None
            data = data[part]
    return data
