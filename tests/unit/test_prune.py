"""When the navigation is pruned (cloudpeds.manual.prune)."""

from __future__ import annotations

from cloudpeds.manual.prune import PRUNE_FROM, chapter_counts, prunes

from ..conftest import write_files


def test_chapters_are_counted_per_language_by_file_name(tmp_path):
    write_files(tmp_path, {"chapters/fever.zh.md": "", "chapters/fever.en.md": "", "chapters/cough.zh.md": "",
                           "chapters/notes.txt": "", "chapters/README.md": ""})
    assert chapter_counts(tmp_path) == {"zh": 2, "en": 1}
    assert chapter_counts(tmp_path / "missing") == {}


def test_auto_prunes_from_a_size_and_the_other_settings_always_or_never():
    small, large = {"zh": PRUNE_FROM - 1, "en": 3}, {"zh": PRUNE_FROM, "en": 3}
    assert not prunes("auto", small) and prunes("auto", large) and not prunes("auto", {})
    assert prunes("always", small) and not prunes("never", large)
