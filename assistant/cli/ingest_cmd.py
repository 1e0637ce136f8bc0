"""`assistant ingest PATH...`: add, update and (with --sync) remove knowledge-base documents."""

from __future__ import annotations

import getpass
import json
import time
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from tqdm import tqdm

from assistant.cli.context import ServiceRunning, load_settings, open_services, service_client
from assistant.cli.database import fail
from assistant.services import Services
from ingest.jobs import IngestJobs
from ingest.parser_process import start_parser
from ingest.report import IngestOptions, IngestReport, Progress


def _overrides(access_level: str | None, groups: list[str], doc_type: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if access_level:
        out["access_level"] = access_level
    if groups:
        out["groups"] = groups
    if doc_type:
        out["doc_type"] = doc_type
    return out


def print_summary(report: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        typer.echo(
            f"added {len(report['added'])}, updated {len(report['updated'])}, unchanged {len(report['unchanged'])}, "
            f"removed {len(report['removed'])}, failed {len(report['failed'])}; {report['chunks']} chunks written"
        )
        for source in report.get("pending_review", []):
            typer.echo(f"  waiting for review by another curator: {source}")
        for item in report["failed"]:
            typer.secho(f"  FAILED {item['source']}: {item['error']}", fg=typer.colors.RED, err=True)
    if report["failed"]:
        raise typer.Exit(2)


def _run_local(paths: list[Path], options: IngestOptions) -> dict[str, Any]:
    settings = load_settings()
    # The parser process imports its parsers while the embedder loads: the first files are read at once.
    parser = partial(start_parser, paths)
    with open_services(settings, check_model=not options.reindex, beside_loading=parser) as services:
        bar = tqdm(total=0, unit="doc", disable=None, leave=False)

        def progress(step: str, done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.set_description(step[:60])
            bar.refresh()

        if settings.qdrant_url:
            result = _as_job(services, paths, options, progress)
            bar.close()
            return result
        report: IngestReport = services.ingest.ingest(paths, options, progress)
        bar.close()
        return report.as_dict()


def _as_job(
    services: Services, paths: list[Path], options: IngestOptions, progress: Progress
) -> dict[str, Any]:
    """Server mode: recorded in the job table, run here unless a worker takes it first."""
    jobs = IngestJobs(services.ingest, services.jobs, services.settings.job_lease, run_here=False)
    job = jobs.submit([str(p.resolve()) for p in paths], options)
    typer.echo(f"ingest job {job.id}", err=True)
    done = jobs.run_or_follow(job.id, progress)
    if done.status == "failed" or done.report is None:
        fail(f"ingest job {job.id} failed in {done.worker}: {done.error}")
    return dict(done.report)


def _hand_off(info: dict[str, Any], paths: list[Path], options: IngestOptions) -> dict[str, Any]:
    """The running service owns the index: queue the job there and follow it."""
    body = {
        "paths": [str(p.resolve()) for p in paths],
        "overrides": options.overrides,
        "sync": options.sync,
        "reindex": options.reindex,
        "resubmit": options.resubmit,
        "submitted_by": options.submitted_by,
    }
    typer.echo(f"the service at {info['url']} owns the index; handing the job to it", err=True)
    with service_client(info) as client:
        job = client.post("/v1/admin/ingest", json=body).raise_for_status().json()
        while job["status"] in ("queued", "running"):
            time.sleep(0.5)
            job = client.get(f"/v1/admin/jobs/{job['job_id']}").raise_for_status().json()
    if job["status"] == "failed":
        fail(f"ingest failed in the service: {job['error']}")
    return dict(job["report"])


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest(
        paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest")],
        access_level: Annotated[str | None, typer.Option(help="Access level when no metadata says")] = None,
        group: Annotated[list[str] | None, typer.Option(help="Limit to a group (repeatable)")] = None,
        doc_type: Annotated[str | None, typer.Option(help="Document type when no metadata says")] = None,
        sync: Annotated[bool, typer.Option(help="Remove documents whose files are gone")] = False,
        reindex: Annotated[bool, typer.Option(help="Re-read every document (after a model change)")] = False,
        resubmit: Annotated[
            bool, typer.Option(help="Submit again for review documents whose last version was rejected")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
        submitted_by: Annotated[
            str | None, typer.Option("--as", help="Who submits these versions (review: the submitter)")
        ] = None,
    ) -> None:
        """Ingest documents: unchanged files cost nothing; a failed file does not stop the batch."""
        options = IngestOptions(
            _overrides(access_level, group or [], doc_type),
            sync=sync,
            reindex=reindex,
            submitted_by=submitted_by or f"cli:{getpass.getuser()}",
            resubmit=resubmit,
        )
        try:
            report = _run_local(paths, options)
        except ServiceRunning as running:
            report = _hand_off(running.info, paths, options)
        print_summary(report, as_json)
