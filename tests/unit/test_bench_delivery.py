"""The delivery benchmarks' bookkeeping (bench/lighthouse/run.py, bench/page_weight.py): no browser, no numbers."""

from __future__ import annotations

import importlib.util
import json
import sys
import zipfile
from pathlib import Path

from ..conftest import ROOT

BENCH = ROOT / "bench"


def load(path: Path):
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def test_lighthouse_is_pinned_in_its_own_lockfile_and_not_in_the_root_package():
    lock = json.loads((BENCH / "lighthouse" / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/lighthouse"]["version"] == load(BENCH / "lighthouse" / "run.py").VERSION
    assert lock["packages"][""]["dependencies"]["lighthouse"] == "12.2.3"  # exact: 13 needs Node 22
    root = [(ROOT / name).read_text(encoding="utf-8") for name in ("package.json", "package-lock.json")]
    assert not any("lighthouse" in text for text in root)  # CI and `make test` must not download it


def test_lost_points_names_weighted_audits_below_full_marks():
    run = load(BENCH / "lighthouse" / "run.py")
    refs = [{"id": "a", "weight": 1}, {"id": "b", "weight": 0}, {"id": "c", "weight": 3}]
    category = {"score": 0.9, "auditRefs": refs}
    report = {"categories": {name: category for name in run.CATEGORIES},
              "audits": {"a": {"score": 0, "displayValue": "2 links"}, "b": {"score": 0}, "c": {"score": 1}}}
    lost = run.lost_points(report)
    assert lost["seo"] == ["a (0.00, 2 links)"]  # b has no weight, c passed
    assert run.scores(report)["accessibility"] == 0.9


def test_page_weight_keeps_the_service_workers_bytes_apart_and_leaves_video_out(tmp_path):
    weight = load(BENCH / "page_weight.py")
    step = weight.Step("first", [
        weight.Transfer("http://h/manual/fever/", 200, 10_000, "network"),
        weight.Transfer("http://h/search/index.zh.js", 200, 100_000, "network", by_service_worker=True),
        weight.Transfer("http://h/media/x/360p/seg0.ts", 200, 500_000, "network"),
        weight.Transfer("http://h/assets/x.css", 200, 0, "cache"),
    ])
    assert step.total(service_worker=False) == 10_000
    assert step.total(service_worker=True) == 100_000
    assert step.total() == 110_000 and step.video_bytes() == 500_000

    bundle = tmp_path / "b.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("index.html", "x" * 100)
        archive.writestr("media/x/lesson.mp4", b"\0" * 1000)
    size, video, count = weight.bundle_size(bundle)
    assert count == 1 and video == 1000 and size > video
