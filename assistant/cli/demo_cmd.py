"""`assistant demo` (what `make run` calls): sample knowledge base, one user per role, then serve."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from assistant.api.hosting import ServiceHost
from assistant.cli.database import fail
from assistant.cli.ingest_cmd import print_summary
from assistant.cli.serve_cmd import HostOption, PortOption, serve_settings, serve_with
from assistant.db import UserDirectory

SAMPLE_KB = Path(__file__).resolve().parents[2] / "deploy" / "sample-kb"
TOKENS_FILE = "demo-tokens.json"
# (name, roles, groups): one demo user per role; rep and manager share a sales region.
DEMO_USERS: list[tuple[str, list[str], list[str]]] = [
    ("rep-demo", ["rep"], ["east"]),
    ("manager-demo", ["manager"], ["east"]),
    ("executive-demo", ["executive"], []),
    ("support-demo", ["support"], []),
    ("curator-demo", ["curator"], []),
    ("admin-demo", ["admin"], []),
]


def ensure_demo_users(users: UserDirectory) -> dict[str, str]:
    """Create the missing demo users; existing ones get a fresh token. Returns name -> token."""
    tokens: dict[str, str] = {}
    for name, roles, groups in DEMO_USERS:
        existing = users.get(name)
        if existing is None:
            tokens[name] = users.add_user(name, roles, groups)[1]
        elif existing.disabled:
            typer.secho(f"  {name} is disabled; skipped", fg=typer.colors.YELLOW, err=True)
        else:
            tokens[name] = users.new_token(name)
    return tokens


def write_tokens(path: Path, url: str, tokens: dict[str, str]) -> None:
    """Readable by this OS user only: these tokens open the whole demo knowledge base."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # the file may already exist with wider permissions
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"url": url, "tokens": tokens}, f, indent=2)


def seed_demo(host: ServiceHost, kb: Path) -> None:
    """Ingest the sample KB (unchanged files are skipped), create users, print how to sign in."""
    services = host.services
    typer.echo(f"ingesting the sample knowledge base from {kb} ...")
    report = services.ingest.ingest([kb]).as_dict()
    try:
        print_summary(report, as_json=False)
    except typer.Exit:
        typer.secho(
            "  some sample files failed (see above); serving the rest", fg=typer.colors.YELLOW, err=True
        )
    tokens = ensure_demo_users(services.users)
    url = services.settings.resolved_public_url
    path = services.settings.data_dir / TOKENS_FILE
    write_tokens(path, url, tokens)
    typer.echo(f"\nopen {url}/ and sign in with one of these tokens (also in {path}):")
    for name, token in tokens.items():
        typer.echo(f"  {name:<15} {token}")
    typer.echo("")


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        host: HostOption = None,
        port: PortOption = None,
        kb: Annotated[Path, typer.Option(help="Knowledge base folder to ingest")] = SAMPLE_KB,
    ) -> None:
        """Ingest the sample knowledge base, create one demo user per role, print tokens, and serve."""
        if not kb.is_dir():
            fail(f"no knowledge base folder at {kb}")
        serve_with(serve_settings(host, port), lambda served: seed_demo(served, kb))
