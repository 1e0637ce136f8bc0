"""`assistant worker`: takes jobs from the shared table, stops cleanly, refuses the embedded index."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.api import create_app
from assistant.db import build_engine
from assistant.db.jobs import IngestJobStore
from assistant.db.models import IngestJobRow
from assistant.services import build_services
from ingest.jobs import IngestJobs
from tests.integration.api_kb import DOCS, free_port, kb_settings, write_kb

# qdrant-client's in-process mode stands in for a Qdrant server (none runs in tests).
IN_PROCESS_QDRANT = ":memory:"


def _env(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_EMBEDDER": "hash"}
    for name in ("ASSISTANT_QDRANT_URL", "ASSISTANT_DATABASE_URL"):
        env.pop(name, None)
    return {**env, **{f"ASSISTANT_{k.upper()}": v for k, v in settings.items()}}


def _worker(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "worker", *args],
        cwd=tmp_path,
        env=_env(tmp_path, **settings),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_embedded_index_is_refused_with_the_reason(tmp_path: Path) -> None:
    done = _worker(tmp_path)
    assert done.returncode == 2
    assert "server mode" in done.stderr and "assistant serve" in done.stderr


@pytest.mark.postgres
def test_check_says_whether_database_and_index_are_reachable(tmp_path: Path, postgres_url: str) -> None:
    ok = _worker(tmp_path, "--check", qdrant_url=IN_PROCESS_QDRANT, database_url=postgres_url)
    assert ok.returncode == 0, ok.stderr
    closed = f"postgresql://nobody@127.0.0.1:{free_port()}/none"
    down = _worker(tmp_path, "--check", qdrant_url=IN_PROCESS_QDRANT, database_url=closed)
    assert down.returncode == 1 and "database unreachable" in down.stderr
    no_index = _worker(
        tmp_path, "--check", qdrant_url=f"http://127.0.0.1:{free_port()}", database_url=postgres_url
    )
    assert no_index.returncode == 1 and "index unreachable" in no_index.stderr


@pytest.mark.postgres
def test_a_worker_runs_queued_jobs_and_stops_on_sigterm(tmp_path: Path, postgres_url: str) -> None:
    engine = build_engine(postgres_url)
    jobs = IngestJobStore(engine)
    job = jobs.submit([str(write_kb(tmp_path / "kb"))], {"overrides": {}}, "curator")
    env = _env(tmp_path, qdrant_url=IN_PROCESS_QDRANT, database_url=postgres_url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "worker"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while (got := jobs.get(job.id)) is not None and got.status in ("queued", "running"):
            assert time.monotonic() < deadline and proc.poll() is None, "the worker did not finish the job"
            time.sleep(0.2)
        assert got is not None and got.status == "done", got
        assert got.worker is not None and got.worker.split(":")[1] == str(proc.pid)
        assert got.report is not None and len(got.report["added"]) == len(DOCS)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        engine.dispose()


@pytest.mark.postgres
def test_cli_ingest_in_server_mode_is_a_recorded_job_on_the_shared_manifest(
    tmp_path: Path, postgres_url: str
) -> None:
    kb = write_kb(tmp_path / "kb")
    env = _env(tmp_path, qdrant_url=IN_PROCESS_QDRANT, database_url=postgres_url)

    def ingest() -> dict[str, list[str]]:
        done = subprocess.run(
            [sys.executable, "-m", "assistant", "ingest", str(kb), "--json", "--as", "curator"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return dict(json.loads(done.stdout))

    assert len(ingest()["added"]) == len(DOCS)
    # A second process (another machine) sees what the first ingested: nothing is read twice.
    assert len(ingest()["unchanged"]) == len(DOCS)
    engine = build_engine(postgres_url)
    with engine.connect() as conn:
        rows = conn.execute(select(IngestJobRow.status, IngestJobRow.submitted_by)).all()
    engine.dispose()
    assert sorted(rows) == [("done", "curator"), ("done", "curator")]


def test_serve_leaves_jobs_to_workers_when_told(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    settings = kb_settings(
        tmp_path / "data", qdrant_url=IN_PROCESS_QDRANT, serve_runs_jobs=False, ingest_roots=[kb]
    )
    services = build_services(settings)
    _, token = services.users.add_user("root-admin", ["admin"])
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(settings, services)) as client:
        job = client.post("/v1/admin/ingest", json={"paths": [str(kb)]}, headers=auth).json()
        time.sleep(1.5)  # longer than a runner's poll: nothing in this process takes it
        assert client.get(f"/v1/admin/jobs/{job['job_id']}", headers=auth).json()["status"] == "queued"
        worker = IngestJobs(
            services.ingest, services.jobs, settings.job_lease
        )  # what `assistant worker` runs
        assert worker.run_next()
        done = client.get(f"/v1/admin/jobs/{job['job_id']}", headers=auth).json()
    services.close()
    assert done["status"] == "done" and len(done["report"]["added"]) == len(DOCS)
