"""`assistant slack socket-mode`: answer Slack over an outbound websocket, for hosts without a public URL."""

from __future__ import annotations

import typer

from assistant.channels.slack.socket_mode import run_socket_mode
from assistant.cli.context import load_settings, open_services

slack_app = typer.Typer(help="Slack without a public URL (Socket Mode).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(slack_app, name="slack")


@slack_app.command("socket-mode")
def socket_mode() -> None:
    """Answer Slack events over Socket Mode (no public URL needed); Ctrl-C stops."""
    settings = load_settings()
    with open_services(settings) as services:
        try:
            run_socket_mode(services)
        except ValueError as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from exc
