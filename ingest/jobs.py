"""Ingest jobs run by the service that owns the index: the CLI hands them over while it runs."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.pipeline import IngestOptions, IngestService


@dataclass
class IngestJob:
    id: str
    paths: list[str]
    status: str = "queued"  # queued | running | done | failed
    step: str = ""
    done: int = 0
    total: int = 0
    report: dict[str, Any] | None = None
    error: str | None = None
    finished: threading.Event = field(default_factory=threading.Event, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.id,
            "paths": self.paths,
            "status": self.status,
            "step": self.step,
            "done": self.done,
            "total": self.total,
            "report": self.report,
            "error": self.error,
        }


class IngestJobs:
    """Runs jobs one after another on a worker thread; searches keep running meanwhile."""

    def __init__(self, service: IngestService) -> None:
        self.service = service
        self._jobs: dict[str, IngestJob] = {}
        self._lock = threading.Lock()

    def submit(self, paths: list[str], options: IngestOptions) -> IngestJob:
        job = IngestJob(id=uuid.uuid4().hex[:12], paths=paths)
        with self._lock:
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, options), daemon=True, name=f"ingest-{job.id}").start()
        return job

    def get(self, job_id: str) -> IngestJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _run(self, job: IngestJob, options: IngestOptions) -> None:
        def progress(step: str, done: int, total: int) -> None:
            job.step, job.done, job.total = step, done, total

        job.status = "running"
        try:
            report = self.service.ingest([Path(p) for p in job.paths], options, progress)
            job.report = report.as_dict()
            job.status = "done"
        except Exception as exc:  # reported to the CLI that submitted the job
            job.error = f"{type(exc).__name__}: {exc}"
            job.status = "failed"
        finally:
            job.finished.set()
