"""Entry point: one Typer app; each command group lives in its own module with `register(app)`."""

from __future__ import annotations

import typer

from assistant.cli import (
    analytics_cmd,
    audit_cmd,
    bench_cmd,
    channels_cmd,
    curation_cmd,
    demo_cmd,
    embedder_cmd,
    eval_cmd,
    ingest_cmd,
    lifecycle_cmd,
    search_cmd,
    serve_cmd,
    slack_cmd,
    users_cmd,
    worker_cmd,
)

app = typer.Typer(
    help="Sales knowledge assistant: ingest, search, answer, serve.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)

# The order here is the order in --help.
for module in (
    ingest_cmd,
    search_cmd,
    users_cmd,
    channels_cmd,
    serve_cmd,
    audit_cmd,
    lifecycle_cmd,
    eval_cmd,
    bench_cmd,
    embedder_cmd,
    demo_cmd,
    curation_cmd,
    analytics_cmd,
    slack_cmd,
    worker_cmd,
):
    module.register(app)


def main() -> None:
    app()
