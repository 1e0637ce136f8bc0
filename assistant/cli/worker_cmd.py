"""`assistant worker`: take ingest jobs from the job table until stopped (server mode)."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Annotated

import typer
from sqlalchemy import create_engine, text

from assistant.access import AccessPolicy
from assistant.cli.context import load_settings, open_services
from assistant.cli.database import fail
from assistant.config import Settings
from assistant.db import normalize_url
from assistant.index import build_index
from ingest.jobs import IngestJobs

EMBEDDED_REFUSAL = (
    "assistant worker is for server mode (ASSISTANT_QDRANT_URL set, usually with a shared "
    "ASSISTANT_DATABASE_URL): with the embedded index, `assistant serve` owns the shard and runs ingest "
    "jobs itself"
)


def check(settings: Settings) -> None:
    """Reach the database and the index, or end with the reason (the container probe)."""
    try:
        # A probe only connects: migrations are the job of the processes that start up.
        engine = create_engine(normalize_url(settings.resolved_database_url))
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        fail(f"database unreachable: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    try:
        index = build_index(settings, AccessPolicy.load(settings.policy_file))
        try:
            index.read_meta()
        finally:
            index.close()
    except Exception as exc:
        fail(f"index unreachable: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")


def run(settings: Settings) -> None:
    """Run jobs one after another; the first SIGTERM/Ctrl-C finishes the job in hand, a second leaves it
    to its lease (another worker takes it again)."""
    with open_services(settings) as services:
        jobs = IngestJobs(services.ingest, services.jobs, settings.job_lease)

        def stop(signum: int, _frame: FrameType | None) -> None:
            if jobs.stopping:
                raise SystemExit(128 + signum)
            typer.echo("stopping after the current job (again to stop now)", err=True)
            jobs.request_stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        typer.echo(f"worker {jobs.worker}: taking ingest jobs (stop with Ctrl-C or SIGTERM)", err=True)
        jobs.run_until_stopped()


def register(app: typer.Typer) -> None:
    @app.command("worker")
    def worker(
        probe: Annotated[
            bool, typer.Option("--check", help="Exit 0 when the database and the index can be reached")
        ] = False,
    ) -> None:
        """Take ingest jobs from the shared job table until stopped (server mode only)."""
        settings = load_settings()
        if not settings.qdrant_url:
            fail(EMBEDDED_REFUSAL, code=2)
        if probe:
            check(settings)
            typer.echo("ok: database and index reachable")
            return
        run(settings)
