"""The bolt App for Slack: HTTP events at POST /slack/events, or Socket Mode with an app token."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from starlette.concurrency import run_in_threadpool

from assistant.channels.base import RetryPolicy
from assistant.channels.slack import listeners
from assistant.channels.slack.channel import SlackChannel
from assistant.channels.slack.requests import SlackRequestError, read_payload, verify_signature
from assistant.config import Settings
from assistant.services import Services

log = logging.getLogger(__name__)


def slack_configured(settings: Settings) -> bool:
    return bool(settings.slack_bot_token and settings.slack_signing_secret)


def build_slack_app(
    services: Services, retry: RetryPolicy | None = None, socket_mode: bool = False
) -> tuple[App, SlackChannel]:
    """The bolt App and its Channel; the Web API base URL comes from settings (tests use a fake).

    Socket Mode frames come over the app's own websocket, so they carry no signature to check.
    """
    settings = services.settings
    if settings.slack_bot_token is None:
        raise ValueError("Slack needs ASSISTANT_SLACK_BOT_TOKEN")
    token = settings.slack_bot_token.get_secret_value()
    client = WebClient(token=token, base_url=settings.slack_api_url)
    secret = settings.slack_signing_secret
    app = App(
        token=token,
        signing_secret=secret.get_secret_value() if secret else None,
        request_verification_enabled=not socket_mode,
        client=client,
        # Listeners only claim the delivery and queue the answer, so they can run before the ack.
        process_before_response=True,
        token_verification_enabled=False,
        raise_error_for_unhandled_request=False,
    )
    channel = SlackChannel(services, client, retry)
    listeners.register(app, channel)
    return app, channel


def build_slack_router(app: App, signing_secret: str) -> APIRouter:
    """POST /slack/events for events, the /kb command and button clicks (one Request URL)."""
    router = APIRouter()
    verifier = SignatureVerifier(signing_secret)

    @router.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        body = await request.body()
        try:
            verify_signature(verifier, body, request.headers)
            read_payload(body, request.headers.get("content-type", ""))
        except SlackRequestError as exc:
            log.warning("slack: refused a request (%d): %s", exc.status, exc.reason)
            return PlainTextResponse(exc.reason, status_code=exc.status)
        # bolt checks the signature again and routes to a listener.
        bolt_response = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    return router
