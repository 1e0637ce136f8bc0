"""Entry point: one Typer app; each command group lives in its own module with `register(app)`."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    help="Sales knowledge assistant: ingest, search, answer, serve.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)

# Each module registers its commands; the order is the order in --help.
COMMAND_MODULES = [
    "assistant.cli.ingest_cmd",
    "assistant.cli.search_cmd",
    "assistant.cli.users_cmd",
    "assistant.cli.serve_cmd",
    "assistant.cli.audit_cmd",
    "assistant.cli.lifecycle_cmd",
    "assistant.cli.eval_cmd",
    "assistant.cli.bench_cmd",
    "assistant.cli.demo_cmd",
    "assistant.channels.slack.socket_mode",
]


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command group not built yet
                continue
            raise
        module.register(app)


_register_all()


def main() -> None:
    app()
