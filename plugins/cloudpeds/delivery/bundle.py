"""The offline bundle: a reproducible zip of a site built for ``file://``, with a manifest and a
bilingual "how to open" page, and its verification.

Layout: the site's files at the zip root (``index.html`` …), plus ``打开方式-how-to-open.html`` and
``cloudpeds-bundle.json`` (edition, build date, file count, size and SHA-256 of every other entry).
Reproducible: entries sorted by name, every timestamp the build date at 00:00, permissions
``-rw-r--r--`` (Unix), no directory entries, no comment; text is deflated, already-compressed types
(the policy table's ``compress`` column is false) are stored. The same inputs give the same bytes
with the same zlib. Precompressed ``.gz``/``.br`` copies and host files (``_headers``) are left out:
a browser opening files from disk never uses them.

The manifest detects damage and tampering by accident or by a careless edit, not by an attacker
(who can rewrite the manifest too): it is not a signature.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import zipfile
import zlib
from datetime import date
from pathlib import Path

from .files import served_files, sha256_file
from .policy import DEFAULT_RULE, rule_for

MANIFEST = "cloudpeds-bundle.json"
HOW_TO_OPEN = "打开方式-how-to-open.html"
FORMAT = "cloudpeds-bundle/1"
#: Files that configure a web host and mean nothing offline.
HOST_FILES = frozenset({"_headers", "_redirects"})
_FILE_MODE = 0o100644  # regular file, rw-r--r--
_UNIX = 3


def bundle_files(site_dir: Path) -> list[str]:
    """The site files that go into the bundle, sorted (no precompressed copies, no host files)."""
    files = [rel for rel in served_files(site_dir) if rel not in HOST_FILES]
    clashes = {MANIFEST, HOW_TO_OPEN} & set(files)
    if clashes:
        raise ValueError(f"the site already has {', '.join(sorted(clashes))}, a name the bundle needs")
    if "index.html" not in files:
        raise ValueError(f"{site_dir} has no index.html: not a built site")
    return files


# One line in the page: a line break between Chinese sentences would show as a space.
_ZH_UNZIP = ("先<strong>解压</strong>整个压缩包：电脑上右键“全部解压缩”或用解压软件；手机上用“文件管理”解压。"
             "不要在压缩包里直接打开网页，否则页面之间的链接和图片会失效。")


def how_to_open_html(edition: str, build_date: date) -> str:
    """The bilingual page at the zip root that says how to open the bundle (no script, no network)."""
    ed, day = html.escape(edition), build_date.isoformat()
    return f"""<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>打开方式 · How to open — 云儿科 Cloudpeds {ed}</title>
