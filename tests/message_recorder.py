"""A pytest plugin that records every diagnostic's message and hint a test run produces, as JSON lines in the
file named by ``CLOUDPEDS_RECORD_MESSAGES`` (``-p tests.message_recorder``): diagnostics made in the test
process, and those a test reads back from a ``cloudpeds check --format json`` child through ``run_check``.
Used by tests/integration/test_messages_coverage.py to find the messages the bad-input corpora produce."""

from __future__ import annotations

import json
import os

from cloudpeds import diagnostics

RECORD_ENV = "CLOUDPEDS_RECORD_MESSAGES"


def _write(message: str, hint: str) -> None:
    with open(os.environ[RECORD_ENV], "a", encoding="utf-8") as out:
        out.write(json.dumps([message, hint], ensure_ascii=False) + "\n")


def pytest_configure(config) -> None:
    if not os.environ.get(RECORD_ENV) or getattr(diagnostics.Diagnostic.__init__, "recording", False):
        return
    original = diagnostics.Diagnostic.__init__

    def init(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        _write(self.message, self.hint)

    init.recording = True
    diagnostics.Diagnostic.__init__ = init


def pytest_collection_modifyitems(session, config, items) -> None:
    if not os.environ.get(RECORD_ENV):
        return
    for item in items:
        module = getattr(item, "module", None)
        run_check = getattr(module, "run_check", None)
        if run_check is None or getattr(run_check, "recording", False):
            continue

        def recorded(*args, _run_check=run_check, **kwargs):
            run = _run_check(*args, **kwargs)
            for found in run.diagnostics:
                _write(found.get("message", ""), found.get("hint", ""))
            return run

        recorded.recording = True
        module.run_check = recorded
