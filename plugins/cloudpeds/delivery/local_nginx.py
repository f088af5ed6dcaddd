"""Run nginx on a loopback port with the generated config: for previews, tests and benchmarks.

Everything nginx writes (pid, temp files, logs) stays in a folder of the caller's, so no root
configuration is touched and several servers can run at once.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .nginx_conf import BrotliMode, render_nginx_conf


class NginxNotFound(RuntimeError):
    pass


@dataclass(frozen=True)
class LocalNginx:
    origin: str  # http://127.0.0.1:PORT
    base_path: str

    def url(self, relative: str = "") -> str:
        return self.origin + self.base_path + relative.lstrip("/")


def nginx_executable() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if not found:
        raise NginxNotFound("nginx is not installed: `sudo apt-get install nginx` (Debian) to serve the site locally")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


#: Debian's ngx_brotli packages (libnginx-mod-http-brotli-filter, libnginx-mod-http-brotli-static) install
#: these; the system nginx loads them through /etc/nginx/modules-enabled/, a private nginx.conf must say so.
BROTLI_MODULE_DIR = Path("/usr/lib/nginx/modules")
BROTLI_MODULE_FILES = ("ngx_http_brotli_filter_module.so", "ngx_http_brotli_static_module.so")


def brotli_modules(module_dir: Path = BROTLI_MODULE_DIR) -> tuple[str, ...]:
    """The installed brotli modules to ``load_module`` (the filter too, when present), or () when the static one,
    which ``brotli_static on`` needs, is missing. ``CLOUDPEDS_NGINX_BROTLI_MODULE`` names a static module elsewhere."""
    override = os.environ.get("CLOUDPEDS_NGINX_BROTLI_MODULE", "")
    if override:
        return (override,) if Path(override).is_file() else ()
    found = tuple(str(module_dir / name) for name in BROTLI_MODULE_FILES if (module_dir / name).is_file())
    return found if any(path.endswith("static_module.so") for path in found) else ()


def _main_conf(prefix: Path, load_module: str | Sequence[str] | None = None) -> str:
    temp = prefix / "temp"
    lines = ["worker_processes 1;"]
    if os.geteuid() == 0:
        lines.append("user root;")  # workers would run as nobody and could not read private temp folders
    modules = [load_module] if isinstance(load_module, str) else list(load_module or ())
    lines += [f"load_module {module};" for module in modules]
    lines += ["events { worker_connections 256; }", "http {", "    access_log off;"]
    lines += [f"    {kind}_temp_path {temp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")]
    lines += [f"    include {prefix / 'server.conf'};", "}"]
    return "\n".join(lines) + "\n"


@contextmanager
def serve(site: Path, prefix: Path, *, base_path: str = "/", csp: str | None = None,
          brotli: BrotliMode = "fallback", load_module: str | Sequence[str] | None = None) -> Iterator[LocalNginx]:
    """nginx serving ``site`` at ``http://127.0.0.1:PORT{base_path}`` until the block ends
    (``load_module``: module .so files to load; with ``brotli="module"`` and none given, `brotli_modules()`)."""
    executable = nginx_executable()
    if brotli == "module" and load_module is None:
        load_module = brotli_modules()
        if not load_module:
            raise NginxNotFound("the nginx brotli module is not installed: `sudo apt-get install "
                                "libnginx-mod-http-brotli-static libnginx-mod-http-brotli-filter` (Debian)")
    (prefix / "temp").mkdir(parents=True, exist_ok=True)
    (prefix / "nginx.conf").write_text(_main_conf(prefix, load_module), encoding="utf-8")
    log = prefix / "stderr.log"
    for _ in range(3):  # another process may take the free port first
        port = _free_port()
        conf = render_nginx_conf(site, csp=csp, base_path=base_path, listen=f"127.0.0.1:{port}", brotli=brotli,
                                 releases=(site / "versions.json").is_file())
        (prefix / "server.conf").write_text(conf, encoding="utf-8")
        with log.open("wb") as stderr:
            process = subprocess.Popen(
                [executable, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                 "-g", f"daemon off; pid {prefix / 'nginx.pid'}; error_log stderr;"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr)
        if _wait_for(port, process):
            try:
                yield LocalNginx(f"http://127.0.0.1:{port}", base_path)
            finally:
                _stop(process)
            return
        _stop(process)
        if "Address already in use" not in log.read_text(errors="replace"):
            break
    raise RuntimeError(f"nginx did not start:\n{log.read_text(errors='replace')}")


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
