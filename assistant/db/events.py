"""Delivery de-duplication: Slack and WeCom retry events, and we must answer each only once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.db.models import ProcessedEventRow, utcnow

# How long a claim protects an unfinished answer. Past it, a platform retry of the same event is
# answered again: the process that claimed it died (an answer takes seconds, not minutes).
CHAT_LEASE = timedelta(minutes=2)


class EventLedger:
    """Claims on event keys, first come first served across threads and processes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(
        self, platform: str, key: str, lease: timedelta = CHAT_LEASE, message: dict[str, Any] | None = None
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
            now = utcnow()
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

    def unfinished(self, platform: str, lease: timedelta = CHAT_LEASE) -> list[dict[str, Any]]:
        """Retake the platform's unfinished claims whose lease ran out; returns their messages."""
        query = select(ProcessedEventRow.event_key, ProcessedEventRow.message).where(
            ProcessedEventRow.platform == platform,
            ProcessedEventRow.done_at.is_(None),
            ProcessedEventRow.message.is_not(None),
            ProcessedEventRow.at < utcnow() - lease,
        )
        with Session(self.engine) as session:
            found = list(session.execute(query))
        return [dict(message) for key, message in found if self.claim(platform, key, lease)]

    def finish(self, platform: str, key: str) -> None:
        """The reply for this event went out (or the asker was told it could not): retries stay duplicates."""
        with Session(self.engine) as session:
            session.execute(
                update(ProcessedEventRow)
                .where(ProcessedEventRow.platform == platform, ProcessedEventRow.event_key == key)
                .values(done_at=utcnow())
            )
            session.commit()

    def release(self, platform: str, key: str) -> None:
        """Give a claim back (the work it guarded failed and should be retried)."""
        with Session(self.engine) as session:
            session.execute(
                delete(ProcessedEventRow).where(
                    ProcessedEventRow.platform == platform, ProcessedEventRow.event_key == key
                )
            )
            session.commit()

    def prune(self, older_than: timedelta) -> int:
        """Forget claims older than this (platforms stop retrying after minutes); returns how many."""
        with Session(self.engine) as session:
            result = session.execute(
                delete(ProcessedEventRow).where(ProcessedEventRow.at < utcnow() - older_than)
            )
            session.commit()
            return int(result.rowcount)  # type: ignore[attr-defined]
