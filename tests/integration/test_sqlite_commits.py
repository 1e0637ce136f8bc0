"""SQLite commits do not wait for the disk (WAL, synchronous NORMAL), and still survive the app dying."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from assistant.db import AuditLog, build_engine
from tests.conftest import REPO_ROOT

_CRASH_AFTER_COMMIT = """
import os, sys
from assistant.db import AuditLog, build_engine
AuditLog(build_engine(sys.argv[1])).record("ann", "api", "ask", "what does it cost?", ["pricing"])
os._exit(9)  # no clean shutdown: nothing flushed or closed after the commit
"""


def test_an_audit_entry_committed_just_before_the_app_dies_is_kept(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    crashed = subprocess.run(
        [sys.executable, "-c", _CRASH_AFTER_COMMIT, url], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert crashed.returncode == 9, crashed.stderr
    engine = build_engine(url)
    try:
        with engine.connect() as conn:
            modes = (
                conn.execute(text("PRAGMA journal_mode")).scalar(),
                conn.execute(text("PRAGMA synchronous")).scalar(),
            )
        assert modes == ("wal", 1)  # 1: NORMAL, the WAL is synced at checkpoints, not at every commit
        assert [e.question for e in AuditLog(engine).list()] == ["what does it cost?"]
    finally:
        engine.dispose()
