"""Buttons under answers: 👍 / 👎 feedback and "Share in channel" for private replies."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from assistant.channels.messages import IncomingMessage
from assistant.channels.slack.blocks import FEEDBACK_DOWN, FEEDBACK_UP, SHARE
from assistant.channels.slack.channel import SlackChannel
from assistant.channels.slack.requests import message_text


def register(app: App, channel: SlackChannel) -> None:
    def handle_feedback(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        rating = "up" if action["action_id"] == FEEDBACK_UP else "down"
        channel.submit(channel.record_feedback, _clicked(body, action), action["value"], rating)

    def handle_share(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        channel.submit(channel.share, _clicked(body, action))

    app.action(FEEDBACK_UP)(handle_feedback)
    app.action(FEEDBACK_DOWN)(handle_feedback)
    app.action(SHARE)(handle_share)


def _clicked(body: dict[str, Any], action: dict[str, Any]) -> IncomingMessage:
    container = body.get("container") or {}
    chat_id = (body.get("channel") or {}).get("id") or container.get("channel_id", "")
    return IncomingMessage(
        platform="slack",
        event_key=f"action:{action.get('action_ts', '')}",
        user_id=body["user"]["id"],
        chat_id=chat_id,
        text=message_text(action.get("value")),
        is_direct=chat_id.startswith("D"),
        thread_id=container.get("thread_ts"),
        extra={"response_url": body.get("response_url")},
    )
