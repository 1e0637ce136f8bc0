"""Ingest jobs recorded in the database and run by whichever process takes them first.

The embedded service runs every job itself (it owns the shard). In server mode every replica with
ASSISTANT_SERVE_RUNS_JOBS and every `assistant worker` takes jobs from the shared table.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

from assistant.config import Settings
from assistant.db.jobs import IngestJobRecord, IngestJobStore
from ingest.pipeline import IngestService
from ingest.report import IngestOptions, Progress

log = logging.getLogger(__name__)

# Finished jobs are kept this long for `GET /v1/admin/jobs/{id}`, then pruned.
JOBS_KEPT = timedelta(days=30)
PRUNE_EVERY_S = 3600.0


def worker_name() -> str:
    """Who holds a lease: host and pid (what an operator needs to find the process)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:4]}"


def build_ingest_jobs(service: IngestService, store: IngestJobStore, settings: Settings) -> IngestJobs:
    """The serving process's jobs: it runs them unless dedicated workers do (server mode only)."""
    run_here = settings.serve_runs_jobs or not settings.qdrant_url
    return IngestJobs(service, store, settings.job_lease, run_here=run_here)


class IngestJobs:
    """Submits jobs to the table and runs taken jobs one after another on one background thread.

    `run_here` False: this process only submits; `assistant worker` processes run them.
    """

    def __init__(
        self,
        service: IngestService,
        store: IngestJobStore,
        lease: timedelta,
        run_here: bool = True,
        poll_s: float = 1.0,
    ) -> None:
        self.service, self.store, self.lease, self.poll_s = service, store, lease, poll_s
        self.run_here = run_here
        self.worker = worker_name()
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._last_prune = 0.0

    def submit(self, paths: list[str], options: IngestOptions) -> IngestJobRecord:
        """Record the job; this process's runner (started if need be) looks for it at once."""
        recorded = {"overrides": options.overrides, "sync": options.sync, "reindex": options.reindex}
        job = self.store.submit(paths, recorded, options.submitted_by)
        if self.run_here:
            self.start()
            self._wake.set()
        return job

    def get(self, job_id: str) -> IngestJobRecord | None:
        return self.store.get(job_id)

    def start(self) -> None:
        """Run jobs on a background thread until `stop` (the serving process)."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(
                    target=self.run_until_stopped, daemon=True, name="ingest-jobs"
                )
                self._thread.start()

    def stop(self, wait_s: float = 5.0) -> None:
        """Take no more jobs; a job still running past `wait_s` is left to its lease (taken again later)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(wait_s)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def request_stop(self) -> None:
        """From a signal handler: finish the current job, then return from run_until_stopped."""
        self._stop.set()
        self._wake.set()

    def run_until_stopped(self) -> None:
        while not self._stop.is_set():
            try:
                ran = self.run_next()
                self._prune()
            except Exception:  # the database went away for a moment: try again after a pause
                log.exception("ingest job runner: could not reach the job table")
                ran = False
            if not ran and self._wake.wait(self.poll_s):
                self._wake.clear()

    def run_next(self) -> bool:
        """Take one job (queued, or left by a dead worker) and run it; False when there was none."""
        job = self.store.take(self.worker, self.lease)
        if job is None:
            return False
        self._run(job)
        return True

    def run_or_follow(self, job_id: str, progress: Progress | None = None) -> IngestJobRecord:
        """Run this job here, or wait for the worker that took it first (`assistant ingest` in server
        mode: the job table keeps one ingest at a time per database)."""
        while True:
            job = self.store.take(self.worker, self.lease, job_id=job_id)
            if job is not None:
                self._run(job, progress)
            found = self.store.get(job_id)
            if found is None or found.status in ("done", "failed"):
                if found is None:
                    raise LookupError(f"ingest job {job_id} is gone")
                return found
            time.sleep(self.poll_s)

    def _run(self, job: IngestJobRecord, progress: Progress | None = None) -> None:
        log.info("ingest job %s taken by %s (attempt %d)", job.id, self.worker, job.attempts)
        heartbeat = _Heartbeat(self.store, job.id, self.worker, self.lease, progress)
        options = IngestOptions(
            overrides=dict(job.options.get("overrides") or {}),
            sync=bool(job.options.get("sync")),
            reindex=bool(job.options.get("reindex")),
            submitted_by=job.submitted_by,
        )
        try:
            report = self.service.ingest([Path(p) for p in job.paths], options, heartbeat.progress)
            heartbeat.stop()
            self.store.finish(job.id, self.worker, report.as_dict())
        except Exception as exc:  # reported to whoever polls the job
            heartbeat.stop()
            if self._stop.is_set():  # the process shut down under it: taken again after its lease
                log.warning("ingest job %s interrupted by shutdown: %s", job.id, exc)
                return
            log.exception("ingest job %s failed", job.id)
            self.store.fail(job.id, self.worker, f"{type(exc).__name__}: {exc}")

    def _prune(self) -> None:
        now = time.monotonic()
        if now - self._last_prune >= PRUNE_EVERY_S or not self._last_prune:
            self._last_prune = now
            self.store.prune(JOBS_KEPT)


class _Heartbeat:
    """Renews a running job's lease (with its progress) until stopped, from its own thread."""

    def __init__(
        self,
        store: IngestJobStore,
        job_id: str,
        worker: str,
        lease: timedelta,
        also: Progress | None = None,
    ) -> None:
        self.store, self.job_id, self.worker, self.lease, self.also = store, job_id, worker, lease, also
        self.step, self.done, self.total = "", 0, 0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True, name=f"lease-{job_id}")
        self._thread.start()

    def progress(self, step: str, done: int, total: int) -> None:
        self.step, self.done, self.total = step, done, total
        if self.also is not None:
            self.also(step, done, total)

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _beat(self) -> None:
        every = max(0.2, min(self.lease.total_seconds() / 3, 10.0))
        while not self._stopped.wait(every):
            try:
                mine = self.store.heartbeat(
                    self.job_id, self.worker, self.lease, self.step, self.done, self.total
                )
            except Exception:  # a missed beat is retried; the lease allows two
                log.exception("ingest job %s: could not renew the lease", self.job_id)
                continue
            if not mine:
                log.warning("ingest job %s: lease lost to another worker", self.job_id)
                return
