"""`assistant search "query" --role ROLE`: what a person in that role would find."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from assistant.access import Principal, SearchFilters
from assistant.cli.context import ServiceRunning, load_settings, open_services, service_client
from assistant.cli.database import fail


def _print(results: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps({"results": results}, ensure_ascii=False, indent=2))
        return
    if not results:
        typer.echo("no results this role may see")
    for i, r in enumerate(results, 1):
        where = f" p.{r['page']}" if r.get("page") else ""
        flag = " [EXPIRED]" if r.get("expired") else ""
        typer.secho(f"[{i}] {r['source']}{where}  ({r['score']:.3f}){flag}", bold=True)
        typer.echo(f"    {' > '.join(r['title_path'])}")
        typer.echo(f"    {r['snippet']}")


def register(app: typer.Typer) -> None:
    @app.command("search")
    def search(
        query: Annotated[str, typer.Argument(help="What to look for (Chinese or English)")],
        role: Annotated[list[str], typer.Option(help="Role(s) to search as (repeatable)")],
        group: Annotated[list[str] | None, typer.Option(help="Group(s) of the searcher")] = None,
        limit: Annotated[int, typer.Option(min=1, max=50)] = 5,
        doc_type: Annotated[list[str] | None, typer.Option(help="Only these document types")] = None,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Search the knowledge base as a role would: hybrid (meaning + keywords), access-filtered."""
        settings = load_settings()
        filters = SearchFilters(doc_type=tuple(doc_type or ()))
        try:
            with open_services(settings) as services:
                for r in role:
                    try:
                        services.policy.check_role(r)
                    except ValueError as exc:
                        fail(str(exc))
                principal = Principal.of("cli", role, group or [])
                results = [c.as_dict() for c in services.search.search(query, principal, limit, filters)]
        except ServiceRunning as running:
            body = {
                "query": query,
                "roles": role,
                "groups": group or [],
                "limit": limit,
                "filters": {"doc_type": doc_type} if doc_type else None,
            }
            with service_client(running.info) as client:
                response = client.post("/v1/admin/search", json=body)
            if response.status_code >= 400:
                fail(response.json().get("error", {}).get("message", response.text))
            results = response.json()["results"]
        _print(results, as_json)