<style>
body {{ font: 17px/1.6 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  max-width: 40em; margin: 0 auto; padding: 1em; color: #222; }}
h1 {{ font-size: 1.4em; }} h2 {{ font-size: 1.15em; margin-top: 1.6em; }}
a.open {{ display: inline-block; padding: .5em 1em; background: #00695c; color: #fff; border-radius: .3em; }}
small {{ color: #555; }}
</style>
</head>
<body>
<h1>云儿科 Cloudpeds 离线版 · Offline edition</h1>
<p><a class="open" href="index.html">打开手册 · Open the manual (index.html)</a></p>

<h2>打开方式</h2>
<ol>
<li>{_ZH_UNZIP}</li>
<li>在解压出的文件夹里，用浏览器（Chrome、Edge、Firefox、Safari 等）打开 <code>index.html</code>。</li>
<li>之后<strong>无需联网</strong>：页面、流程图和搜索都在本机。部分手机浏览器不能打开本机网页，可改用电脑。</li>
<li>有新版时，删除旧文件夹，再解压新版。</li>
</ol>

<h2 lang="en">How to open</h2>
<ol lang="en">
<li><strong>Unzip</strong> the whole archive first (computer: right-click, “Extract all”, or an unzip program;
phone: the Files app). Do not open pages inside the zip: links between pages and images would break.</li>
<li>In the unzipped folder, open <code>index.html</code> in a browser (Chrome, Edge, Firefox, Safari…).</li>
<li>It then works <strong>without a network</strong>: pages, flow charts and search are all on the device.
Some phone browsers cannot open local pages; use a computer then.</li>
<li>For a new edition, delete the old folder and unzip the new one.</li>
</ol>

<p><small>版本 Edition: {ed} · 构建日期 Build date: {day} ·
文件清单与 SHA-256 校验值 File list and SHA-256 checksums: <code>{MANIFEST}</code></small></p>
</body>
</html>
"""


def _info(name: str, stamp: tuple[int, int, int, int, int, int], compress: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.create_system = _UNIX
    info.external_attr = _FILE_MODE << 16
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    return info


def _deflate(name: str) -> bool:
    """Deflate text and unknown types; store what is already compressed (images, fonts, video, archives)."""
    rule = rule_for(name)
    return rule.compress or rule is DEFAULT_RULE


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def write_bundle(site_dir: Path, out_zip: Path, edition: str, build_date: date | str,
                 member: str | None = None) -> Path:
    """Write the offline bundle of the built site ``site_dir`` to ``out_zip`` and return it.

    Two runs with the same site, edition and date give byte-identical zips. The zip is written
    beside ``out_zip`` and moved into place, so a failed run leaves no half-written bundle.
    """
    day = _as_date(build_date)
    if day.year < 1980:
        raise ValueError("zip timestamps start in 1980")
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    files = bundle_files(site_dir)
    page = how_to_open_html(edition, day).encode("utf-8")
    listed = [{"path": rel, "size": (site_dir / rel).stat().st_size, "sha256": sha256_file(site_dir / rel)}
              for rel in files]
    listed.append({"path": HOW_TO_OPEN, "size": len(page), "sha256": hashlib.sha256(page).hexdigest()})
    listed.sort(key=lambda entry: entry["path"])
    manifest = {"format": FORMAT, "edition": edition, "build_date": day.isoformat(),
                "file_count": len(listed), "files": listed}
    if member:  # a consortium member's site (cloudpeds bundle --site)
        manifest["member"] = member
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    out_zip.parent.mkdir(parents=True, exist_ok=True)
    partial = out_zip.with_name(out_zip.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name in sorted([*files, HOW_TO_OPEN, MANIFEST]):
            if name == MANIFEST:
                archive.writestr(_info(name, stamp, True), manifest_bytes)
            elif name == HOW_TO_OPEN:
                archive.writestr(_info(name, stamp, True), page)
            else:
                source = site_dir / name
                info = _info(name, stamp, _deflate(name))
                info.file_size = source.stat().st_size
                with source.open("rb") as reader, archive.open(info, "w") as writer:
                    shutil.copyfileobj(reader, writer, 1 << 20)
    partial.replace(out_zip)
    return out_zip


def _member_sha256(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(name) as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def verify_bundle(zip_path: Path) -> list[str]:
    """Every problem of a bundle as ``altered: path``, ``missing: path`` or ``extra: path`` (sorted
    within each kind), plus problems of the zip or manifest themselves; an empty list means intact."""
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as error:
        return [f"{zip_path}: not a readable zip ({error})"]
    with archive:
        names = [name for name in archive.namelist() if not name.endswith("/")]
        problems = [f"duplicate entry: {name}" for name in sorted({n for n in names if names.count(n) > 1})]
        if MANIFEST not in names:
            return [*problems, f"missing: {MANIFEST}"]
        try:
            manifest = json.loads(archive.read(MANIFEST))
            listed = {entry["path"]: entry for entry in manifest["files"]}
            count = manifest["file_count"]
        except (zipfile.BadZipFile, zlib.error, ValueError, KeyError, TypeError) as error:
            return [*problems, f"altered: {MANIFEST} (unreadable: {error})"]
        if count != len(listed):
            problems.append(f"altered: {MANIFEST} (file_count {count}, but {len(listed)} files listed)")
        present = set(names)
        for path in sorted(listed):
            if path not in present:
                problems.append(f"missing: {path}")
                continue
            try:
                digest, size = _member_sha256(archive, path)
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                problems.append(f"altered: {path} ({error})")
                continue
            if digest != listed[path].get("sha256") or size != listed[path].get("size"):
                problems.append(f"altered: {path}")
        problems += [f"extra: {name}" for name in sorted(present - set(listed) - {MANIFEST})]
    return problems
