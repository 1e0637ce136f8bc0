"""`assistant analytics`: the curators' overview and content gaps, as text, JSON or CSV."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.access import Principal
from assistant.cli.database import cli_errors, fail, open_database
from assistant.config import get_settings
from assistant.curation.analytics import Analytics, gaps_csv, overview_csv
from assistant.curation.meaning import Meaning
from assistant.db import AuditLog, FeedbackStore, UserDirectory
from assistant.embedding import build_embedder

# Without --as the command reads everything, as the database's owner may.
OPERATOR = Principal.of("cli", ["admin"])


def register(app: typer.Typer) -> None:
    app.command("analytics")(analytics)


def analytics(
    days: Annotated[int, typer.Option(min=1, max=366, help="The last N days")] = 7,
    as_user: Annotated[str | None, typer.Option("--as", help="Only what this curator may see")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Overview and gaps as one JSON object")] = False,
    csv_dir: Annotated[
        Path | None, typer.Option("--csv", help="Write overview.csv and gaps.csv here")
    ] = None,
) -> None:
    """Questions per day and channel, answered vs not found, votes, most cited documents, content gaps."""
    with cli_errors():
        engine, policy = open_database()
        users = UserDirectory(engine, policy)
        settings = get_settings()
        meaning = Meaning(build_embedder(settings), settings.same_question_similarity)
        service = Analytics(AuditLog(engine), FeedbackStore(engine), users, meaning, policy)
        principal = OPERATOR
        if as_user is not None:
            user = users.get(as_user)
            if user is None or user.disabled:
                fail(f"no enabled user {as_user!r}")
            principal = user.principal()
        overview = service.overview(principal, days)
        gaps = service.gaps(principal, days)
        if csv_dir is not None:
            csv_dir.mkdir(parents=True, exist_ok=True)
            (csv_dir / "overview.csv").write_text(overview_csv(overview), encoding="utf-8")
            (csv_dir / "gaps.csv").write_text(gaps_csv(gaps), encoding="utf-8")
            typer.echo(f"wrote {csv_dir / 'overview.csv'} and {csv_dir / 'gaps.csv'}", err=True)
    if as_json:
        typer.echo(json.dumps({"overview": overview, "gaps": gaps}, ensure_ascii=False, indent=2))
    else:
        _print(overview, gaps)


def _print(o: dict[str, Any], gaps: list[dict[str, Any]]) -> None:
    typer.secho(f"Last {o['days']} days", bold=True)
    typer.echo(
        f"  questions {o['questions']}: answered {o['answered']}, not found {o['not_found']}, "
        f"curated {o['curated_answers_given']}; votes 👍 {o['votes']['up']} 👎 {o['votes']['down']}"
    )
    for title, key, field in (
        ("Top questions", "top_questions", "question"),
        ("Most cited", "most_cited", "doc_id"),
        ("Cited in 👎 answers", "most_cited_in_down_votes", "doc_id"),
    ):
        if o[key]:
            typer.secho(title, bold=True)
            for row in o[key]:
                typer.echo(f"  {row['count']:>4}  {row[field]}")
    typer.secho("Content gaps", bold=True)
    if not gaps:
        typer.echo("  none")
    for g in gaps:
        typer.echo(f"  {g['size']:>4}  {g['trend']['direction']:<7} {g['label']}")
