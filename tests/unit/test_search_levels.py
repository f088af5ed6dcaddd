"""Results that carry an urgency level: most urgent first, in the places they hold; the same rule in
lunr.py's order (query.by_level) and in the browser's (search-core.js byLevel)."""

from __future__ import annotations

import json
import random
import subprocess

from cloudpeds.clinical import urgency
from cloudpeds.search.indexer import level_scale
from cloudpeds.search.query import by_level
from cloudpeds.search.shards import decode_levels, encode_levels

from ..conftest import ROOT

SCALE = level_scale("zh")


def test_red_before_amber_in_the_places_leveled_results_hold():
    levels = {"1": "urgent", "3": "emergency", "4": "home", "6": "emergency"}
    assert by_level(["1", "2", "3", "4", "5", "6"], levels, SCALE) == ["3", "2", "6", "1", "5", "4"]
    assert by_level(["2", "5"], levels, SCALE) == ["2", "5"]
    assert by_level(["1", "3"], levels, {}) == ["1", "3"]  # no scale (an older index): lunr's order


def test_the_scale_is_the_urgency_table():
    assert SCALE["emergency"] == [0, "■", "紧急", "#b71c1c", "#7f0000", "#ffffff"]
    assert set(SCALE) == set(urgency.LEVEL_IDS)
    assert level_scale("en")["urgent"][2] == urgency.level("urgent").word["en"]


def test_search_core_js_orders_exactly_as_python():
    rng = random.Random(13)
    cases = []
    for _ in range(200):
        refs = [str(n) for n in rng.sample(range(40), rng.randint(0, 20))]
        levels = {ref: rng.choice(urgency.LEVEL_IDS) for ref in refs if rng.random() < 0.5}
        cases.append([refs, levels])
    script = ("const core = require(process.argv[1]); const scale = JSON.parse(process.argv[2]);"
              "const cases = JSON.parse(process.argv[3]);"
              "process.stdout.write(JSON.stringify(cases.map(([refs, levels]) =>"
              " core.byLevel(refs.map((ref) => ({ref, score: 1})), levels, scale).map((hit) => hit.ref))));")
    out = subprocess.run(["node", "-e", script, str(ROOT / "theme" / "assets" / "search-core.js"),
                          json.dumps(SCALE), json.dumps(cases)], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [by_level(refs, levels, SCALE) for refs, levels in cases]


def test_by_characters_splits_chinese_runs_only():
    script = ("const core = require(process.argv[1]);"
              "process.stdout.write(JSON.stringify("
              "['干咳', '咳', 'fever', '干咳 3天', 'Dry 干咳'].map(core.byCharacters)));")
    out = subprocess.run(["node", "-e", script, str(ROOT / "theme" / "assets" / "search-core.js")],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == ["干 咳", "", "", "干 咳 3天", "dry 干 咳"]


def test_levels_are_shipped_as_gaps_and_read_back_alike_in_js():
    levels = {"3": "emergency", "17": "urgent", "4": "emergency", "250": "emergency", "18": "home"}
    encoded = encode_levels(levels)
    assert encoded == {"emergency": [3, 1, 246], "home": [18], "urgent": [17]}
    assert decode_levels(encoded) == levels
    out = subprocess.run(["node", "-e", "process.stdout.write(JSON.stringify(require(process.argv[1])"
                          ".decodeLevels(JSON.parse(process.argv[2]))))",
                          str(ROOT / "theme" / "assets" / "search-core.js"), json.dumps(encoded)],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == levels
