"""The sample site as a visitor gets it, for the delivery benchmarks (Lighthouse, page weight).

`sample_site` builds the project's own manual and courses (cdn profile) into a folder, or takes an
already-built one; `served` precompresses it (`delivery.precompress`: ``.gz``/``.br`` beside each text
file, idempotent, so a build that already does it costs only a check) and serves it with real nginx
and the generated configuration and CSP (`delivery.local_nginx`), which is how a CDN or a hospital
server delivers it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CHROMIUM = "/usr/bin/chromium"
#: Headless Debian Chromium as root in a container (see tests/browser/conftest.py).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build_sample_site(site: Path, profile: str = "cdn") -> Path:
    """``cloudpeds build --profile PROFILE -d SITE`` of this project; exits with its message on failure."""
    cloudpeds = Path(sys.executable).with_name("cloudpeds")
    command = [str(cloudpeds) if cloudpeds.exists() else "cloudpeds", "build", "--profile", profile,
               "-d", str(site)]
    say(f"building the sample site ({profile} profile) into {site} ...")
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=False)
    if result.returncode != 0:
        sys.exit(f"the build failed ({' '.join(command)}):\n{result.stderr}")
    say(f"  built in {time.monotonic() - started:.1f} s")
    return site


@contextmanager
def served(site: Path, prefix: Path, *, csp: bool = True) -> Iterator[str]:
    """``site`` precompressed and served by nginx; yields the base URL (ending in ``/``)."""
    from cloudpeds.delivery.local_nginx import serve
    from cloudpeds.delivery.policy import csp_for_site
    from cloudpeds.delivery.precompress import precompress

    if not (site / "index.html").is_file():
        sys.exit(f"{site} has no index.html: not a built site (omit --site to build the sample site)")
    say("precompressing (.gz, .br) ...")
    precompress(site)
    policy = csp_for_site(site) if csp else None
    with serve(site, prefix, csp=policy) as server:
        say(f"nginx serves {site} at {server.url()}" + (" with the site's CSP" if csp else ""))
        yield server.url()
