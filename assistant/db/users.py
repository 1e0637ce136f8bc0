"""People who may use the assistant: their roles, groups, chat identities and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.access import AccessDenied, AccessPolicy, Principal
from assistant.db.models import ApiTokenRow, UserRow, utcnow

TOKEN_PREFIX = "sk_"


@dataclass(frozen=True)
class User:
    """A user as the rest of the app sees it; no token material."""

    name: str
    roles: tuple[str, ...]
    groups: tuple[str, ...]
    slack_id: str | None = None
    wecom_id: str | None = None
    email: str | None = None
    disabled: bool = False

    def principal(self) -> Principal:
        """The identity the access policy checks; a disabled user has none."""
        if self.disabled:
            raise AccessDenied(f"user {self.name!r} is disabled")
        return Principal.of(self.name, self.roles, self.groups)


@dataclass(frozen=True)
class TokenInfo:
    """An active token as an admin sees it: its first characters and dates, never the secret."""

    prefix: str
    created_at: datetime
    expires_at: datetime | None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def to_user(row: UserRow) -> User:
    return User(
        name=row.name,
        roles=tuple(row.roles),
        groups=tuple(row.groups),
        slack_id=row.slack_id,
        wecom_id=row.wecom_id,
        email=row.email,
        disabled=row.disabled,
    )


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


class UserDirectory:
    """Create users, issue and check API tokens, and resolve chat identities to users.

    Identity lookups (`authenticate`, `by_*`) return None for disabled users; `get` and
    `list_users` show them.
    """

    def __init__(self, engine: Engine, policy: AccessPolicy, token_ttl: timedelta | None = None) -> None:
        """`token_ttl`: how long new tokens live (Settings.token_ttl); None: they never expire."""
        self.engine = engine
        self.policy = policy
        self.token_ttl = token_ttl

    def add_user(
        self,
        name: str,
        roles: list[str],
        groups: list[str] | None = None,
        slack_id: str | None = None,
        wecom_id: str | None = None,
        email: str | None = None,
    ) -> tuple[User, str]:
        """Create a user and its first API token; the plain token is returned only here."""
        name = name.strip()
        if not name:
            raise ValueError("user name must not be empty")
        roles = _unique(roles)
        if not roles:
            raise ValueError(
                f"user {name!r} needs at least one role; known roles: {', '.join(self.policy.roles)}"
            )
        for role in roles:
            self.policy.check_role(role)
        row = UserRow(
            name=name,
            roles=roles,
            groups=_unique(groups or []),
            slack_id=slack_id or None,
            wecom_id=wecom_id or None,
            email=email.strip().lower() if email else None,
            disabled=False,
        )
        with Session(self.engine) as session:
            self._check_free(
                session, name=name, slack_id=row.slack_id, wecom_id=row.wecom_id, email=row.email
            )
            session.add(row)
            self._flush_unique(session, f"user {name!r}")
            token = self._issue(session, row, self.token_ttl)
            session.commit()
            return to_user(row), token

    def list_users(self) -> list[User]:
        with Session(self.engine) as session:
            return [to_user(row) for row in session.scalars(select(UserRow).order_by(UserRow.name))]

    def get(self, name: str) -> User | None:
        return self._one(UserRow.name == name, include_disabled=True)

    def disable(self, name: str) -> int:
        """Disable a user and revoke its tokens; returns how many tokens were revoked."""
        with Session(self.engine) as session:
            row = self._require(session, name)
            row.disabled = True
            revoked = self._revoke(session, row)
            session.commit()
            return revoked

    def new_token(self, name: str) -> str:
        """Issue another API token for an enabled user; returns it in plain text, once."""
        with Session(self.engine) as session:
            row = self._require(session, name)
            if row.disabled:
                raise ValueError(f"user {name!r} is disabled")
            token = self._issue(session, row, self.token_ttl)
            session.commit()
            return token

    def rotate_token(self, name: str) -> tuple[str, int]:
        """Revoke every active token of an enabled user and issue one new one, in one transaction.

        Returns (the new token in plain text, how many were revoked).
        """
        with Session(self.engine) as session:
            row = self._require(session, name)
            if row.disabled:
                raise ValueError(f"user {name!r} is disabled")
            revoked = self._revoke(session, row)
            token = self._issue(session, row, self.token_ttl)
            session.commit()
            return token, revoked

    def tokens(self, name: str) -> list[TokenInfo]:
        """The user's unrevoked tokens (expired ones included), oldest first."""
        with Session(self.engine) as session:
            row = self._require(session, name)
            query = (
                select(ApiTokenRow)
                .where(ApiTokenRow.user_id == row.id, ApiTokenRow.revoked_at.is_(None))
                .order_by(ApiTokenRow.id)
            )
            return [TokenInfo(t.prefix, t.created_at, t.expires_at) for t in session.scalars(query)]

    def revoke_tokens(self, name: str) -> int:
        """Revoke every active token of a user; returns how many."""
        with Session(self.engine) as session:
            revoked = self._revoke(session, self._require(session, name))
            session.commit()
            return revoked

    def authenticate(self, token: str) -> User | None:
        """The enabled user owning this unrevoked, unexpired token, else None."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        digest = hash_token(token)
        query = (
            select(ApiTokenRow.token_hash, ApiTokenRow.expires_at, UserRow)
            .join(UserRow, UserRow.id == ApiTokenRow.user_id)
            .where(
                ApiTokenRow.token_hash == digest,
                ApiTokenRow.revoked_at.is_(None),
                UserRow.disabled.is_(False),
            )
        )
        with Session(self.engine) as session:
            found = session.execute(query).first()
            if found is None or not hmac.compare_digest(found[0], digest):
                return None
            if found[1] is not None and found[1] <= utcnow():
                return None
            return to_user(found[2])

    def by_slack_id(self, slack_id: str) -> User | None:
        return self._one(UserRow.slack_id == slack_id)

    def by_wecom_id(self, wecom_id: str) -> User | None:
        return self._one(UserRow.wecom_id == wecom_id)

    def by_email(self, email: str) -> User | None:
        return self._one(UserRow.email == email.strip().lower())

    def link(self, name: str, slack_id: str | None = None, wecom_id: str | None = None) -> User:
        """Attach a Slack and/or WeCom identity to an existing user."""
        with Session(self.engine) as session:
            row = self._require(session, name)
            self._check_free(session, slack_id=slack_id, wecom_id=wecom_id, owner=row.id)
            row.slack_id = slack_id or row.slack_id
            row.wecom_id = wecom_id or row.wecom_id
            self._flush_unique(session, f"identity for {name!r}")
            session.commit()
            return to_user(row)

    def _one(self, condition: object, include_disabled: bool = False) -> User | None:
        query = select(UserRow).where(condition)  # type: ignore[arg-type]
        if not include_disabled:
            query = query.where(UserRow.disabled.is_(False))
        with Session(self.engine) as session:
            row = session.scalars(query).first()
            return to_user(row) if row else None

    @staticmethod
    def _require(session: Session, name: str) -> UserRow:
        row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
        if row is None:
            raise ValueError(f"no such user {name!r}")
        return row

    @staticmethod
    def _check_free(session: Session, owner: int | None = None, **fields: str | None) -> None:
        """Clear messages for taken names/ids; the unique constraints still guard races."""
        for field, value in fields.items():
            if not value:
                continue
            column = getattr(UserRow, field)
            holder = session.scalars(select(UserRow).where(column == value)).first()
            if holder is not None and holder.id != owner:
                if field == "name":
                    raise ValueError(f"user {value!r} already exists")
                raise ValueError(f"{field.replace('_', ' ')} {value!r} already exists (user {holder.name!r})")

    @staticmethod
    def _flush_unique(session: Session, what: str) -> None:
        try:
            session.flush()
        except IntegrityError as exc:
            session.rollback()
            raise ValueError(
                f"{what} conflicts with an existing user (name, slack id, wecom id or email)"
            ) from exc

    @staticmethod
    def _issue(session: Session, row: UserRow, ttl: timedelta | None) -> str:
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires = utcnow() + ttl if ttl else None
        session.add(
            ApiTokenRow(user_id=row.id, token_hash=hash_token(token), prefix=token[:8], expires_at=expires)
        )
        return token

    @staticmethod
    def _revoke(session: Session, row: UserRow) -> int:
        result = session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.user_id == row.id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
