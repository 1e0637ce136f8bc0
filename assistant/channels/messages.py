"""Platform-neutral chat messages: what a platform hands us, and what we hand back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from assistant.answer.models import Citation


@dataclass(frozen=True)
class IncomingMessage:
    """One user message, already verified and decoded by the platform adapter."""

    platform: str
    # The platform's delivery id (Slack event_id, WeCom MsgId): a retry carries the same key.
    event_key: str
    user_id: str
    chat_id: str
    text: str
    is_direct: bool
    thread_id: str | None = None
    # Slash commands answer privately to the asker, even in a channel.
    private_reply: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OutgoingMessage:
    """One reply: body text, its sources as links, and notes shown under it."""

    text: str
    citations: tuple[Citation, ...] = ()
    notes: tuple[str, ...] = ()
    answer_id: str | None = None
    # Shown only to the asker (Slack ephemeral, WeCom direct message).
    private: bool = False
    # A private reply that may be re-posted to the channel in its channel-safe form.
    shareable: bool = False
    question: str = ""

    def doc_ids(self) -> frozenset[str]:
        return frozenset(c.doc_id for c in self.citations)


def document_url(public_url: str, doc_id: str, version: int | None = None) -> str:
    """The web view of a cited document (it checks the reader's access again), at the cited version."""
    url = f"{public_url}/documents/{quote(doc_id, safe='')}"
    return f"{url}?version={version}" if version else url
