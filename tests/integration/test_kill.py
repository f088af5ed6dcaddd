"""SIGKILL at random moments of a build and of a publish: the previous output stays intact and the
next run succeeds. scripts/kill_trials.py runs 20 trials of each by default; the test runs 4 of
each (a trial takes about 5 s)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ..conftest import ROOT

pytestmark = pytest.mark.build


@pytest.mark.parametrize("kind", ["build", "publish"])
def test_killed_runs_leave_the_previous_output_and_the_next_run_succeeds(kind):
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "kill_trials.py"), "--trials", "4",
                             "--kind", kind], capture_output=True, text=True, check=False, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed, 0 failed" in result.stdout
