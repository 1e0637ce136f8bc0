"""The FastAPI app factory: error shape, routes, web chat, channels, and the services they share."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from assistant.api.docs import mount_docs
from assistant.api.errors import install_error_handlers
from assistant.api.headers import SecurityHeaders
from assistant.api.hosting import open_service_host
from assistant.api.limits import BodySizeLimit
from assistant.api.routes import (
    admin,
    analytics,
    answers,
    curation,
    documents,
    health,
    pages,
    sessions,
    signin,
    tokens,
    versions,
)
from assistant.api.signin.service import build_sign_in
from assistant.api.web import STATIC_DIR
from assistant.channels.base import RetryPolicy
from assistant.channels.mount import mount_channels
from assistant.channels.owner_digest import run_lifecycle
from assistant.channels.schedule import LifecycleScheduler
from assistant.config import Settings, get_settings
from assistant.services import Services
from ingest.jobs import build_ingest_jobs

API_VERSION = "1.0"
MAX_BODY_BYTES = 1 << 20


def _attach(
    app: FastAPI,
    settings: Settings,
    services: Services,
    local_admin_token: str | None,
    channel_retry: RetryPolicy | None = None,
) -> None:
    app.state.services = services
    app.state.local_admin_token = local_admin_token
    app.state.auth_failures = services.auth_failures
    app.state.jobs = build_ingest_jobs(services.ingest, services.jobs, services.settings)
    # The sign-in mapping file is read here: a malformed one stops the start with its reason.
    app.state.signin = build_sign_in(services)
    mount_channels(app, services, channel_retry)


def start_lifecycle(services: Services) -> LifecycleScheduler | None:
    """Archiving and owners' digests inside the service (ASSISTANT_LIFECYCLE_EVERY_HOURS, 0 = off)."""
    hours = services.settings.lifecycle_every_hours
    return LifecycleScheduler(lambda: run_lifecycle(services), hours * 3600).start() if hours > 0 else None


@contextmanager
def _ingest_work(app: FastAPI) -> Iterator[None]:
    """While the app runs it takes ingest jobs: those left by a stopped process, or queued by another
    replica (unless dedicated workers do); at shutdown it takes no more."""
    if app.state.jobs.run_here:
        app.state.jobs.start()
    try:
        yield
    finally:
        app.state.jobs.stop()


@contextmanager
def _chat_work(app: FastAPI, settings: Settings) -> Iterator[None]:
    """While the app runs, its channels take over chat work whose lease ran out (a dead replica's);
    at shutdown, queued answers go out before the services close: nothing is dropped."""
    channels = getattr(app.state, "channels", {})
    for channel in channels.values():
        channel.start_resuming(settings.chat_resume_every_s)
    try:
        yield
    finally:
        for channel in channels.values():
            channel.drain()
            channel.close()


def create_app(
    settings: Settings | None = None,
    services: Services | None = None,
    *,
    local_admin_token: str | None = None,
    channel_retry: RetryPolicy | None = None,
) -> FastAPI:
    """The app. Without `services`, its lifespan builds them (holding the embedded shard) and closes them.

    `settings` defaults to the services' own (the rate limit is read from it), else the environment;
    `local_admin_token` is the serving process's own token for the CLI hand-off (see hosting.py);
    `channel_retry` replaces the chat channels' delivery retry schedule (tests record the waits).
    """
    app_settings = settings or (services.settings if services is not None else get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if services is not None:  # the caller built them and closes them; the channels are the app's
            with _ingest_work(app), _chat_work(app, app_settings):
                yield
            return
        with open_service_host(app_settings) as host:
            _attach(app, app_settings, host.services, host.local_admin_token)
            scheduler = start_lifecycle(host.services)
            try:
                with _ingest_work(app), _chat_work(app, app_settings):
                    yield
            finally:
                if scheduler is not None:
                    scheduler.stop()

    app = FastAPI(
        title="Sales knowledge assistant",
        version=API_VERSION,
        description="Role-filtered answers, search, talk tracks and follow-ups over the sales knowledge base.",
        lifespan=lifespan,
        docs_url=None,  # FastAPI's pages load Swagger/ReDoc from a CDN; see api/docs.py
        redoc_url=None,
    )
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)  # outermost: refusals carry the headers too
    install_error_handlers(app)
    for module in (
        health,
        answers,
        tokens,
        versions,
        documents,
        admin,
        pages,
        signin,
        sessions,
        curation,
        analytics,
    ):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if app_settings.api_docs:
        mount_docs(app)
    if services is not None:
        _attach(app, app_settings, services, local_admin_token, channel_retry)
    return app
