"""The embedded default: `kill -9` of `assistant serve` mid-ingest; the next start finishes the job."""

from __future__ import annotations

import time
from pathlib import Path

from assistant.access import AccessPolicy
from assistant.embedding.hashing import HashEmbedder
from assistant.index.edge import EdgeIndex
from tests.integration.api_kb import doc_id
from tests.integration.replicas import start_replicas
from tests.integration.test_replicas_jobs import BULK, _job, _pid, _tokens, _wait, _write


def test_a_job_cut_by_kill9_is_finished_by_the_next_start(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _write(inbox / "bulk", BULK)
    # The default database: SQLite in the one replica's data dir.
    database_url = f"sqlite:///{tmp_path / 'r0' / 'data' / 'assistant.db'}"
    token = _tokens(database_url)["admin"]
    env = {
        "ASSISTANT_JOB_LEASE_SECONDS": "3",
        "ASSISTANT_INGEST_ROOTS": str(inbox),
        "ASSISTANT_RATE_LIMIT_PER_MINUTE": "0",
    }
    with start_replicas(1, database_url, tmp_path, env=env) as (first,):
        job_id = first.post("/v1/admin/ingest", token, json={"paths": [str(inbox / "bulk")]}).json()["job_id"]
        running = _wait(first, token, job_id, {"running", "done", "failed"})
        while running["status"] == "running" and not ("indexing" in running["step"] and running["done"] >= 3):
            time.sleep(0.1)  # kill it with some documents written and recorded
            running = _job(first, token, job_id)
        assert running["status"] == "running", "the job finished before it could be interrupted"
        first.kill()
    with start_replicas(1, database_url, tmp_path, env=env) as (again,):
        finished = _wait(again, token, job_id, {"done", "failed"})
        assert finished["status"] == "done" and finished["attempts"] == 2, finished
        assert _pid(finished) == again.proc.pid
        report = finished["report"]
        sources = report["added"] + report["updated"] + report["unchanged"]
        assert len(sources) == BULK and not report["failed"]
        # Every document is readable, including any the killed run had recorded as done.
        statuses = {again.get(f"/v1/documents/{doc_id(s)}", token).status_code for s in sources}
        assert statuses == {200}


def test_a_shard_cut_off_before_its_schema_record_is_finished_by_the_next_ingest(tmp_path: Path) -> None:
    # What a kill -9 during the very first job leaves: the shard's files, no model record.
    half = EdgeIndex(tmp_path / "shard", AccessPolicy.load())
    half.create(HashEmbedder().dim)
    half.flush()
    half.close()
    index = EdgeIndex(tmp_path / "shard", AccessPolicy.load())
    assert index.read_meta() is None
    index.ensure_model(HashEmbedder().model_id, HashEmbedder().dim)  # raised "already contains segment data"
    assert index.read_meta() == {
        "state": "meta",
        "model_id": HashEmbedder().model_id,
        "dim": HashEmbedder().dim,
    }
    index.close()
