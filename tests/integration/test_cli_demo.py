"""`assistant demo`: ingests a KB, creates one user per role, writes their tokens, serves; twice."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx

from assistant.cli.demo_cmd import DEMO_USERS
from tests.integration.api_kb import DOCS, free_port, write_kb


def _run_demo(data_dir: Path, kb: Path, cwd: Path) -> tuple[dict[str, object], str]:
    """Start the demo, wait until it serves, return its tokens file, then stop it with Ctrl-C."""
    port = free_port()
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_EMBEDDER": "hash"}
    tokens_file = data_dir / "demo-tokens.json"
    tokens_file.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "demo", "--port", str(port), "--kb", str(kb)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, proc.communicate()[0]
            assert time.monotonic() < deadline, "demo did not start serving"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        assert stat.S_IMODE(tokens_file.stat().st_mode) == 0o600
        data = json.loads(tokens_file.read_text())
        me = httpx.get(
            f"http://127.0.0.1:{port}/v1/me",
            headers={"Authorization": f"Bearer {data['tokens']['rep-demo']}"},
        ).json()
        assert me == {"user": "rep-demo", "roles": ["rep"], "groups": ["east"]}
    finally:
        proc.send_signal(signal.SIGINT)
        output = proc.communicate(timeout=60)[0]
    assert proc.returncode == 0, output
    assert not (data_dir / "service.json").exists()
    return data, output


def test_demo_seeds_users_and_serves(tmp_path: Path) -> None:
    kb, data_dir = write_kb(tmp_path / "kb"), tmp_path / "data"
    first, output = _run_demo(data_dir, kb, tmp_path)
    tokens = first["tokens"]
    assert isinstance(tokens, dict) and sorted(tokens) == sorted(name for name, _, _ in DEMO_USERS)
    assert f"added {len(DOCS)}" in output
    assert all(token in output for token in tokens.values())

    second, output = _run_demo(data_dir, kb, tmp_path)
    assert f"unchanged {len(DOCS)}" in output
    again = second["tokens"]
    assert isinstance(again, dict) and set(again) == set(tokens) and again != tokens
