"""The thinking behind every chat reply: run the command, and keep shared spaces within their reach."""

from __future__ import annotations

import logging
import math
from dataclasses import replace
from typing import Literal

from assistant.access import AccessDenied, AccessPolicy, Principal
from assistant.answer.models import (
    AskRequest,
    Citation,
    FollowUpRequest,
    TalkTrack,
    TalkTrackRequest,
    TalkTrackResponse,
)
from assistant.answer.sales_wording import phrase
from assistant.answer.service import KnowledgeAssistant
from assistant.channels.commands import Command, CommandError, parse_command
from assistant.channels.identity import Identity, sees_more
from assistant.channels.messages import IncomingMessage, OutgoingMessage
from assistant.channels.notes import note
from assistant.curation.digest import Digests
from assistant.curation.review import ReviewQueue
from assistant.db import AnswerStore, ChannelPolicies
from assistant.rate_limits import RateLimiter, request_cost
from assistant.services import Services

log = logging.getLogger(__name__)


class ChatService:
    """IncomingMessage + identity -> the replies to send (public and/or private)."""

    def __init__(
        self,
        assistant: KnowledgeAssistant,
        policy: AccessPolicy,
        channel_policies: ChannelPolicies,
        answers: AnswerStore,
        review: ReviewQueue,
        digests: Digests,
        rate_limiter: RateLimiter,
    ) -> None:
        self.assistant, self.policy, self.channel_policies = assistant, policy, channel_policies
        self.answers, self.review, self.digests = answers, review, digests
        self.rate_limiter = rate_limiter

    @classmethod
    def from_services(cls, services: Services) -> ChatService:
        """The clients a chat reply needs, taken from the process's services."""
        return cls(
            services.assistant,
            services.policy,
            services.channel_policies,
            services.answers,
            services.review,
            services.digests,
            services.rate_limiter,
        )

    def replies(self, msg: IncomingMessage, identity: Identity) -> list[OutgoingMessage]:
        """What to send for this message; errors become a private apology, never silence."""
        cost = request_cost(len(msg.text.encode("utf-8")))
        wait = self.rate_limiter.check(identity.principal.user, cost)
        if wait is not None:  # the same per-person budget as the HTTP API; still a reply, never silence
            seconds = max(1, math.ceil(wait))
            return [OutgoingMessage(note("slow_down", msg.text, seconds=seconds), private=not msg.is_direct)]
        try:
            command = parse_command(msg.text)
            found = self._dispatch(msg, identity, command)
        except (CommandError, ValueError) as exc:
            return [OutgoingMessage(text=str(exc), private=not msg.is_direct)]
        except Exception:
            log.exception("answering a %s message failed", msg.platform)
            return [OutgoingMessage(text=note("error", msg.text), private=not msg.is_direct)]
        if not identity.linked and command.name not in ("up", "down", "help"):
            flag = "--slack-id" if msg.platform == "slack" else "--wecom-id"
            hint = note("unlinked", msg.text, flag=flag, user_id=identity.platform_user)
            found = [replace(out, notes=(*out.notes, hint)) for out in found]
        return found

    def share(self, msg: IncomingMessage, identity: Identity, question: str) -> tuple[OutgoingMessage, bool]:
        """Re-answer a private reply for the channel: (channel-safe reply, whether anything was left out)."""
        narrowed = self._narrowed(msg, identity)
        command = parse_command(question)
        public = self.run(command, narrowed, msg.platform)
        full = self.run(command, identity.principal, msg.platform)
        return public, bool(full.doc_ids() - public.doc_ids())

    def _dispatch(self, msg: IncomingMessage, identity: Identity, command: Command) -> list[OutgoingMessage]:
        if command.name == "help":
            return [OutgoingMessage(text=note("help", msg.text), private=not msg.is_direct)]
        if command.name in ("up", "down"):
            return [self._feedback(msg, identity, command)]
        if command.name == "digest":
            return [self._digest(msg, identity, command)]
        if msg.is_direct:
            return [self.run(command, identity.principal, msg.platform)]
        if msg.private_reply:  # a slash command: only the asker sees it, so their own access applies
            out = self.run(command, identity.principal, msg.platform)
            return [replace(out, private=True, shareable=True, question=msg.text)]
        return self._in_shared_space(msg, identity, command)

    def _in_shared_space(
        self, msg: IncomingMessage, identity: Identity, command: Command
    ) -> list[OutgoingMessage]:
        narrowed = self._narrowed(msg, identity)
        public = self.run(command, narrowed, msg.platform)
        if not sees_more(self.policy, identity.principal, narrowed):
            return [public]
        full = self.run(command, identity.principal, msg.platform)
        if not full.doc_ids() - public.doc_ids():
            return [public]
        level = narrowed.ceiling or "public"
        more = note("more_private", msg.text, level=level)
        return [public, replace(full, private=True, notes=(more, *full.notes))]

    def _narrowed(self, msg: IncomingMessage, identity: Identity) -> Principal:
        max_level, groups = self.channel_policies.get(msg.platform, msg.chat_id)
        narrowed: Principal = self.policy.restrict(identity.principal, max_level, groups)
        return narrowed

    def run(self, command: Command, principal: Principal, platform: str) -> OutgoingMessage:
        """One command for one principal, through the same facade the HTTP API uses."""
        facade = self.assistant
        if command.name == "talk":
            tracks = facade.talk_tracks(TalkTrackRequest(situation=command.text), principal, channel=platform)
            return _talk_tracks_message(tracks)
        if command.name == "followup":
            style: Literal["wecom", "slack"] = "wecom" if platform == "wecom" else "slack"
            request = FollowUpRequest(
                customer=command.customer, contact=command.contact, notes=command.text, channel=style
            )
            draft = facade.follow_up(request, principal, channel=platform)
            return OutgoingMessage(
                text=draft.draft, citations=tuple(draft.citations), notes=tuple(draft.warnings)
            )
        answer = facade.ask(AskRequest(question=command.text[:2000]), principal, channel=platform)
        return OutgoingMessage(
            text=answer.answer,
            citations=tuple(answer.citations),
            notes=tuple(answer.warnings),
            answer_id=answer.answer_id,
        )

    def _feedback(self, msg: IncomingMessage, identity: Identity, command: Command) -> OutgoingMessage:
        latest = None if command.answer_id else self.answers.latest(identity.name, msg.platform)
        answer_id = command.answer_id or (latest.answer_id if latest else None)
        private = not msg.is_direct
        if answer_id is None:
            return OutgoingMessage(text=note("feedback_no_answer", msg.text), private=private)
        self.record_feedback(answer_id, identity, command.name, command.text or None, msg.platform)
        return OutgoingMessage(text=note("feedback_saved", msg.text), private=private)

    def _digest(self, msg: IncomingMessage, identity: Identity, command: Command) -> OutgoingMessage:
        on = command.text.strip().lower() not in ("off", "关", "关闭", "stop")
        try:
            self.digests.opt(identity.principal, msg.platform, on)
        except AccessDenied:
            return OutgoingMessage(text=note("digest_curators_only", msg.text), private=not msg.is_direct)
        return OutgoingMessage(
            text=note("digest_on" if on else "digest_off", msg.text), private=not msg.is_direct
        )

    def record_feedback(
        self, answer_id: str, identity: Identity, rating: str, comment: str | None, platform: str
    ) -> None:
        """Store a vote the way the HTTP API does (one per person per answer; a 👎 goes to the curators)."""
        self.review.record_vote(answer_id, identity.name, rating, comment, platform)


def _track_text(track: TalkTrack) -> str:
    proof = "".join(f"\n• {p}" for p in track.proof_points)
    notes = "".join(f"\n_{n}_" for n in track.notes)
    return f"*{track.title}*\n_{track.when_to_use}_\n{track.script}{proof}{notes}"


def _talk_tracks_message(response: TalkTrackResponse) -> OutgoingMessage:
    """Matching tracks; or the "no matching talk track" notice with the closest general one, labelled."""
    parts = [_track_text(t) for t in response.talk_tracks]
    shown = list(response.talk_tracks)
    if not parts:
        parts.append(response.notice or "")
        if response.closest is not None:
            label = phrase("closest_general", response.language)
            parts.append(f"{label}\n{_track_text(response.closest)}")
            shown.append(response.closest)
    citations: dict[tuple[int, str], Citation] = {}
    for track in shown:
        for c in track.citations:
            citations.setdefault((c.n, c.doc_id), c)
    return OutgoingMessage(text="\n\n".join(parts), citations=tuple(citations.values()))
