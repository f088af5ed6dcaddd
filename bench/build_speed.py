"""Build speed: our MkDocs build against plain mkdocs-material on the same Markdown.

    .venv/bin/python bench/build_speed.py [--chapters 500] [--repeat 3] [--seed 1] [--manual-only]
                                          [--without-delivery]

In one run:

1. generate a synthetic manual of N bilingual chapters (bench/synthetic_manual.py) into
   ``--workdir`` (default bench/out/build-speed-N<N>, git-ignored);
2. "ours": ``mkdocs build -f DIR/project/mkdocs.yml``, a copy of the real mkdocs.yml: every
   plugin it lists (cloudpeds/manual, and cloudpeds/search once it is there), the custom theme
   and the ```flowchart fence. ``--manual-only`` keeps cloudpeds/manual as the only plugin;
3. "plain": the Markdown of every page our plugin generates (rendered by cloudpeds' own Renderer)
   plus the hand-written content pages (with their directives expanded the same way) are written
   to ``DIR/plain/docs`` and built with mkdocs-material alone: same markdown_extensions except
   any that run cloudpeds code (the ```flowchart fence: plain shows the chart source as a code
   block), ``plugins: []`` (not even material/search), no custom_dir, MkDocs' automatic nav;
4. "plain-samenav" (unless ``--no-same-nav``): the plain project again with an explicit ``nav:``
   equal to our default-language navigation. MkDocs' automatic nav lists the pages of BOTH
   languages, so every plain page renders a navigation twice the size of ours (our plugin gives
   each language its own), and Material's nav rendering grows with pages × nav entries. This
   baseline does the same nav work as ours, so its ratio isolates what our code costs. When ours prunes
   the navigation (cloudpeds/manual ``navigation_prune``: from 60 chapters by default), so does this one.

Each build is a subprocess (NO_MKDOCS_2_WARNING=1), timed wall-clock (and CPU time, user + sys,
which other load on the machine disturbs less); ``--repeat`` runs of each, rotating which goes
first, after ``--warmup`` untimed runs of each; the medians are compared. Site folders are
deleted before every run, outside the timing. The target is ours/plain <= 1.2x at N = 500. Exit
status is 0 whatever the ratio: this is a benchmark, not a test (non-zero only if a build fails).

Note: the plugin code is imported from the working tree at each build, while the theme and
mkdocs.yml are copied once at the start: edits made to the project during a run can break it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import synthetic_manual
import yaml

from cloudpeds.diagnostics import has_errors
from cloudpeds.manual.pages import Layout, NavEntry, Renderer
from cloudpeds.manual.prune import chapter_counts, prunes
from cloudpeds.manual.validate import check

TARGET = 1.2  # ours / plain at N = 500
BENCH = Path(__file__).resolve().parent


class _Tagged:
    """A YAML value with a Python tag (``!!python/name:…``), kept as written."""

    def __init__(self, tag: str, value: object):
        self.tag, self.value = tag, value


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.MappingNode):
        return _Tagged(node.tag, loader.construct_mapping(node, deep=True))
    if isinstance(node, yaml.SequenceNode):
        return _Tagged(node.tag, loader.construct_sequence(node, deep=True))
    return _Tagged(node.tag, loader.construct_scalar(node))


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_Dumper.add_representer(_Tagged, _represent_tagged)


def _mentions_ours(value: object) -> bool:
    if isinstance(value, _Tagged):
        return ":cloudpeds" in value.tag or _mentions_ours(value.value)
    if isinstance(value, dict):
        return any(_mentions_ours(k) or _mentions_ours(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_mentions_ours(item) for item in value)
    return isinstance(value, str) and value.startswith("cloudpeds")


def plain_markdown_extensions(mkdocs_yml: str) -> tuple[str, list[str]]:
    """Our ``markdown_extensions`` for the plain build, minus anything that runs cloudpeds code
    (e.g. the ```flowchart custom fence: the plain build shows the chart source as a code block).
    Returns the YAML and what was left out."""
    config = yaml.load(mkdocs_yml, Loader=_Loader) or {}
    kept: list[object] = []
    dropped: list[str] = []
    for ext in config.get("markdown_extensions") or []:
        name, options = next(iter(ext.items())) if isinstance(ext, dict) else (ext, None)
        if isinstance(options, dict) and isinstance(options.get("custom_fences"), list):
            fences = options["custom_fences"]
            ours = [fence for fence in fences if _mentions_ours(fence)]
            dropped += [f"{name}: custom fence {fence.get('name', '?')!r}" for fence in ours]
            options = {**options, "custom_fences": [fence for fence in fences if fence not in ours]}
            if not options["custom_fences"]:
                del options["custom_fences"]
        if _mentions_ours(name) or _mentions_ours(options):
            dropped.append(str(name))
            continue
        kept.append({name: options} if options else name)
    return yaml.dump({"markdown_extensions": kept}, Dumper=_Dumper, allow_unicode=True, sort_keys=False), dropped


def drop_plugin(config_file: Path, name: str) -> bool:
    """Rewrite a mkdocs.yml without the plugin ``name`` (comments are lost); True if it was there."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    plugins = config.get("plugins") or []
    kept = [p for p in plugins if (next(iter(p)) if isinstance(p, dict) else p) != name]
    config["plugins"] = kept
    config_file.write_text(yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    return len(kept) < len(plugins)


def keep_only_manual_plugin(config_file: Path) -> list[str]:
    """Rewrite a mkdocs.yml so that ``cloudpeds/manual`` is its only plugin (comments are lost).
    Returns the plugins removed."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    plugins = config.get("plugins") or []
    kept = [p for p in plugins if (next(iter(p)) if isinstance(p, dict) else p) == "cloudpeds/manual"]
    removed = [str(next(iter(p)) if isinstance(p, dict) else p) for p in plugins if p not in kept]
    config["plugins"] = kept
    config_file.write_text(yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    return removed


def site_name(mkdocs_yml: str) -> str:
    match = re.search(r"^site_name\s*:\s*(.+)$", mkdocs_yml, re.MULTILINE)
    return match[1].strip() if match else "Plain"


def _nav_yaml(entries: list[NavEntry]) -> list[object]:
    out: list[object] = []
    for entry in entries:
        if entry.doc is not None:
            out.append(entry.doc if entry.title is None else {entry.title: entry.doc})
        else:
            out.append({entry.title or "": _nav_yaml(entry.children)})
    return out


def write_plain(project: Path, plain: Path, same_nav: Path | None = None) -> int:
    """The same page Markdown as our build, as a plain MkDocs project. Returns the page count.

    With ``same_nav``, also write there a mkdocs.yml for the same docs with our default
    language's navigation as an explicit ``nav:``.
    """
    if plain.exists():
        shutil.rmtree(plain)
    docs = plain / "docs"
    docs.mkdir(parents=True)
    manual, diagnostics = check(project / "manual", root=project)
    if has_errors(diagnostics):
        raise SystemExit("the synthetic manual has errors; run `cloudpeds check --project` on it")
    renderer = Renderer(manual, Layout())
    count = 0
    for page in renderer.pages():
        target = docs / page.doc
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
        count += 1
    content = project / "content"
    content_docs: list[str] = []
    for path in sorted(content.rglob("*")):
        if path.is_dir():
            continue
        doc = path.relative_to(content).as_posix()
        target = docs / doc
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            # What our plugin's on_page_markdown does: <!-- cloudpeds:symptom-grid --> → the grid.
            text = renderer.expand_directives(path.read_text(encoding="utf-8"), doc)
            target.write_text(text, encoding="utf-8")
            content_docs.append(doc)
            count += 1
        else:
            shutil.copy2(path, target)
    ours_yml = (project / "mkdocs.yml").read_text(encoding="utf-8")
    ours_config = yaml.load(ours_yml, Loader=_Loader) or {}
    plugins = [next(iter(p)) if isinstance(p, dict) else p for p in ours_config.get("plugins") or []]
    print(f"ours: plugins {', '.join(map(str, plugins)) or 'none'}")
    extensions, dropped = plain_markdown_extensions(ours_yml)
    for what in dropped:
        print(f"plain builds: left out {what} (cloudpeds code)")
    plain_yml = (
        f"site_name: {site_name(ours_yml)}\n"
        "docs_dir: docs\n"
        "site_dir: site\n"
        "use_directory_urls: true\n"
        "theme:\n"
        "  name: material\n"
        "  language: zh\n"
        "  font: false\n"
        "plugins: []\n"
        + extensions
    )
    (plain / "mkdocs.yml").write_text(plain_yml, encoding="utf-8")
    if same_nav is not None:
        if same_nav.exists():
            shutil.rmtree(same_nav)
        same_nav.mkdir(parents=True)
        nav = _nav_yaml(renderer.navigation(Layout().languages[0], content_docs))
        same_yml = plain_yml.replace("docs_dir: docs\n", f"docs_dir: {docs.as_posix()}\n")
        if ours_prunes(ours_config, project):  # the same navigation as ours: pruned too
            same_yml = same_yml.replace("  font: false\n", "  font: false\n  features: [navigation.prune]\n")
            print("plain-samenav: navigation.prune, as ours (cloudpeds/manual navigation_prune)")
        (same_nav / "mkdocs.yml").write_text(
            same_yml + yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return count


def ours_prunes(ours_config: dict, project: Path) -> bool:
    """Whether our build prunes the navigation (cloudpeds/manual ``navigation_prune``, as the plugin decides)."""
    options = next((p["cloudpeds/manual"] for p in ours_config.get("plugins") or []
                    if isinstance(p, dict) and "cloudpeds/manual" in p), None) or {}
    manual_dir = project / options.get("manual_dir", "manual")
    return prunes(options.get("navigation_prune", "auto"), chapter_counts(manual_dir))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_build(config: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + sys) seconds of one ``mkdocs build`` of ``config``, from an
    empty site folder."""
    site = config.parent / "site"
    shutil.rmtree(site, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)]
    cpu = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"build failed: {' '.join(command)}")
    return elapsed, cpu


def count_pages(site: Path) -> int:
    """HTML pages written from Markdown (404.html is the theme's own)."""
    return sum(1 for path in site.rglob("*.html") if path.name != "404.html")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapters", type=int, default=500, help="chapters in the manual (default: 500)")
    parser.add_argument("--repeat", type=int, default=3, help="timed builds of each kind (default: 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic manual (default: 1)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed builds of each first (default: 1)")
    parser.add_argument("--same-nav", action=argparse.BooleanOptionalAction, default=True,
                        help="also build the plain-samenav baseline (default: yes)")
    parser.add_argument("--manual-only", action="store_true",
                        help="ours: drop every plugin but cloudpeds/manual from the copied mkdocs.yml")
    parser.add_argument("--without-delivery", action="store_true",
                        help="ours: drop cloudpeds/delivery (hashed names, service worker, precompression, "
                             "checks: work plain Material does not do)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where to write the projects (default: bench/out/build-speed-N<chapters>)")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.chapters < 1:
        parser.error("--repeat and --chapters must be at least 1")
    default_dir = (f"build-speed-N{args.chapters}" + ("-manual-only" if args.manual_only else "")
                   + ("-without-delivery" if args.without_delivery else ""))
    workdir = (args.workdir or BENCH / "out" / default_dir).resolve()
    project, plain = workdir / "project", workdir / "plain"
    same_nav = workdir / "plain-samenav" if args.same_nav else None

    print(f"build speed: N = {args.chapters} chapters (zh + en), seed {args.seed}, repeat {args.repeat}")
    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}, Python {platform.python_version()}; "
          f"{dt.datetime.now().astimezone().isoformat(timespec='seconds')}")
    started = time.perf_counter()
    synthetic_manual.generate(project, chapters=args.chapters, seed=args.seed)
    print(f"generated {project} in {time.perf_counter() - started:.1f} s")
    if args.without_delivery and drop_plugin(project / "mkdocs.yml", "cloudpeds/delivery"):
        print("--without-delivery: removed cloudpeds/delivery")
    if args.manual_only:
        print(f"--manual-only: removed {', '.join(keep_only_manual_plugin(project / 'mkdocs.yml')) or 'nothing'}")
    started = time.perf_counter()
    plain_pages = write_plain(project, plain, same_nav)
    print(f"wrote {plain_pages} plain Markdown pages to {plain / 'docs'} "
          f"in {time.perf_counter() - started:.1f} s")

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    builds = {"ours": project / "mkdocs.yml", "plain": plain / "mkdocs.yml"}
    if same_nav is not None:
        builds["plain-samenav"] = same_nav / "mkdocs.yml"
    for _ in range(args.warmup):
        for name, config in builds.items():
            wall, cpu = run_build(config, env)
            print(f"  warm-up {name}: {wall:.2f} s (cpu {cpu:.2f} s)")
    times: dict[str, list[float]] = {name: [] for name in builds}
    cpus: dict[str, list[float]] = {name: [] for name in builds}
    for repeat in range(args.repeat):
        names = list(builds)
        order = names[repeat % len(names):] + names[: repeat % len(names)]
        for name in order:
            wall, cpu = run_build(builds[name], env)
            times[name].append(wall)
            cpus[name].append(cpu)
            print(f"  run {repeat + 1} {name}: {wall:.2f} s (cpu {cpu:.2f} s)")

    pages = {name: count_pages(config.parent / "site") for name, config in builds.items()}
    medians = {name: statistics.median(values) for name, values in times.items()}
    print("pages built: " + ", ".join(f"{name} {count}" for name, count in pages.items()))
    for name, values in times.items():
        print(f"median {name + ':':15} {medians[name]:6.2f} s   ({', '.join(f'{t:.2f}' for t in values)})"
              f"   cpu median {statistics.median(cpus[name]):.2f} s")
    cpu = {name: statistics.median(values) for name, values in cpus.items()}
    ratio = medians["ours"] / medians["plain"]
    verdict = "within" if ratio <= TARGET else "ABOVE"
    print(f"ratio ours/plain: {ratio:.3f}x   (target <= {TARGET}x at N = 500: {verdict} target); "
          f"cpu-time ratio {cpu['ours'] / cpu['plain']:.3f}x")
    if "plain-samenav" in medians:
        print(f"ratio ours/plain-samenav: {medians['ours'] / medians['plain-samenav']:.3f}x; "
              f"cpu-time ratio {cpu['ours'] / cpu['plain-samenav']:.3f}x   "
              "(same navigation size as ours: what the plugin and theme add)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
