"""Who gets the curators' daily digest, on which platform, and when it last went out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from assistant.db.models import DigestSubscriptionRow


@dataclass(frozen=True)
class Subscription:
    user: str
    platform: str
    last_sent_at: datetime | None


class DigestSubscriptions:
    """One subscription per person (the platform they last opted in on)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def set(self, user: str, platform: str, on: bool) -> None:
        with Session(self.engine) as session:
            row = session.get(DigestSubscriptionRow, user)
            if not on:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(DigestSubscriptionRow(user_name=user, platform=platform))
            else:
                row.platform = platform
            session.commit()

    def all(self) -> list[Subscription]:
        with Session(self.engine) as session:
            rows = session.scalars(select(DigestSubscriptionRow).order_by(DigestSubscriptionRow.user_name))
            return [Subscription(r.user_name, r.platform, r.last_sent_at) for r in rows]

    def mark_sent(self, user: str, at: datetime) -> None:
        with Session(self.engine) as session:
            row = session.get(DigestSubscriptionRow, user)
            if row is not None:
                row.last_sent_at = at
                session.commit()
