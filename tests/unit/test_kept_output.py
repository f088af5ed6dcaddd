"""The live preview's output folder (`cloudpeds.output.KeptFolder`): written over, not emptied; unchanged files keep
their time, what a build did not write goes; and the delivery scans (`ScanMemo`) read only files that changed."""

from __future__ import annotations

import os
from pathlib import Path

from cloudpeds.delivery.files import ScanMemo
from cloudpeds.output import KeptFolder, remove_older, stat_key


def test_a_write_of_the_same_bytes_is_skipped_and_other_bytes_are_written(tmp_path: Path):
    site = KeptFolder(tmp_path / "site")
    site.begin()
    page = tmp_path / "site" / "manual" / "fever" / "index.html"
    site.write(page, b"<p>one</p>")
    first = stat_key(page)
    site.sweep()
    site.begin()
    site.write(page, b"<p>one</p>")
    assert stat_key(page) == first and site.skipped == 1
    site.write(page, b"<p>two</p>")
    assert page.read_bytes() == b"<p>two</p>" and stat_key(page) != first


def test_a_file_changed_behind_its_back_is_written_again(tmp_path: Path):
    site = KeptFolder(tmp_path)
    site.begin()
    page = tmp_path / "a.html"
    site.write(page, b"ours")
    page.write_bytes(b"someone else's")
    site.sweep()
    site.begin()
    site.write(page, b"ours")
    assert page.read_bytes() == b"ours" and site.skipped == 0


def test_a_copy_is_skipped_while_source_and_copy_are_unchanged(tmp_path: Path):
    source = tmp_path / "card.png"
    source.write_bytes(b"png")
    site = KeptFolder(tmp_path / "site")
    target = tmp_path / "site" / "assets" / "card.png"
    site.begin()
    site.copy(source, target)
    site.sweep()
    site.begin()
    site.copy(source, target)
    assert site.skipped == 1
    source.write_bytes(b"png, drawn again")
    site.copy(source, target)
    assert target.read_bytes() == b"png, drawn again"


def test_the_sweep_removes_what_the_build_did_not_write_and_the_folders_it_empties(tmp_path: Path):
    root = tmp_path / "site"
    site = KeptFolder(root)
    site.begin()
    for name in ("manual/fever/index.html", "manual/gone/index.html", "index.html", "old.json"):
        site.write(root / name, b"x")
    (root / ".hidden").write_bytes(b"left alone, as MkDocs' clean leaves it")
    site.sweep()
    site.begin()
    site.write(root / "manual/fever/index.html", b"x")  # skipped: same bytes
    site.write(root / "index.html", b"y")  # written
    plugin_written = root / "search" / "zh.json"  # written by other code, not through the folder
    plugin_written.parent.mkdir()
    plugin_written.write_bytes(b"{}")
    assert site.sweep() == 2
    left = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert left == [".hidden", "index.html", "manual/fever/index.html", "search/zh.json"]
    assert not (root / "manual" / "gone").exists()


def test_remove_older_keeps_the_files_written_since(tmp_path: Path):
    (tmp_path / "old").mkdir()
    old = tmp_path / "old" / "a.txt"
    old.write_bytes(b"a")
    os.utime(old, ns=(1, 1))
    new = tmp_path / "b.txt"
    new.write_bytes(b"b")
    assert remove_older(tmp_path, since=10) == 1
    assert not (tmp_path / "old").exists() and new.exists()


def test_the_scan_memo_reads_a_file_again_only_when_it_changed(tmp_path: Path, monkeypatch):
    page = tmp_path / "index.html"
    page.write_bytes(b"<p>one</p>")
    memo, computed, reads = ScanMemo(), [], []
    real_read = Path.read_bytes

    def counting_read(self: Path) -> bytes:
        reads.append(self.name)
        return real_read(self)
    monkeypatch.setattr(Path, "read_bytes", counting_read)

    def scan() -> str:
        return memo.remember("scan", "index.html", page, lambda data: computed.append(data) or data.decode())
    assert scan() == "<p>one</p>" and len(reads) == 1
    memo.sweep()
    assert scan() == "<p>one</p>" and len(reads) == 1 and len(computed) == 1  # stat unchanged: not read
    memo.sweep()
    page.write_bytes(b"<p>two</p>")
    assert scan() == "<p>two</p>" and len(computed) == 2
    memo.sweep()
    page.write_bytes(b"<p>one</p>")  # back to bytes scanned before the last sweep: dropped, so computed again
    assert scan() == "<p>one</p>" and len(computed) == 3
