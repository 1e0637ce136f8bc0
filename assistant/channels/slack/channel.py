"""Slack as a Channel: Slack user -> directory user, OutgoingMessage -> Web API calls."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from assistant.channels.base import Channel, DeliveryError, RetryPolicy
from assistant.channels.identity import Identity, build_identity
from assistant.channels.messages import IncomingMessage, OutgoingMessage
from assistant.channels.notes import note
from assistant.channels.slack import blocks as block_kit
from assistant.services import Services

log = logging.getLogger(__name__)
# Each posted part carries its idempotency key in message metadata, under this event type.
PART_EVENT_TYPE = "kb_reply_part"
LOOKBACK = 200  # newest messages searched for a part's key after a crash (one page)


class SlackChannel(Channel):
    platform = "slack"

    def __init__(self, services: Services, client: WebClient, retry: RetryPolicy | None = None) -> None:
        super().__init__(services, retry)
        self.client = client
        self.public_url = services.settings.resolved_public_url

    def identify(self, msg: IncomingMessage) -> Identity:
        """By Slack user id, else by the e-mail Slack has for them (needs users:read.email)."""
        user = self.services.users.by_slack_id(msg.user_id)
        if user is None:
            email = self._email_of(msg.user_id)
            user = self.services.users.by_email(email) if email else None
        return build_identity(user, "slack", msg.user_id)

    def render(self, msg: IncomingMessage, out: OutgoingMessage) -> list[Any]:
        text, blocks = block_kit.render(out, self.public_url)
        if msg.extra.get("shared_by"):
            blocks.insert(0, _context(f"Shared by <@{msg.extra['shared_by']}>"))
        return [(out.private, text, blocks)]

    def post(self, msg: IncomingMessage, part: Any, key: str | None = None) -> None:
        private, text, blocks = part
        try:
            route = _route(msg, private)
            if route == "response_url":
                self._respond(msg.extra["response_url"], text, blocks)
            elif route == "ephemeral":
                self.client.chat_postEphemeral(
                    channel=msg.chat_id, user=msg.user_id, text=text, blocks=blocks, thread_ts=msg.thread_id
                )
            else:
                self.client.chat_postMessage(
                    channel=msg.chat_id,
                    text=text,
                    blocks=blocks,
                    thread_ts=msg.thread_id,
                    unfurl_links=False,
                    metadata={"event_type": PART_EVENT_TYPE, "event_payload": {"key": key}} if key else None,
                )
        except SlackApiError as exc:
            raise _delivery_error(exc) from exc
        except OSError as exc:
            raise DeliveryError(f"network error: {exc}") from exc

    def posted_before(self, msg: IncomingMessage, part: Any, key: str) -> bool | None:
        """Look for the part's key in the message metadata of the conversation (or thread); an
        ephemeral message leaves nothing to look up."""
        if _route(msg, part[0]) != "message":
            return None
        try:
            if msg.thread_id:
                found = self.client.conversations_replies(
                    channel=msg.chat_id, ts=msg.thread_id, include_all_metadata=True, limit=LOOKBACK
                )
            else:
                found = self.client.conversations_history(
                    channel=msg.chat_id, include_all_metadata=True, limit=LOOKBACK
                )
        except SlackApiError as exc:
            raise _delivery_error(exc) from exc
        except OSError as exc:
            raise DeliveryError(f"network error: {exc}") from exc
        return any(_part_key(m) == key for m in found.get("messages") or [])

    def notify(self, msg: IncomingMessage, text: str) -> None:
        """A direct message from the app (posting to a user id opens the app's DM)."""
        try:
            self.client.chat_postMessage(channel=msg.user_id, text=text)
        except SlackApiError as exc:
            raise _delivery_error(exc) from exc
        except OSError as exc:
            raise DeliveryError(f"network error: {exc}") from exc

    def share(self, msg: IncomingMessage) -> None:
        """Post the channel-safe form of a private reply in the channel, on the asker's request."""
        identity = self.identify(msg)
        public, partial = self.chat.share(msg, identity, msg.text)
        shared = replace(msg, extra={**msg.extra, "shared_by": msg.user_id, "response_url": None})
        if self.deliver(shared, replace(public, private=False, shareable=False)) and partial:
            self.whisper(msg, note("shared_partly", msg.text))

    def record_feedback(self, msg: IncomingMessage, answer_id: str, rating: str) -> None:
        """A 👍/👎 click: stored like the HTTP API's feedback, acknowledged privately."""
        identity = self.identify(msg)
        try:
            self.chat.record_feedback(answer_id, identity, rating, None, self.platform)
        except ValueError as exc:
            self.whisper(msg, str(exc))
            return
        self.whisper(msg, note("feedback_saved"))

    def whisper(self, msg: IncomingMessage, text: str) -> None:
        """A short private note to the asker; logged when even that fails."""
        self.deliver(replace(msg, private_reply=True), OutgoingMessage(text=text, private=True))

    def _respond(self, response_url: str, text: str, blocks: list[dict[str, Any]]) -> None:
        resp = WebhookClient(response_url).send(
            text=text, blocks=blocks, response_type="ephemeral", replace_original=False
        )
        if resp.status_code != 200:
            raise DeliveryError(f"response_url answered HTTP {resp.status_code}: {resp.body[:100]}")

    def _email_of(self, slack_id: str) -> str | None:
        try:
            profile = self.client.users_info(user=slack_id)["user"]["profile"]
        except (SlackApiError, KeyError, TypeError, OSError) as exc:
            log.warning("slack: users.info for %s failed (%s); treating as unlinked", slack_id, exc)
            return None
        email = profile.get("email")
        return str(email) if email else None


def _route(msg: IncomingMessage, private: bool) -> str:
    """How a part goes out: to a slash command's response_url, as an ephemeral message, or a message."""
    if msg.extra.get("response_url") and (private or msg.private_reply):
        return "response_url"
    return "ephemeral" if private else "message"


def _part_key(message: Any) -> str | None:
    metadata = message.get("metadata") if isinstance(message, dict) else None
    if not isinstance(metadata, dict) or metadata.get("event_type") != PART_EVENT_TYPE:
        return None
    key = (metadata.get("event_payload") or {}).get("key")
    return str(key) if key else None


def _delivery_error(exc: SlackApiError) -> DeliveryError:
    response = exc.response
    retry_after = None
    if response.status_code == 429:
        retry_after = float(response.headers.get("Retry-After", response.headers.get("retry-after", 1)))
    return DeliveryError(str(response.get("error") or f"HTTP {response.status_code}"), retry_after)


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
