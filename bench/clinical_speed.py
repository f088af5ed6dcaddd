"""Clinical rules' cost: `cloudpeds check` at N synthetic chapters with and without the clinical rules.

    .venv/bin/python bench/clinical_speed.py [--chapters 500] [--repeat 5] [--seed 1]

In one run:

1. generate a synthetic manual of N bilingual chapters (bench/synthetic_manual.py) into
   ``--workdir`` (default bench/out/clinical-speed-N<N>, git-ignored), and add the real
   manual/findings.yml and manual/medicines.yml, a per-kg dose on every chapter, and 6 case tests per
   chapter (the sample's target: >= 60 cases over 10 chapters) in manual/cases/;
2. "with": ``cloudpeds.manual.validate.check`` as `cloudpeds check` runs it (every clinical rule:
   vocabulary, doses and dose tables, flowchart enumeration per age band, cross-chapter triage, cases);
3. "without": the same call with the clinical rules replaced by a function that returns nothing.

Each run is a fresh subprocess timed wall-clock and CPU (user + sys); ``--repeat`` runs of each,
alternating which goes first, after one untimed warm-up of each; the medians are compared.
The target is with/without <= 1.3x at N = 500. Exit status 0 whatever the ratio (a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import synthetic_manual
import yaml

TARGET = 1.3
BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

RUN = """
import json, resource, sys, time
from pathlib import Path
import cloudpeds.manual.validate as validate
if sys.argv[2] == "without":
    validate.check_clinical = lambda *args, **kwargs: []
project = Path(sys.argv[1])
start = time.perf_counter()
cpu0 = resource.getrusage(resource.RUSAGE_SELF)
manual, diagnostics = validate.check(project / "manual", root=project)
cpu1 = resource.getrusage(resource.RUSAGE_SELF)
errors = [d.format() for d in diagnostics if d.severity.value == "error" and d.code]
print(json.dumps({"wall": time.perf_counter() - start,
                  "cpu": cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime,
                  "clinical_errors": len(errors)}))
"""

DOSE = {"id": None, "drug": "paracetamol", "indication": None, "route": "oral", "per_kg": 15,
        "max_single": 1000, "interval": "6h", "max_doses_24h": 4, "min_age": "2mo", "sources": None}


def add_clinical_data(project: Path, chapters: int) -> None:
    manual = project / "manual"
    for name in ("findings.yml", "medicines.yml"):
        shutil.copy(REPO / "manual" / name, manual / name)
    (manual / "cases").mkdir(exist_ok=True)
    for path in sorted((manual / "chapters").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        dose = dict(DOSE, id=f"{meta['id']}-dose-paracetamol", indication=meta["title"],
                    sources=meta["references"][:1])
        meta["doses"] = [dose]
        # The generator's charts predate the urgency scale (red → :::urgent) and its green signs skip ages:
        # bring them to what the clinical rules accept, so that the run measures checking, not reporting.
        for sign in meta["danger_signs"]:
            if sign["triage"] == "green":
                sign["age_bands"] = list(meta["age_bands"])
        # Signs that use the vocabulary's tables, linked from the chart's red and amber decisions, so that
        # CP202/CP204 and the evaluator's table lookups run (and pass) as they will on corrected chapters.
        cid, bands = meta["id"], list(meta["age_bands"])
        table_signs = [
            (f"{cid}-ds-temperature", "red", "Temperature ≥ 37.5 °C or < 35.5 °C under 2 months",
             ["temperature-young-infant-fever", "temperature-young-infant-low"], "B"),
            (f"{cid}-ds-bilirubin", "red", "Bilirubin at the NICE CG98 phototherapy threshold",
             ["bilirubin-phototherapy-38w", "bilirubin-exchange-38w"], "B"),
            (f"{cid}-ds-rates", "amber", "Heart rate > 160, 150, 140; respiratory rate > 50, 40",
             ["hr-nice-amber", "rr-nice-amber"], "D"),
        ]
        for sign_id, triage, text, tables, node in table_signs:
            meta["danger_signs"].append({"id": sign_id, "text": text, "triage": triage, "age_bands": bands,
                                         "thresholds": [{"table": t} for t in tables]})
            meta["referrals"][0 if triage == "red" else 1]["signs"].append(sign_id)
            body = body.replace("```\n", f'  click {node} "#{sign_id}"\n```\n', 1) if "flowchart TD" in body else body
        body = re.sub(r"( E\[[^\]]*\]):::urgent$", r"\1:::emergency", body, flags=re.MULTILINE)
        body = re.sub(r'^  click H "#[^"]*"\n', "", body, flags=re.MULTILINE)
        path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body,
                        encoding="utf-8")
        if path.name.endswith(".zh.md"):
            band = meta["age_range"]
            start, _, end = band.partition("-")
            number, unit = re.match(r"(\d+)(\D+)", end).groups()
            ages = [start if start[0] != "0" else "1d", f"{int(number) - 1}{unit}"]  # bands are half-open
            cases = [{"id": f"{meta['id']}-case-{k}", "title": f"case {k}", "sources": meta["references"][:1],
                      "age": ages[k % 2], "weight": 3.5 + 2 * k, "measures": {"temperature": 37 + k * 0.4},
                      "expect": {}} for k in range(6)]
            (manual / "cases" / f"{meta['id']}.yml").write_text(
                yaml.safe_dump({"chapter": meta["id"], "cases": cases}, allow_unicode=True, sort_keys=False),
                encoding="utf-8")


def timed(project: Path, variant: str) -> dict:
    result = subprocess.run([sys.executable, "-c", RUN, str(project), variant], capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapters", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    workdir = args.workdir or BENCH / "out" / f"clinical-speed-N{args.chapters}"
    if workdir.exists():
        shutil.rmtree(workdir)
    project = synthetic_manual.generate(workdir / "project", chapters=args.chapters, seed=args.seed)
    add_clinical_data(project, args.chapters)
    timed(project, "with")
    timed(project, "without")
    runs: dict[str, list[dict]] = {"with": [], "without": []}
    for k in range(args.repeat):
        order = ("with", "without") if k % 2 == 0 else ("without", "with")
        for variant in order:
            runs[variant].append(timed(project, variant))
    med = {v: {key: statistics.median(r[key] for r in runs[v]) for key in ("wall", "cpu")} for v in runs}
    cases = len(list((project / "manual" / "cases").glob("*.yml"))) * 6
    print(f"check at {args.chapters} chapters ({cases} case tests), median of {args.repeat}:")
    for variant in ("without", "with"):
        print(f"  {variant:8} wall {med[variant]['wall']:.2f} s   cpu {med[variant]['cpu']:.2f} s")
    print(f"  clinical errors found on the synthetic manual: {runs['with'][0]['clinical_errors']}")
    ratio_wall = med["with"]["wall"] / med["without"]["wall"]
    ratio_cpu = med["with"]["cpu"] / med["without"]["cpu"]
    verdict = "within" if ratio_cpu <= TARGET else "OVER"
    print(f"ratio with/without: wall {ratio_wall:.2f}x, cpu {ratio_cpu:.2f}x (target <= {TARGET}x: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
