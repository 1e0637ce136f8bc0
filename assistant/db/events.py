"""Delivery de-duplication: Slack and WeCom retry events, and we must answer each only once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, delete, update
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

    def claim(self, platform: str, key: str, lease: timedelta = CHAT_LEASE) -> bool:
        """True for the first claim of (platform, key), or for retaking an unfinished one whose lease
        ran out; the unique constraint and a conditional update decide races."""
        with Session(self.engine) as session:
            session.add(ProcessedEventRow(platform=platform, event_key=key))
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

    def finish(self, platform: str, key: str) -> None:
        """The reply for this event went out (or the asker was told it could not): retries stay duplicates."""
        with Session(self.engine) as session:
            session.execute(
                update(ProcessedEventRow)
                .where(ProcessedEventRow.platform == platform, ProcessedEventRow.event_key == key)
                .values(done_at=utcnow())
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
