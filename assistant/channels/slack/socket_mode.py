"""Slack over an outbound websocket (Socket Mode), for hosts without a public URL."""

from __future__ import annotations

import logging

from slack_bolt.adapter.socket_mode import SocketModeHandler

from assistant.channels.base import Channel
from assistant.channels.slack.app import build_slack_app
from assistant.services import Services

log = logging.getLogger(__name__)


def build_socket_mode_handler(services: Services) -> tuple[SocketModeHandler, Channel]:
    """The bolt app on a Socket Mode connection; the websocket URL comes from the Web API."""
    settings = services.settings
    if not (settings.slack_bot_token and settings.slack_app_token):
        raise ValueError("Socket Mode needs ASSISTANT_SLACK_BOT_TOKEN and ASSISTANT_SLACK_APP_TOKEN")
    app, channel = build_slack_app(services, socket_mode=True)
    handler = SocketModeHandler(app, settings.slack_app_token.get_secret_value(), web_client=app.client)
    return handler, channel


def run_socket_mode(services: Services) -> None:
    """Connect with ASSISTANT_SLACK_APP_TOKEN (xapp-...) and answer until interrupted."""
    handler, channel = build_socket_mode_handler(services)
    channel.resume()
    channel.start_resuming(services.settings.chat_resume_every_s)
    log.info("slack: connecting in Socket Mode")
    try:
        handler.start()  # type: ignore[no-untyped-call]
    finally:
        channel.close()
