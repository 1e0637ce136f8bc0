"""Bolt listeners, one module per kind (as in slack-samples/bolt-python-starter-template)."""

from __future__ import annotations

from slack_bolt import App

from assistant.channels.slack.channel import SlackChannel
from assistant.channels.slack.listeners import actions, commands, events


def register(app: App, channel: SlackChannel) -> None:
    events.register(app, channel)
    commands.register(app, channel)
    actions.register(app, channel)
