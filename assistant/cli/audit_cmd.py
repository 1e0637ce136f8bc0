"""`assistant audit`: read the append-only log of questions, searches and documents shown."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer

from assistant.cli.database import cli_errors, open_database
from assistant.db import ACTIONS, AuditLog


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)


def _parse_since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"--since {value!r} is not an ISO date/time (e.g. 2025-01-31 or 2025-01-31T09:00)"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def audit(
    user: Annotated[str | None, typer.Option("--user", help="Only this user's entries.")] = None,
    action: Annotated[str | None, typer.Option("--action", help=f"One of: {', '.join(ACTIONS)}.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="ISO date/time (UTC unless given).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most recent N entries.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show audit entries, newest first."""
    with cli_errors():
        moment = _parse_since(since)
        engine, _ = open_database()
        entries = AuditLog(engine).list(limit=limit, user=user, action=action, since=moment)
    if as_json:
        typer.echo(json.dumps([e.to_dict() for e in entries], ensure_ascii=False))
        return
    if not entries:
        typer.echo("No audit entries match.")
    for e in entries:
        docs = ",".join(e.doc_ids) or "-"
        typer.echo(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.user}  {e.channel}/{e.action}  docs={docs}  {e.question!r}")
