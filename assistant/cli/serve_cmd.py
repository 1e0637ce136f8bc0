"""`assistant serve`: the HTTP API, the web chat and the chat channels in one process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
import uvicorn

from assistant.api.app import create_app, start_lifecycle
from assistant.api.hosting import ServiceHost, ShardBusy, freeze_startup_heap, open_service_host
from assistant.cli.context import load_settings
from assistant.cli.database import fail
from assistant.config import Settings
from assistant.index import IndexModelMismatch

HostOption = Annotated[str | None, typer.Option(help="Interface to listen on (default ASSISTANT_HOST)")]
PortOption = Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default ASSISTANT_PORT)")]


def serve_settings(host: str | None, port: int | None) -> Settings:
    """Settings with the command line's --host/--port winning over the environment."""
    settings = load_settings()
    update = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    return settings.model_copy(update=update)


def serve_with(settings: Settings, prepare: Callable[[ServiceHost], None] | None = None) -> None:
    """Hold the index, run `prepare` (the demo seeds data there), then serve until Ctrl-C."""
    try:
        with open_service_host(settings) as host:
            if prepare is not None:
                prepare(host)
            app = create_app(settings, host.services, local_admin_token=host.local_admin_token)
            url = settings.resolved_public_url
            docs = f", API docs: {url}/docs" if settings.api_docs else ""
            typer.echo(f"serving on {url}  (web chat: {url}/{docs})")
            scheduler = start_lifecycle(host.services)  # the app's lifespan does so only for its own services
            host.services.assistant.warm_up()
            freeze_startup_heap()
            try:
                uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level.lower())
            finally:
                if scheduler is not None:
                    scheduler.stop()
    except ShardBusy as exc:
        fail(str(exc))
    except IndexModelMismatch as exc:
        fail(str(exc))


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(host: HostOption = None, port: PortOption = None) -> None:
        """Run the HTTP API and web chat; ingest and search commands hand their work to it meanwhile."""
        serve_with(serve_settings(host, port))
