"""Mentions in channels (answered in the thread) and direct messages to the app."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from assistant.channels.messages import IncomingMessage
from assistant.channels.slack.channel import SlackChannel
from assistant.channels.slack.requests import message_text


def register(app: App, channel: SlackChannel) -> None:
    def handle_app_mention(body: dict[str, Any], event: dict[str, Any]) -> None:
        direct = event.get("channel_type") == "im"
        channel.receive(_incoming(body, event, direct, event.get("thread_ts") or event["ts"]))

    def handle_direct_message(body: dict[str, Any], event: dict[str, Any]) -> None:
        # Channel messages arrive as app_mention; edits, joins and bot posts carry a subtype.
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        channel.receive(_incoming(body, event, True, event.get("thread_ts")))

    app.event("app_mention")(handle_app_mention)
    app.event("message")(handle_direct_message)


def _incoming(
    body: dict[str, Any], event: dict[str, Any], direct: bool, thread: str | None
) -> IncomingMessage:
    return IncomingMessage(
        platform="slack",
        # A retry (X-Slack-Retry-Num) carries the same event_id, so it is claimed only once.
        event_key=str(body.get("event_id") or f"{event['channel']}:{event['ts']}"),
        user_id=event["user"],
        chat_id=event["channel"],
        text=message_text(event.get("text")),
        is_direct=direct,
        thread_id=thread,
    )
