import pytest
import yaml

from cloudpeds import frontmatter, yamlpos


def test_positions_of_nested_fields_are_file_lines():
    text = "id: x\nitems:\n  - a: 1\n    b: two\n"
    loaded = yamlpos.load(text, line_offset=1)
    assert loaded.data == {"id": "x", "items": [{"a": 1, "b": "two"}]}
    assert loaded.positions.of(("items", 0, "b")) == (5, 8)
    assert loaded.positions.of(("items", 0, "missing")) == (4, 5)  # nearest existing parent


def test_duplicate_keys_are_reported():
    loaded = yamlpos.load("a: 1\nb: 2\na: 3\n")
    assert [(d.path, d.line) for d in loaded.duplicates] == [(("a",), 3)]


def test_malformed_yaml_raises_with_mark():
    with pytest.raises(yaml.MarkedYAMLError) as info:
        yamlpos.load("a: [1, 2\nb: 3\n")
    assert info.value.problem_mark is not None


def test_format_path():
    assert yamlpos.format_path(("danger_signs", 2, "triage")) == "danger_signs[2].triage"


def test_front_matter_split_keeps_body_line():
    parts = frontmatter.split("---\na: 1\n---\n\nbody\n")
    assert parts.front_matter == "a: 1\n"
    assert parts.body_line == 4 and parts.closed
    assert frontmatter.split("---\na: 1\n").closed is False
    assert frontmatter.split("no front matter").front_matter is None
