"""Browser sessions after a web sign-in: an opaque cookie token, idle and absolute expiry, revoke."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.db.models import UserRow, WebSessionRow, utcnow
from assistant.db.users import User, hash_token, to_user

SESSION_PREFIX = "ws_"
# last_seen_at is written at most this often: a page of parallel API calls is one write, not ten.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class WebSession:
    """One signed-in browser as its owner and admins see it; no token material besides the CSRF token."""

    public_id: str
    user: str
    provider: str
    user_agent: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    csrf_token: str

    def to_dict(self) -> dict[str, str]:
        return {
            "id": self.public_id,
            "user": self.user,
            "provider": self.provider,
            "user_agent": self.user_agent,
            "created_at": self.created_at.isoformat(),
            "last_seen_at": self.last_seen_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
        }


def _to_session(row: WebSessionRow, user: str) -> WebSession:
    return WebSession(
        public_id=row.public_id,
        user=user,
        provider=row.provider,
        user_agent=row.user_agent,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
        csrf_token=row.csrf_token,
    )


class SessionStore:
    """Start, check, list and end web sessions. A session ends on sign-out, revoke, idle or age."""

    def __init__(self, engine: Engine, idle: timedelta, max_age: timedelta) -> None:
        self.engine = engine
        self.idle = idle
        self.max_age = max_age

    def start(self, user: str, provider: str, user_agent: str) -> tuple[str, WebSession]:
        """A new session for an enabled user; the plain cookie token is returned only here."""
        token = SESSION_PREFIX + secrets.token_urlsafe(32)
        now = utcnow()
        with Session(self.engine, expire_on_commit=False) as session:
            owner = session.scalars(select(UserRow).where(UserRow.name == user)).one()
            row = WebSessionRow(
                public_id=secrets.token_urlsafe(12),
                token_hash=hash_token(token),
                user_id=owner.id,
                provider=provider,
                csrf_token=secrets.token_urlsafe(32),
                user_agent=user_agent[:300],
                created_at=now,
                last_seen_at=now,
                expires_at=now + self.max_age,
            )
            session.add(row)
            session.commit()
            return token, _to_session(row, owner.name)

    def authenticate(self, token: str) -> tuple[User, WebSession] | None:
        """The enabled user and live session behind a cookie token, else None (unknown, ended, expired)."""
        if not token.startswith(SESSION_PREFIX):
            return None
        digest = hash_token(token)
        now = utcnow()
        with Session(self.engine, expire_on_commit=False) as session:
            found = session.execute(
                select(WebSessionRow, UserRow)
                .join(UserRow, UserRow.id == WebSessionRow.user_id)
                .where(WebSessionRow.token_hash == digest, WebSessionRow.ended_at.is_(None))
            ).first()
            if found is None or not hmac.compare_digest(found[0].token_hash, digest):
                return None
            row, owner = found
            if owner.disabled or now >= row.expires_at or now - row.last_seen_at >= self.idle:
                return None
            if now - row.last_seen_at >= TOUCH_EVERY:
                row.last_seen_at = now
                session.commit()
            return to_user(owner), _to_session(row, owner.name)

    def list_for(self, user: str) -> list[WebSession]:
        """The user's live sessions, newest first."""
        now = utcnow()
        query = (
            select(WebSessionRow)
            .join(UserRow, UserRow.id == WebSessionRow.user_id)
            .where(UserRow.name == user, WebSessionRow.ended_at.is_(None))
            .order_by(WebSessionRow.created_at.desc(), WebSessionRow.id.desc())
        )
        with Session(self.engine) as session:
            rows = session.scalars(query).all()
            return [
                _to_session(r, user) for r in rows if now < r.expires_at and now - r.last_seen_at < self.idle
            ]

    def end(self, user: str, public_id: str) -> bool:
        """End one of the user's sessions; False when it is not theirs or already over."""
        return self._end(user, public_id) > 0

    def end_all(self, user: str) -> int:
        """End every session of a user (sign out everywhere, or an admin's revoke); returns how many."""
        return self._end(user, None)

    def _end(self, user: str, public_id: str | None) -> int:
        owner = select(UserRow.id).where(UserRow.name == user).scalar_subquery()
        statement = update(WebSessionRow).where(
            WebSessionRow.user_id == owner, WebSessionRow.ended_at.is_(None)
        )
        if public_id is not None:
            statement = statement.where(WebSessionRow.public_id == public_id)
        with Session(self.engine) as session:
            result = session.execute(statement.values(ended_at=utcnow()))
            session.commit()
            return int(result.rowcount)  # type: ignore[attr-defined]


def build_session_store(engine: Engine, settings: Settings) -> SessionStore:
    idle = timedelta(minutes=settings.session_idle_minutes)
    return SessionStore(engine, idle, timedelta(hours=settings.session_max_hours))
