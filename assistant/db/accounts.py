"""The user behind a web sign-in: found by OIDC subject or WeCom userid, created on first sign-in."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from assistant.access import AccessDenied, AccessPolicy
from assistant.db.models import UserRow
from assistant.db.users import User, to_user

AccountKind = Literal["oidc", "wecom"]
_COLUMN = {"oidc": UserRow.oidc_subject, "wecom": UserRow.wecom_id}


@dataclass(frozen=True)
class ExternalAccount:
    """An identity a provider vouched for. `subject` is stable (OIDC "<iss> <sub>", WeCom userid)."""

    kind: AccountKind
    subject: str
    name_hint: str
    email: str | None = None
    email_verified: bool = False


@dataclass(frozen=True)
class Provisioned:
    user: User
    before: User | None  # None: created by this sign-in

    @property
    def access_changed(self) -> bool:
        if self.before is None:
            return False
        return (set(self.before.roles), set(self.before.groups)) != (
            set(self.user.roles),
            set(self.user.groups),
        )


class DirectoryAccounts:
    """Links sign-ins to users. A verified e-mail links an existing user (e.g. one made with the CLI)."""

    def __init__(self, engine: Engine, policy: AccessPolicy) -> None:
        self.engine = engine
        self.policy = policy

    def provision(
        self, account: ExternalAccount, roles: list[str] | None, groups: list[str] | None
    ) -> Provisioned:
        """Find or create the user; with `roles` given (a mapping is configured) they replace the
        user's roles and groups. Raises AccessDenied for a disabled user."""
        for role in roles or []:
            self.policy.check_role(role)
        with Session(self.engine, expire_on_commit=False) as session:
            row = self._find(session, account)
            before = to_user(row) if row is not None else None
            if row is None:
                row = UserRow(
                    name=self._free_name(session, account),
                    roles=[],
                    groups=[],
                    email=self._free_email(session, account),
                    disabled=False,
                )
                session.add(row)
            if row.disabled:
                raise AccessDenied(f"user {row.name!r} is disabled")
            setattr(row, _COLUMN[account.kind].key, account.subject)
            if roles is not None:
                row.roles = list(dict.fromkeys(roles))
                row.groups = list(dict.fromkeys(groups or []))
            session.commit()
            return Provisioned(to_user(row), before)

    @staticmethod
    def _find(session: Session, account: ExternalAccount) -> UserRow | None:
        row = session.scalars(select(UserRow).where(_COLUMN[account.kind] == account.subject)).first()
        if row is not None or not (account.email and account.email_verified):
            return row
        # Only an unlinked user is claimed by e-mail: never move an identity off another account.
        by_email = session.scalars(select(UserRow).where(UserRow.email == account.email.lower())).first()
        if by_email is not None and getattr(by_email, _COLUMN[account.kind].key) is None:
            return by_email
        return None

    @staticmethod
    def _free_email(session: Session, account: ExternalAccount) -> str | None:
        if not (account.email and account.email_verified):
            return None
        email = account.email.lower()
        taken = session.scalars(select(UserRow.id).where(UserRow.email == email)).first()
        return None if taken is not None else email

    @staticmethod
    def _free_name(session: Session, account: ExternalAccount) -> str:
        base = (account.name_hint or account.subject).strip()[:150] or account.kind
        taken = session.scalars(select(UserRow.id).where(UserRow.name == base)).first()
        if taken is None:
            return base
        suffix = hashlib.sha256(account.subject.encode("utf-8")).hexdigest()[:8]
        return f"{base}-{suffix}"
