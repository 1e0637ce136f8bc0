"""Mounting the chat channels (Slack, WeCom) that are configured on the FastAPI app."""

from __future__ import annotations

import logging
from datetime import timedelta

from fastapi import FastAPI

from assistant.channels.base import Channel, RetryPolicy
from assistant.channels.slack.app import build_slack_app, build_slack_router, slack_configured
from assistant.channels.wecom.app import (
    build_wecom_channel,
    build_wecom_crypto,
    build_wecom_router,
    wecom_configured,
)
from assistant.services import Services

log = logging.getLogger(__name__)
EVENT_MEMORY = timedelta(days=1)


def mount_channels(app: FastAPI, services: Services, retry: RetryPolicy | None = None) -> dict[str, Channel]:
    """Add the Slack and WeCom webhook routes to the app (each only when configured).

    The channels are also kept on `app.state.channels` (tests and shutdown drain them).
    """
    channels: dict[str, Channel] = {}
    settings = services.settings
    if slack_configured(settings):
        bolt_app, slack = build_slack_app(services, retry)
        secret = settings.slack_signing_secret
        assert secret is not None  # slack_configured checked it
        app.include_router(build_slack_router(bolt_app, secret.get_secret_value()))
        channels["slack"] = slack
        log.info("slack: events at POST /slack/events")
    if wecom_configured(settings):
        wecom = build_wecom_channel(services, retry)
        app.include_router(build_wecom_router(wecom, build_wecom_crypto(settings)))
        channels["wecom"] = wecom
        log.info("wecom: callback at GET/POST /wecom/callback")
    app.state.channels = channels
    for channel in channels.values():
        channel.resume()
    if channels:
        # Platforms stop retrying within minutes; a day of delivery keys is plenty for de-duplication.
        forgotten = services.events.prune(older_than=EVENT_MEMORY)
        log.info("channels: forgot %d old delivery keys", forgotten)
    return channels
