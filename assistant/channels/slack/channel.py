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

    def post(self, msg: IncomingMessage, part: Any) -> None:
        private, text, blocks = part
        response_url = msg.extra.get("response_url")
        try:
            if response_url and (private or msg.private_reply):
                self._respond(response_url, text, blocks)
            elif private:
                self.client.chat_postEphemeral(
                    channel=msg.chat_id, user=msg.user_id, text=text, blocks=blocks, thread_ts=msg.thread_id
                )
            else:
                self.client.chat_postMessage(
                    channel=msg.chat_id, text=text, blocks=blocks, thread_ts=msg.thread_id, unfurl_links=False
                )
        except SlackApiError as exc:
            raise _delivery_error(exc) from exc
        except OSError as exc:
            raise DeliveryError(f"network error: {exc}") from exc

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


def _delivery_error(exc: SlackApiError) -> DeliveryError:
    response = exc.response
    retry_after = None
    if response.status_code == 429:
        retry_after = float(response.headers.get("Retry-After", response.headers.get("retry-after", 1)))
    return DeliveryError(str(response.get("error") or f"HTTP {response.status_code}"), retry_after)


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
