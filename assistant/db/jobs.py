"""The ingest job table: any replica or `assistant worker` takes a queued job under a lease.

A worker holds a job while it renews its lease; a job whose lease ran out (its worker died) is
taken again by the next worker that looks, up to MAX_ATTEMPTS times. PostgreSQL skips rows
another worker is taking (FOR UPDATE SKIP LOCKED); on both databases the take is a conditional
UPDATE, so exactly one worker wins a job.

One job runs at a time per database: an ingest clears the index's unfinished (pending) points of
a crashed run before it starts, which would delete another live ingest's points in the same
collection. Takers queue behind a transaction-scoped advisory lock on PostgreSQL; on SQLite the
conditional UPDATE, one statement under the database's write lock, also checks for a live job.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, exists, or_, select, text, update
from sqlalchemy.orm import Session, aliased

from assistant.db.models import IngestJobRow, utcnow

STATUSES = ("queued", "running", "done", "failed")
# A job that killed its worker this many times (say, a file that exhausts memory) is failed.
MAX_ATTEMPTS = 3
J = IngestJobRow
_OTHER = aliased(IngestJobRow)
# Any constant shared by every taker (the migration lock uses another).
_TAKE_LOCK_ID = 0x10B5


@dataclass(frozen=True)
class IngestJobRecord:
    id: str
    status: str
    paths: list[str]
    options: dict[str, Any]
    submitted_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    worker: str | None
    attempts: int
    step: str
    done: int
    total: int
    report: dict[str, Any] | None
    error: str | None

    @classmethod
    def of(cls, row: IngestJobRow) -> IngestJobRecord:
        return cls(
            row.id, row.status, list(row.paths), dict(row.options), row.submitted_by, row.created_at,
            row.started_at, row.finished_at, row.worker, row.attempts, row.step, row.done, row.total,
            row.report, row.error,
        )  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        """The API's view (job_id, as the CLI hand-off has always read it)."""
        return {
            "job_id": self.id,
            "status": self.status,
            "paths": self.paths,
            "options": self.options,
            "submitted_by": self.submitted_by,
            "created_at": self.created_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "worker": self.worker,
            "attempts": self.attempts,
            "step": self.step,
            "done": self.done,
            "total": self.total,
            "report": self.report,
            "error": self.error,
        }


class IngestJobStore:
    """Jobs in the database: submitted by the API or CLI, taken and finished by workers."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def submit(self, paths: list[str], options: dict[str, Any], submitted_by: str) -> IngestJobRecord:
        row = J(
            id=uuid.uuid4().hex[:16], status="queued", paths=paths, options=options,
            submitted_by=submitted_by, created_at=utcnow(), attempts=0, step="", done=0, total=0,
        )  # fmt: skip
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(row)
            session.commit()
            return IngestJobRecord.of(row)

    def get(self, job_id: str) -> IngestJobRecord | None:
        with Session(self.engine) as session:
            row = session.get(J, job_id)
            return IngestJobRecord.of(row) if row else None

    def take(self, worker: str, lease: timedelta, job_id: str | None = None) -> IngestJobRecord | None:
        """The oldest job waiting (or left by a dead worker), now leased to `worker`; None if none.

        `job_id` takes only that job (the embedded service runs what it was just handed).
        """
        self._fail_exhausted()
        now = utcnow()
        takeable = or_(J.status == "queued", (J.status == "running") & (J.lease_until < now))
        live = exists().where(_OTHER.status == "running", _OTHER.lease_until >= now, _OTHER.id != J.id)
        with Session(self.engine, expire_on_commit=False) as session:
            for _ in range(5):  # another worker won the row we saw: look again
                if self.engine.dialect.name == "postgresql":
                    session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _TAKE_LOCK_ID})
                query = select(J.id).where(takeable, ~live).order_by(J.created_at).limit(1)
                if job_id is not None:
                    query = query.where(J.id == job_id)
                found = session.execute(query.with_for_update(skip_locked=True)).scalar()
                if found is None:
                    session.rollback()
                    return None
                taken = session.execute(
                    update(J)
                    .where(J.id == found, takeable, ~live)
                    .values(
                        status="running",
                        worker=worker,
                        lease_until=now + lease,
                        attempts=J.attempts + 1,
                        started_at=now,
                        error=None,
                    )  # fmt: skip
                )
                session.commit()
                if int(taken.rowcount) == 1:  # type: ignore[attr-defined]
                    row = session.get(J, found, populate_existing=True)
                    return IngestJobRecord.of(row) if row else None
        return None

    def heartbeat(self, job_id: str, worker: str, lease: timedelta, step: str, done: int, total: int) -> bool:
        """Renew the lease and record progress; False when the job is no longer this worker's."""
        return self._update_own(
            job_id, worker, lease_until=utcnow() + lease, step=step[:500], done=done, total=total
        )

    def finish(self, job_id: str, worker: str, report: dict[str, Any]) -> bool:
        return self._update_own(
            job_id, worker, status="done", report=report, finished_at=utcnow(), lease_until=None
        )

    def fail(self, job_id: str, worker: str, error: str) -> bool:
        return self._update_own(
            job_id, worker, status="failed", error=error, finished_at=utcnow(), lease_until=None
        )

    def prune(self, older_than: timedelta) -> int:
        """Forget finished jobs older than this; returns how many."""
        with Session(self.engine) as session:
            result = session.execute(
                delete(J).where(J.status.in_(("done", "failed")), J.finished_at < utcnow() - older_than)
            )
            session.commit()
            return int(result.rowcount)  # type: ignore[attr-defined]

    def _update_own(self, job_id: str, worker: str, **values: Any) -> bool:
        with Session(self.engine) as session:
            result = session.execute(
                update(J).where(J.id == job_id, J.worker == worker, J.status == "running").values(**values)
            )
            session.commit()
            return int(result.rowcount) == 1  # type: ignore[attr-defined]

    def _fail_exhausted(self) -> None:
        with Session(self.engine) as session:
            session.execute(
                update(J)
                .where(J.status == "running", J.lease_until < utcnow(), J.attempts >= MAX_ATTEMPTS)
                .values(
                    status="failed",
                    finished_at=utcnow(),
                    lease_until=None,
                    error=f"its worker stopped {MAX_ATTEMPTS} times before finishing it",
                )  # fmt: skip
            )
            session.commit()
