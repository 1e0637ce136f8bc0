"""Web sign-in storage on both databases: sessions, their expiry and ends, accounts, sign-ins under way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from assistant.access import AccessDenied, AccessPolicy
from assistant.db import SessionStore, UserDirectory
from assistant.db.accounts import DirectoryAccounts, ExternalAccount
from assistant.db.models import SignInRequestRow, WebSessionRow, utcnow
from assistant.db.sign_in_requests import PendingSignIn, SignInRequests


@pytest.fixture
def store(engine: Engine, policy: AccessPolicy) -> SessionStore:
    UserDirectory(engine, policy).add_user("ana", ["rep"], ["east"])
    UserDirectory(engine, policy).add_user("bo", ["rep"])
    return SessionStore(engine, idle=timedelta(minutes=30), max_age=timedelta(hours=8))


def test_a_session_authenticates_its_user_until_ended(store: SessionStore) -> None:
    token, started = store.start("ana", "oidc", "Firefox")
    user, session = store.authenticate(token) or (None, None)
    assert user is not None and user.name == "ana" and user.groups == ("east",)
    assert session is not None and session.public_id == started.public_id and session.csrf_token
    assert store.authenticate(token + "x") is None and store.authenticate("sk_" + token) is None
    store.start("bo", "wecom", "WeCom")
    assert not store.end("bo", started.public_id)  # not bo's session
    assert store.end("ana", started.public_id)
    assert store.authenticate(token) is None and store.list_for("ana") == []
    assert [s.provider for s in store.list_for("bo")] == ["wecom"]


def test_idle_and_absolute_expiry(store: SessionStore, engine: Engine) -> None:
    idle_token, _ = store.start("ana", "oidc", "a")
    old_token, _ = store.start("ana", "oidc", "b")
    with Session(engine) as session:
        ids = session.scalars(select(WebSessionRow.id).order_by(WebSessionRow.id)).all()
        session.execute(
            update(WebSessionRow)
            .where(WebSessionRow.id == ids[0])
            .values(last_seen_at=utcnow() - timedelta(hours=1))
        )
        session.execute(
            update(WebSessionRow)
            .where(WebSessionRow.id == ids[1])
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        session.commit()
    assert store.authenticate(idle_token) is None and store.authenticate(old_token) is None
    assert store.list_for("ana") == []


def test_end_all_ends_only_that_users_sessions(store: SessionStore) -> None:
    tokens = [store.start("ana", "oidc", str(i))[0] for i in range(3)]
    bo, _ = store.start("bo", "oidc", "x")
    assert store.end_all("ana") == 3 and store.end_all("ana") == 0
    assert all(store.authenticate(t) is None for t in tokens) and store.authenticate(bo) is not None


def test_accounts_link_create_and_refuse(engine: Engine, policy: AccessPolicy) -> None:
    directory = UserDirectory(engine, policy)
    directory.add_user("Chen", ["support"], email="chen@example.com")
    accounts = DirectoryAccounts(engine, policy)
    linked = accounts.provision(
        ExternalAccount("oidc", "iss sub-1", "chen", "CHEN@example.com", True), ["rep"], ["east"]
    )
    assert linked.user.name == "Chen" and linked.access_changed and linked.user.roles == ("rep",)
    unverified = accounts.provision(
        ExternalAccount("oidc", "iss sub-2", "chen", "chen@example.com", False), None, None
    )
    assert unverified.before is None and unverified.user.name != "Chen" and unverified.user.roles == ()
    again = accounts.provision(ExternalAccount("oidc", "iss sub-1", "whatever"), ["rep"], ["east"])
    assert again.user.name == "Chen" and not again.access_changed
    directory.disable("Chen")
    with pytest.raises(AccessDenied):
        accounts.provision(ExternalAccount("oidc", "iss sub-1", "chen"), ["rep"], [])
    with pytest.raises(ValueError, match="unknown role"):
        accounts.provision(ExternalAccount("wecom", "w1", "w1"), ["wizard"], [])


def test_a_sign_in_state_is_used_once_and_expires(engine: Engine) -> None:
    requests = SignInRequests(engine)
    requests.save("state-1", PendingSignIn("oidc", "n", "v", "/"))
    requests.save("state-2", PendingSignIn("wecom", "n", "v", "/x"))
    assert requests.take("state-1") == PendingSignIn("oidc", "n", "v", "/")
    assert requests.take("state-1") is None
    with Session(engine) as session:
        session.execute(update(SignInRequestRow).values(created_at=utcnow() - timedelta(hours=1)))
        session.commit()
    assert requests.take("state-2") is None
