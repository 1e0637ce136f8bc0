"""N real `assistant serve` processes sharing one database: the scale-out tests start them here.

No Qdrant server runs in tests, so each replica has its own data dir with its own embedded shard
(seeded with the same knowledge base when `kb` is given); users, tokens, rate limits, jobs and chat
work are in the one database every replica shares.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from assistant.services import build_services
from tests.integration.api_kb import free_port, kb_settings

START_TIMEOUT_S = 180


@dataclass
class Replica:
    """One `assistant serve` process."""

    name: str
    port: int
    data_dir: Path
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
        return httpx.get(self.url + path, headers=_auth(token), **{"timeout": 30, **kwargs})

    def post(self, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
        return httpx.post(self.url + path, headers=_auth(token), **{"timeout": 30, **kwargs})

    def kill(self) -> None:
        """kill -9: no shutdown hook runs, nothing is released but by lease expiry."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:] if self.log.exists() else ""


def _auth(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def seed_kb(data_dir: Path, database_url: str, kb: Path) -> None:
    """Ingest `kb` into this replica's own embedded shard (the versions go to the shared database)."""
    services = build_services(kb_settings(data_dir, database_url=database_url))
    try:
        report = services.ingest.ingest([kb])
        assert report.ok, report.as_dict()
    finally:
        services.close()


def _spawn(name: str, root: Path, database_url: str, env: dict[str, str]) -> Replica:
    data_dir, port, log = root / name / "data", free_port(), root / f"{name}.log"
    full_env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_DATABASE_URL": database_url,
        "ASSISTANT_EMBEDDER": "hash",
        "ASSISTANT_PORT": str(port),
        "ASSISTANT_LIFECYCLE_EVERY_HOURS": "0",
        **env,
    }
    full_env.pop("ASSISTANT_QDRANT_URL", None)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve"],
            cwd=root,  # no stray .env from a developer checkout
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Replica(name, port, data_dir, proc, log)


def _wait_ready(replica: Replica, deadline: float) -> None:
    while time.monotonic() < deadline:
        if replica.proc.poll() is not None:
            raise RuntimeError(f"{replica.name} exited ({replica.proc.returncode}):\n{replica.log_tail()}")
        try:
            if replica.get("/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{replica.name} did not start:\n{replica.log_tail()}")


@contextmanager
def start_replicas(
    n: int, database_url: str, root: Path, kb: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[list[Replica]]:
    """Start `n` replicas (named r0, r1, ...) on `database_url`; all are stopped on exit.

    `env`: more ASSISTANT_* settings for every replica (rate limits, lease, ingest roots...).
    """
    if kb is not None:
        for i in range(n):
            seed_kb(root / f"r{i}" / "data", database_url, kb)
    with ExitStack() as stack:
        replicas = []
        for i in range(n):
            replica = _spawn(f"r{i}", root, database_url, env or {})
            stack.callback(replica.stop)
            replicas.append(replica)
        deadline = time.monotonic() + START_TIMEOUT_S
        for replica in replicas:
            _wait_ready(replica, deadline)
        yield replicas
