"""WeCom as a Channel: WeCom userid -> directory user, OutgoingMessage -> text messages <= 2048 bytes."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from assistant.answer.channel_limits import WECOM_MAX_BYTES, WECOM_MAX_DUPLICATE_CHECK_S
from assistant.channels.base import Channel, RetryPolicy
from assistant.channels.identity import Identity, build_identity
from assistant.channels.messages import IncomingMessage, OutgoingMessage, document_url
from assistant.channels.notes import note
from assistant.channels.wecom.client import WeComClient
from assistant.channels.wecom.departments import DepartmentGroups
from assistant.services import Services
from assistant.text.splitting import split_text, truncate, utf8_len

DUPLICATE_CHECK_SLACK_S = 60  # a re-send may start a little after the re-lease tick
MAX_PARTS = 5  # a longer answer is cut; the sources (web view) have the rest
_TRUNCATED = "\n…（内容过长，已截断 / truncated）"


class WeComChannel(Channel):
    platform = "wecom"

    def __init__(self, services: Services, client: WeComClient, retry: RetryPolicy | None = None) -> None:
        super().__init__(services, retry)
        self.client = client
        self.public_url = services.settings.resolved_public_url
        self.departments = DepartmentGroups(client, services.settings.wecom_department_groups)
        # WeCom's server-side de-duplication must cover a re-send after a crash: the lease, then at
        # most one re-lease interval later. Longer would also hide a repeated, identical answer.
        waited = services.settings.chat_lease_s + services.settings.chat_resume_every_s
        self.duplicate_check_s = min(WECOM_MAX_DUPLICATE_CHECK_S, math.ceil(waited) + DUPLICATE_CHECK_SLACK_S)

    def identify(self, msg: IncomingMessage) -> Identity:
        identity = build_identity(self.services.users.by_wecom_id(msg.user_id), "wecom", msg.user_id)
        extra = self.departments.groups_of(msg.user_id) if identity.linked else frozenset()
        if not extra:
            return identity
        principal = replace(identity.principal, groups=identity.principal.groups | extra)
        return replace(identity, principal=principal)

    def render(self, msg: IncomingMessage, out: OutgoingMessage) -> list[Any]:
        """Answer, then sources and notes, cut into messages that each fit WeCom's byte limit."""
        tail = [self._sources(out), *out.notes]
        if out.answer_id:
            tail.append(note("rate", msg.text, answer_id=out.answer_id))
        after = split_text("\n\n".join(t for t in tail if t), WECOM_MAX_BYTES, utf8_len)
        body = split_text(out.text, WECOM_MAX_BYTES, utf8_len) or [" "]
        room = max(1, MAX_PARTS - len(after))
        if len(body) > room:  # keep the sources and notes; cut the answer
            body = body[:room]
            body[-1] = truncate(body[-1] + _TRUNCATED, WECOM_MAX_BYTES, _TRUNCATED, utf8_len)
        pieces = body + after
        private = out.private or msg.is_direct
        return [(private, piece) for piece in pieces]

    def post(self, msg: IncomingMessage, part: Any, key: str | None = None) -> None:
        private, content = part
        if private:
            self.client.send_text(msg.user_id, content, duplicate_check_s=self.duplicate_check_s)
        else:
            self.client.send_group_text(msg.chat_id, content)

    def posted_before(self, msg: IncomingMessage, part: Any, key: str) -> bool | None:
        """WeCom keeps no history to look in, but drops a direct message identical to one it had in
        the duplicate-check window, so sending again is safe there; a group message may repeat."""
        private, _content = part
        return False if private else None

    def notify(self, msg: IncomingMessage, text: str) -> None:
        self.client.send_text(msg.user_id, text)

    def _sources(self, out: OutgoingMessage) -> str:
        lines = [
            f"[{c.n}] {c.title}\n{document_url(self.public_url, c.doc_id, c.version)}" for c in out.citations
        ]
        return ("来源 / Sources:\n" + "\n".join(lines)) if lines else ""
