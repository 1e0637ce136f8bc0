"""`/kb <question | talk ... | followup ...>`: answered privately to the asker."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from assistant.channels.messages import IncomingMessage
from assistant.channels.slack.channel import SlackChannel
from assistant.channels.slack.requests import message_text


def register(app: App, channel: SlackChannel) -> None:
    def handle_kb(ack: Ack, command: dict[str, Any]) -> None:
        ack()
        channel_id = command["channel_id"]
        channel.receive(
            IncomingMessage(
                platform="slack",
                event_key=f"command:{command.get('trigger_id') or command['user_id'] + command.get('text', '')}",
                user_id=command["user_id"],
                chat_id=channel_id,
                text=message_text(command.get("text")),
                # Only the asker sees a slash command's reply, so their own access applies.
                is_direct=channel_id.startswith("D"),
                private_reply=True,
                extra={"response_url": command.get("response_url")},
            )
        )

    app.command("/kb")(handle_kb)
