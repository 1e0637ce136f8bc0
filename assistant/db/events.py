"""Delivery de-duplication: Slack and WeCom retry events, and we must answer each only once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.db.models import ProcessedEventRow, utcnow


class EventLedger:
    """Claims on event keys, first come first served across threads and processes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(self, platform: str, key: str) -> bool:
        """True only for the first claim of (platform, key); the unique constraint decides races."""
        with Session(self.engine) as session:
            session.add(ProcessedEventRow(platform=platform, event_key=key))
            try:
                session.commit()
            except IntegrityError:
                return False
            return True

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
