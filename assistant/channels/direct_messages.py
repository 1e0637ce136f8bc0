"""Direct messages outside a conversation (digests): one sender per configured platform."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from slack_sdk import WebClient

from assistant.channels.wecom.client import wecom_client
from assistant.config import Settings

Sender = Callable[[str, str], None]  # (platform user id, text)


def build_dm_senders(settings: Settings) -> dict[str, Sender]:
    """A sender for Slack and for WeCom when each is configured (none configured: an empty dict)."""
    senders: dict[str, Sender] = {}
    if settings.slack_bot_token:
        slack = WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)

        def post_slack(ident: str, text: str) -> None:
            slack.chat_postMessage(channel=ident, text=text)  # a DM: the user id is the channel

        senders["slack"] = post_slack
    wecom = wecom_client(settings, http=httpx.Client(timeout=10.0))
    if wecom is not None:
        senders["wecom"] = wecom.send_text
    return senders
