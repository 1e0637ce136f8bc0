"""Scale-out: two real `assistant serve` processes on one PostgreSQL share rate limits and ingest jobs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from assistant.access import AccessPolicy
from assistant.db import UserDirectory, build_engine
from assistant.db.models import DocumentVersionRow
from tests.integration.replicas import Replica, start_replicas

pytestmark = pytest.mark.postgres

LIMIT, AUTH_FAILURES = 6, 4
# Enough documents that a quiet machine is still ingesting when the test kills the process running it.
BULK = 300


def _tokens(database_url: str) -> dict[str, str]:
    engine = build_engine(database_url)
    users = UserDirectory(engine, AccessPolicy.load())
    tokens = {name: users.add_user(name, [name])[1] for name in ("rep", "admin")}
    engine.dispose()
    return tokens


def _doc(title: str) -> str:
    body = f"{title}: Orion 型号的保修条款与交付说明。" * 40
    return f"---\ntitle: {title}\ndoc_type: faq\naccess_level: internal\n---\n# {title}\n\n{body}\n"


def _write(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True)
    paths = [folder / f"note-{i:03d}.md" for i in range(count)]
    for path in paths:
        path.write_text(_doc(f"{folder.name} note {path.stem}"), encoding="utf-8")
    return paths


def _job(replica: Replica, token: str, job_id: str) -> dict[str, Any]:
    response = replica.get(f"/v1/admin/jobs/{job_id}", token)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _wait(
    replica: Replica, token: str, job_id: str, until: set[str], timeout_s: float = 240
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    job = _job(replica, token, job_id)
    while job["status"] not in until and time.monotonic() < deadline:
        time.sleep(0.1)
        job = _job(replica, token, job_id)
    assert job["status"] in until, (job, replica.log_tail())
    return job


def _pid(job: dict[str, Any]) -> int:
    return int(job["worker"].split(":")[1])  # host:pid:tag


def test_rate_limits_are_shared_by_the_replicas(postgres_url: str, tmp_path: Path) -> None:
    tokens = _tokens(postgres_url)
    env = {
        "ASSISTANT_RATE_LIMIT_PER_MINUTE": str(LIMIT),
        "ASSISTANT_AUTH_FAILURES_PER_MINUTE": str(AUTH_FAILURES),
    }
    with start_replicas(2, postgres_url, tmp_path, env=env) as replicas:
        # Requests alternate between the replicas: each alone would allow LIMIT of them.
        statuses = [replicas[i % 2].get("/v1/me", tokens["rep"]).status_code for i in range(LIMIT + 4)]
        assert statuses[:LIMIT] == [200] * LIMIT and set(statuses[LIMIT:]) == {429}, statuses
        refused = replicas[0].get("/v1/me", tokens["rep"])
        assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
        assert replicas[1].get("/v1/me", tokens["admin"]).status_code == 200  # another person's budget

        guesses = [
            replicas[i % 2].get("/v1/me", f"sk_guess{i}").status_code for i in range(AUTH_FAILURES + 3)
        ]
        assert guesses[:AUTH_FAILURES] == [401] * AUTH_FAILURES and set(guesses[AUTH_FAILURES:]) == {429}


@pytest.fixture
def replicas(postgres_url: str, tmp_path: Path) -> Iterator[tuple[list[Replica], str, Path]]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    token = _tokens(postgres_url)["admin"]
    env = {
        "ASSISTANT_JOB_LEASE_SECONDS": "3",
        "ASSISTANT_INGEST_ROOTS": str(inbox),
        "ASSISTANT_RATE_LIMIT_PER_MINUTE": "0",  # the test polls job status often
    }
    with start_replicas(2, postgres_url, tmp_path, env=env) as started:
        yield started, token, inbox


def test_each_ingest_job_is_taken_exactly_once(
    replicas: tuple[list[Replica], str, Path], postgres_url: str
) -> None:
    (a, b), token, inbox = replicas
    paths = _write(inbox / "once", 6)
    submitted = [
        [a, b][i % 2].post("/v1/admin/ingest", token, json={"paths": [str(p)]}).json()
        for i, p in enumerate(paths)
    ]
    assert all(job["status"] in ("queued", "running", "done") for job in submitted), submitted
    # Either replica reports any job, wherever it was submitted and run.
    jobs = [_wait([b, a][i % 2], token, job["job_id"], {"done", "failed"}) for i, job in enumerate(submitted)]
    assert [(j["status"], j["attempts"], len(j["report"]["added"])) for j in jobs] == [("done", 1, 1)] * 6
    assert {_pid(j) for j in jobs} <= {a.proc.pid, b.proc.pid}
    engine = build_engine(postgres_url)
    with engine.connect() as conn:
        versions = conn.execute(
            select(DocumentVersionRow.source, func.count()).group_by(DocumentVersionRow.source)
        ).all()
    engine.dispose()
    assert len(versions) == 6 and {count for _, count in versions} == {1}  # no document ingested twice


def test_a_job_whose_replica_was_killed_is_finished_by_the_other(
    replicas: tuple[list[Replica], str, Path],
) -> None:
    (a, b), token, inbox = replicas
    _write(inbox / "bulk", BULK)
    job_id = a.post("/v1/admin/ingest", token, json={"paths": [str(inbox / "bulk")]}).json()["job_id"]
    running = _wait(b, token, job_id, {"running", "done", "failed"})
    assert running["status"] == "running", "the job finished before it could be interrupted"
    victim, survivor = (a, b) if _pid(running) == a.proc.pid else (b, a)
    victim.kill()
    finished = _wait(survivor, token, job_id, {"done", "failed"})
    assert finished["status"] == "done", finished
    assert finished["attempts"] == 2 and _pid(finished) == survivor.proc.pid
    assert len(finished["report"]["added"]) == BULK and not finished["report"]["failed"]
