"""`assistant lifecycle run`: the owners' digest, for cron (handed to the service while it runs)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from assistant.channels.owner_digest import run_lifecycle
from assistant.cli.context import ServiceRunning, load_settings, open_services, service_client


def _run() -> dict[str, Any]:
    try:
        with open_services(load_settings()) as services:
            return run_lifecycle(services)
    except ServiceRunning as running:
        with service_client(running.info) as client:
            return dict(client.post("/v1/documents/lifecycle/run").raise_for_status().json())


def register(app: typer.Typer) -> None:
    lifecycle = typer.Typer(help="Document lifecycle: owners' verification digest.", no_args_is_help=True)

    @lifecycle.command("run")
    def run(
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
    ) -> None:
        """Archive stale documents, then send each owner at most one digest a day; exit 1 if one failed."""
        report = _run()
        if as_json:
            typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            typer.echo(
                f"digests sent {len(report['sent'])}, already sent today {len(report['already_today'])}, "
                f"owners without a chat identity {len(report['unreachable'])}, failed {len(report['failed'])}; "
                f"queued for archiving {len(report['queued'])}, archived {len(report['archived'])}"
            )
            for item in report["failed"]:
                typer.secho(f"  FAILED {item['owner']}: {item['error']}", fg=typer.colors.RED, err=True)
        if report["failed"]:
            raise typer.Exit(1)

    app.add_typer(lifecycle, name="lifecycle")
