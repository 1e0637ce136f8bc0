"""The ingest job table on both databases: leases, retakes after a dead worker, one job at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, update

from assistant.db.jobs import MAX_ATTEMPTS, IngestJobStore
from assistant.db.models import IngestJobRow, utcnow
from tests.contract.conftest import as_processes

LEASE = timedelta(minutes=1)
OPTIONS = {"overrides": {"access_level": "internal"}, "sync": False, "reindex": False}


@pytest.fixture
def jobs(engine: Engine) -> IngestJobStore:
    return IngestJobStore(engine)


def _expire(engine: Engine, job_id: str) -> None:
    """What a worker killed mid-job leaves: a running job whose lease has run out."""
    with engine.begin() as conn:
        conn.execute(update(IngestJobRow).where(IngestJobRow.id == job_id).values(lease_until=utcnow()))


def test_a_submitted_job_is_queued_with_who_and_what(jobs: IngestJobStore) -> None:
    job = jobs.submit(["/srv/kb/a.md"], OPTIONS, "curator")
    got = jobs.get(job.id)
    assert got is not None and got.status == "queued" and got.attempts == 0
    assert (got.paths, got.options, got.submitted_by) == (["/srv/kb/a.md"], OPTIONS, "curator")
    assert jobs.get("no-such-job") is None


def test_take_leases_the_oldest_and_finish_records_the_report(jobs: IngestJobStore) -> None:
    first = jobs.submit(["/a"], OPTIONS, "x")
    jobs.submit(["/b"], OPTIONS, "x")
    taken = jobs.take("w1", LEASE)
    assert taken is not None and taken.id == first.id
    assert (taken.status, taken.worker, taken.attempts) == ("running", "w1", 1)
    assert jobs.heartbeat(first.id, "w1", LEASE, "parsing a", 1, 2)
    running = jobs.get(first.id)
    assert running is not None and (running.step, running.done, running.total) == ("parsing a", 1, 2)
    assert jobs.finish(first.id, "w1", {"added": ["a"]})
    done = jobs.get(first.id)
    assert done is not None and done.status == "done" and done.report == {"added": ["a"]}
    assert done.finished_at is not None


def test_one_job_runs_at_a_time(jobs: IngestJobStore) -> None:
    first, second = jobs.submit(["/a"], OPTIONS, "x"), jobs.submit(["/b"], OPTIONS, "x")
    assert jobs.take("w1", LEASE) is not None
    assert jobs.take("w2", LEASE) is None  # the second waits for the first
    assert jobs.fail(first.id, "w1", "ValueError: broken file")
    failed = jobs.get(first.id)
    assert failed is not None and failed.status == "failed" and failed.error == "ValueError: broken file"
    taken = jobs.take("w2", LEASE)
    assert taken is not None and taken.id == second.id


def test_a_dead_workers_job_is_taken_again_and_the_dead_one_cannot_finish_it(
    jobs: IngestJobStore, engine: Engine
) -> None:
    job = jobs.submit(["/a"], OPTIONS, "x")
    assert jobs.take("dead", LEASE) is not None
    assert jobs.take("alive", LEASE) is None  # its lease still runs
    _expire(engine, job.id)
    retaken = jobs.take("alive", LEASE)
    assert retaken is not None and retaken.id == job.id and retaken.attempts == 2
    assert not jobs.heartbeat(job.id, "dead", LEASE, "", 0, 0)
    assert not jobs.finish(job.id, "dead", {})
    assert jobs.finish(job.id, "alive", {"added": []})


def test_a_job_that_keeps_killing_its_workers_is_failed(jobs: IngestJobStore, engine: Engine) -> None:
    job = jobs.submit(["/huge.pdf"], OPTIONS, "x")
    for attempt in range(MAX_ATTEMPTS):
        assert jobs.take(f"w{attempt}", LEASE) is not None
        _expire(engine, job.id)
    assert jobs.take("last", LEASE) is None
    failed = jobs.get(job.id)
    assert failed is not None and failed.status == "failed" and "stopped" in (failed.error or "")


def test_concurrent_takers_get_a_job_exactly_once(database_url: str, jobs: IngestJobStore) -> None:
    job = jobs.submit(["/a"], OPTIONS, "x")

    def take(engine: Engine) -> str | None:
        taken = IngestJobStore(engine).take(f"w{id(engine)}", LEASE)
        return taken.id if taken else None

    got = as_processes(database_url, 6, take)
    assert got.count(job.id) == 1 and got.count(None) == 5


def test_take_by_id_takes_only_that_job(jobs: IngestJobStore) -> None:
    jobs.submit(["/a"], OPTIONS, "x")
    mine = jobs.submit(["/b"], OPTIONS, "x")
    taken = jobs.take("w", LEASE, job_id=mine.id)
    assert taken is not None and taken.id == mine.id


def test_prune_forgets_only_old_finished_jobs(jobs: IngestJobStore, engine: Engine) -> None:
    old, queued = jobs.submit(["/a"], OPTIONS, "x"), jobs.submit(["/b"], OPTIONS, "x")
    assert jobs.take("w", LEASE, job_id=old.id) is not None
    jobs.finish(old.id, "w", {})
    with engine.begin() as conn:
        conn.execute(
            update(IngestJobRow)
            .where(IngestJobRow.id == old.id)
            .values(finished_at=utcnow() - timedelta(days=31))
        )
    assert jobs.prune(timedelta(days=30)) == 1
    assert jobs.get(old.id) is None and jobs.get(queued.id) is not None
