"""Durable chat work: Slack and WeCom retry events, and each must be answered, and delivered, once.

An event goes received (claimed, its message kept) -> answered (its rendered reply parts stored)
-> delivered (done_at). A claim is a lease: a worker that stops renewing it (it died) loses it, and
`unfinished` hands the work to another. Each part has its own state (pending -> sending ->
delivered, or failed) and an idempotency key, so a re-run never posts a delivered part again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.db.models import ChatPartRow, ProcessedEventRow, utcnow

# How long a claim protects an unfinished answer. Past it, a platform retry of the same event is
# answered again: the process that claimed it died (an answer takes seconds, not minutes).
CHAT_LEASE = timedelta(minutes=2)
RECEIVED, ANSWERED, DELIVERED = "received", "answered", "delivered"  # an event's states
PENDING, SENDING, FAILED = "pending", "sending", "failed"  # a part's states (and DELIVERED)


@dataclass(frozen=True)
class ReplyPart:
    """One stored platform message of a reply; `key` is its idempotency key."""

    key: str
    n: int
    reply: int
    body: Any
    state: str


class EventLedger:
    """Claims on event keys, first come first served across threads and processes."""

    def __init__(self, engine: Engine, lease: timedelta = CHAT_LEASE) -> None:
        self.engine = engine
        self.lease = lease

    def claim(
        self,
        platform: str,
        key: str,
        lease: timedelta | None = None,
        message: dict[str, Any] | None = None,
    ) -> bool:
        """True for the first claim of (platform, key), or for retaking an unfinished one whose lease
        ran out; the unique constraint and a conditional update decide races.

        `message` (JSON) is kept with the claim so `unfinished` can hand it to another process.
        """
        with Session(self.engine) as session:
            session.add(ProcessedEventRow(platform=platform, event_key=key, message=message))
            try:
                session.commit()
                return True
            except IntegrityError:
                session.rollback()
            now, lease = utcnow(), lease if lease is not None else self.lease
            retaken = session.execute(
                update(ProcessedEventRow)
                .where(
                    ProcessedEventRow.platform == platform,
                    ProcessedEventRow.event_key == key,
                    ProcessedEventRow.done_at.is_(None),
                    ProcessedEventRow.at < now - lease,
                )
                .values(at=now)
            )
            session.commit()
            return int(retaken.rowcount) == 1  # type: ignore[attr-defined]

    def unfinished(self, platform: str, lease: timedelta | None = None) -> list[dict[str, Any]]:
        """Retake the platform's unfinished claims whose lease ran out; returns their messages."""
        lease = lease if lease is not None else self.lease
        query = select(ProcessedEventRow.event_key, ProcessedEventRow.message).where(
            ProcessedEventRow.platform == platform,
            ProcessedEventRow.done_at.is_(None),
            ProcessedEventRow.message.is_not(None),
            ProcessedEventRow.at < utcnow() - lease,
        )
        with Session(self.engine) as session:
            found = list(session.execute(query))
        return [dict(message) for key, message in found if self.claim(platform, key, lease)]

    def answered(self, platform: str, key: str, replies: list[list[Any]]) -> list[ReplyPart]:
        """Store the rendered parts of the event's replies (JSON) and mark it answered; returns the
        stored parts. Should two workers race, the first one's parts win and both deliver those."""
        flat = [(reply, body) for reply, parts in enumerate(replies) for body in parts]
        rows = [
            ChatPartRow(platform=platform, event_key=key, n=n, reply=reply, body=body, state=PENDING)
            for n, (reply, body) in enumerate(flat)
        ]
        with Session(self.engine) as session:
            session.add_all(rows)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
        self._set_event(platform, key, state=ANSWERED)
        return self.parts(platform, key) or []

    def parts(self, platform: str, key: str) -> list[ReplyPart] | None:
        """The stored parts of an answered event, in posting order; None while it is not answered."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(ChatPartRow).where(*_parts_of(platform, key)).order_by(ChatPartRow.n)
            ).all()
            if not rows:
                state = session.scalar(select(ProcessedEventRow.state).where(*_event(platform, key)))
                return [] if state in (ANSWERED, DELIVERED) else None
            return [ReplyPart(f"{platform}:{key}:{r.n}", r.n, r.reply, r.body, r.state) for r in rows]

    def start_part(self, platform: str, key: str, n: int, seen: str) -> bool:
        """Mark a part `sending` before posting it, if it is still in the state `seen` when loaded;
        False when another worker moved it on. Renews the event's lease."""
        with Session(self.engine) as session:
            moved = session.execute(
                update(ChatPartRow)
                .where(*_part(platform, key, n), ChatPartRow.state == seen)
                .values(state=SENDING, at=utcnow())
            )
            session.execute(update(ProcessedEventRow).where(*_event(platform, key)).values(at=utcnow()))
            session.commit()
            return int(moved.rowcount) == 1  # type: ignore[attr-defined]

    def end_part(self, platform: str, key: str, n: int, state: str) -> None:
        """Record how a part's post ended: DELIVERED, or FAILED (given up on, the asker was told)."""
        with Session(self.engine) as session:
            session.execute(update(ChatPartRow).where(*_part(platform, key, n)).values(state=state))
            session.commit()

    def finish(self, platform: str, key: str) -> None:
        """The reply for this event went out (or the asker was told it could not): retries stay duplicates."""
        self._set_event(platform, key, state=DELIVERED, done_at=utcnow())

    def release(self, platform: str, key: str) -> None:
        """Give a claim back (the work it guarded failed and should be retried)."""
        with Session(self.engine) as session:
            session.execute(delete(ProcessedEventRow).where(*_event(platform, key)))
            session.execute(delete(ChatPartRow).where(*_parts_of(platform, key)))
            session.commit()

    def _set_event(self, platform: str, key: str, **values: Any) -> None:
        with Session(self.engine) as session:
            session.execute(update(ProcessedEventRow).where(*_event(platform, key)).values(**values))
            session.commit()

    def prune(self, older_than: timedelta) -> int:
        """Forget claims older than this (platforms stop retrying after minutes); returns how many."""
        with Session(self.engine) as session:
            cutoff = utcnow() - older_than
            result = session.execute(delete(ProcessedEventRow).where(ProcessedEventRow.at < cutoff))
            session.execute(delete(ChatPartRow).where(ChatPartRow.at < cutoff))
            session.commit()
            return int(result.rowcount)  # type: ignore[attr-defined]


def _event(platform: str, key: str) -> tuple[Any, ...]:
    return (ProcessedEventRow.platform == platform, ProcessedEventRow.event_key == key)


def _parts_of(platform: str, key: str) -> tuple[Any, ...]:
    return (ChatPartRow.platform == platform, ChatPartRow.event_key == key)


def _part(platform: str, key: str, n: int) -> tuple[Any, ...]:
    return (*_parts_of(platform, key), ChatPartRow.n == n)
