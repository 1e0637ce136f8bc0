"""Sign-ins under way: the state, nonce and PKCE verifier the provider's callback must match."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from assistant.db.models import SignInRequestRow, utcnow
from assistant.db.users import hash_token

# A person has this long between leaving for the provider and coming back.
SIGN_IN_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class PendingSignIn:
    provider: str
    nonce: str
    code_verifier: str
    return_to: str


class SignInRequests:
    """One row per redirect to a provider, stored by the state's hash and used at most once."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(self, state: str, pending: PendingSignIn) -> None:
        row = SignInRequestRow(
            state_hash=hash_token(state),
            provider=pending.provider,
            nonce=pending.nonce,
            code_verifier=pending.code_verifier,
            return_to=pending.return_to,
        )
        with Session(self.engine) as session:
            # Abandoned sign-ins are cleared as new ones start; the table stays small.
            session.execute(
                delete(SignInRequestRow).where(SignInRequestRow.created_at < utcnow() - SIGN_IN_WINDOW)
            )
            session.add(row)
            session.commit()

    def take(self, state: str) -> PendingSignIn | None:
        """The sign-in this state started, removed so a replayed callback finds nothing."""
        with Session(self.engine) as session:
            row = session.scalars(
                select(SignInRequestRow).where(SignInRequestRow.state_hash == hash_token(state))
            ).first()
            if row is None:
                return None
            session.delete(row)
            session.commit()
            if utcnow() - row.created_at > SIGN_IN_WINDOW:
                return None
            return PendingSignIn(row.provider, row.nonce, row.code_verifier, row.return_to)
