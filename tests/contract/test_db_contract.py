"""One suite, two databases: every repository behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from assistant.access import AccessDenied, AccessPolicy
from assistant.db import (
    AnswerStore,
    AuditLog,
    ChannelPolicies,
    EventLedger,
    FeedbackStore,
    UserDirectory,
    build_engine,
)
from assistant.db.models import Base


@pytest.fixture
def users(engine: Engine, policy: AccessPolicy) -> UserDirectory:
    return UserDirectory(engine, policy)


# --- schema -------------------------------------------------------------------------------------


def test_migrations_match_models_and_rerun_cleanly(database_url: str) -> None:
    first = build_engine(database_url)
    UserDirectory(first, AccessPolicy.load()).add_user("kept", ["rep"])
    first.dispose()
    again = build_engine(database_url)  # a second start-up: upgrade head is a no-op, data stays
    with again.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    assert UserDirectory(again, AccessPolicy.load()).get("kept") is not None
    again.dispose()


@pytest.mark.postgres
def test_plain_postgresql_scheme_gets_the_psycopg_driver(postgres_url: str) -> None:
    engine = build_engine(postgres_url.replace("postgresql+psycopg://", "postgresql://", 1))
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


# --- users and tokens ---------------------------------------------------------------------------


def test_new_user_token_authenticates_as_that_user(users: UserDirectory) -> None:
    user, token = users.add_user("alice", ["rep", "manager"], groups=["emea"], slack_id="U1", email="A@X.io")
    assert token.startswith("sk_") and len(token) > 40
    found = users.authenticate(token)
    assert found == user
    assert found.roles == ("rep", "manager") and found.groups == ("emea",) and found.email == "a@x.io"
    principal = found.principal()
    assert (
        principal.user == "alice" and principal.roles == {"rep", "manager"} and principal.groups == {"emea"}
    )


def test_tokens_are_stored_hashed(users: UserDirectory, engine: Engine) -> None:
    _, token = users.add_user("alice", ["rep"])
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT token_hash, prefix FROM api_tokens")).all()
    assert len(stored) == 1 and token not in stored[0][0] and stored[0][1] == token[:8]


def test_unknown_role_is_refused_with_the_known_roles(users: UserDirectory) -> None:
    with pytest.raises(ValueError, match=r"unknown role 'wizard'.*rep"):
        users.add_user("bob", ["wizard"])
    with pytest.raises(ValueError, match="at least one role"):
        users.add_user("bob", [])
    assert users.list_users() == []


@pytest.mark.parametrize(
    ("field", "second"),
    [("name", {"name": "alice"}), ("slack", {"slack_id": "U1"}), ("wecom", {"wecom_id": "W1"})],
)
def test_duplicates_are_refused(users: UserDirectory, field: str, second: dict[str, str]) -> None:
    users.add_user("alice", ["rep"], slack_id="U1", wecom_id="W1")
    with pytest.raises(ValueError, match="already exists"):
        users.add_user(**{"name": "carol", "roles": ["rep"], **second})  # type: ignore[arg-type]
    assert [u.name for u in users.list_users()] == ["alice"]


def test_garbage_and_unknown_tokens_do_not_authenticate(users: UserDirectory) -> None:
    _, token = users.add_user("alice", ["rep"])
    for bad in ["", "sk_", "sk_nope", token + "x", token[:-1], token.upper()]:
        assert users.authenticate(bad) is None


def test_revoked_tokens_stop_working_and_new_ones_do(users: UserDirectory) -> None:
    _, first = users.add_user("alice", ["rep"])
    second = users.new_token("alice")
    assert users.authenticate(second) is not None
    assert users.revoke_tokens("alice") == 2
    assert users.authenticate(first) is None and users.authenticate(second) is None
    assert users.revoke_tokens("alice") == 0
    third = users.new_token("alice")
    assert users.authenticate(third).name == "alice"  # type: ignore[union-attr]


def test_disabled_user_loses_every_way_in(users: UserDirectory) -> None:
    _, token = users.add_user("alice", ["rep"], slack_id="U1", wecom_id="W1", email="a@x.io")
    users.disable("alice")
    assert users.authenticate(token) is None
    assert (
        users.by_slack_id("U1") is None
        and users.by_wecom_id("W1") is None
        and users.by_email("a@x.io") is None
    )
    shown = users.get("alice")
    assert shown is not None and shown.disabled
    with pytest.raises(AccessDenied):
        shown.principal()
    with pytest.raises(ValueError, match="disabled"):
        users.new_token("alice")


def test_chat_identities_resolve_and_link(users: UserDirectory) -> None:
    users.add_user("alice", ["rep"], email="Alice@Example.com")
    users.add_user("bob", ["support"], slack_id="U2")
    assert users.by_email("alice@example.COM").name == "alice"  # type: ignore[union-attr]
    assert users.by_slack_id("U9") is None
    users.link("alice", slack_id="U1", wecom_id="W1")
    assert users.by_slack_id("U1").name == "alice"  # type: ignore[union-attr]
    assert users.by_wecom_id("W1").name == "alice"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="already exists"):
        users.link("alice", slack_id="U2")
    with pytest.raises(ValueError, match="no such user"):
        users.link("nobody", slack_id="U3")
    assert users.by_slack_id("U2").name == "bob"  # type: ignore[union-attr]


# --- audit --------------------------------------------------------------------------------------


def test_audit_lists_newest_first_with_filters(engine: Engine) -> None:
    audit = AuditLog(engine)
    audit.record("alice", "api", "ask", "pricing?", ["d1", "d2"], answer_id="a1", extra={"ms": 12})
    audit.record("bob", "slack", "search", "case study", ["d3"])
    audit.record("alice", "web", "talk_tracks", "objections", [])
    entries = audit.list()
    assert [e.question for e in entries] == ["objections", "case study", "pricing?"]
    assert (
        entries[-1].doc_ids == ("d1", "d2")
        and entries[-1].extra == {"ms": 12}
        and entries[-1].answer_id == "a1"
    )
    assert [e.question for e in audit.list(user="alice")] == ["objections", "pricing?"]
    assert [e.user for e in audit.list(action="search")] == ["bob"]
    assert len(audit.list(limit=1)) == 1
    assert audit.list(since=datetime.now(UTC) + timedelta(minutes=1)) == []
    assert len(audit.list(since=datetime.now(UTC) - timedelta(minutes=1))) == 3
    with pytest.raises(ValueError, match="unknown channel"):
        audit.record("alice", "fax", "ask", "q", [])


def test_audit_log_is_append_only_even_in_raw_sql(engine: Engine) -> None:
    audit = AuditLog(engine)
    audit.record("alice", "api", "ask", "original question", ["d1"])
    assert not hasattr(audit, "update") and not hasattr(audit, "delete")
    for statement in ["UPDATE audit_log SET question = 'rewritten'", "DELETE FROM audit_log"]:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    assert [e.question for e in audit.list()] == ["original question"]


# --- answers and feedback -----------------------------------------------------------------------


def test_feedback_copies_the_answer_and_counts_per_document(engine: Engine) -> None:
    answers, feedback = AnswerStore(engine), FeedbackStore(engine)
    answers.save("a1", "alice", "pricing?", "It costs 10.", ["d1", "d2"], channel="slack")
    answers.save("a2", "bob", "security?", "SOC 2.", ["d2"], channel="api")
    answers.save("a3", "carol", "pricing?", "It costs 10.", ["d1", "d2"], channel="api")
    assert answers.get("a1").doc_ids == ("d1", "d2")  # type: ignore[union-attr]
    assert answers.get("missing") is None
    feedback.add("a1", "alice", "up", channel="slack")
    feedback.add("a3", "carol", "down", comment="outdated")
    with pytest.raises(ValueError, match="unknown answer id 'a1'"):  # only the asker rates an answer
        feedback.add("a1", "carol", "down")
    feedback.add("a2", "bob", "up")
    down = feedback.list(rating="down")
    assert len(down) == 1 and down[0].comment == "outdated"
    assert (down[0].question, down[0].answer, down[0].doc_ids) == ("pricing?", "It costs 10.", ("d1", "d2"))
    assert feedback.stats_by_doc() == {"d1": (1, 1), "d2": (2, 1)}


def test_latest_answer_per_user_and_channel_survives_restarts(engine: Engine) -> None:
    answers = AnswerStore(engine)
    for i in range(20):  # back to back, often within one tick of the clock
        answers.save(f"a{i}", "alice", f"q{i}", "a", [], channel="slack")
        assert answers.latest("alice", "slack").answer_id == f"a{i}"  # type: ignore[union-attr]
    answers.save("web", "alice", "q3", "a3", [], channel="web")
    again = AnswerStore(engine)  # a new process: nothing kept in memory
    assert again.latest("alice", "slack").answer_id == "a19"  # type: ignore[union-attr]
    assert again.latest("alice", "wecom") is None and again.latest("bob", "slack") is None


def test_voting_again_replaces_the_vote(engine: Engine) -> None:
    AnswerStore(engine).save("a1", "alice", "q", "a", ["d1"])
    feedback = FeedbackStore(engine)
    feedback.add("a1", "alice", "up")
    feedback.add("a1", "alice", "down", comment="changed my mind")
    assert feedback.stats_by_doc() == {"d1": (0, 1)}
    assert [f.comment for f in feedback.list()] == ["changed my mind"]


def test_feedback_rejects_unknown_answers_and_ratings(engine: Engine) -> None:
    feedback = FeedbackStore(engine)
    with pytest.raises(ValueError, match="unknown answer id 'nope'"):
        feedback.add("nope", "alice", "up")
    AnswerStore(engine).save("a1", "alice", "q", "a", [])
    with pytest.raises(ValueError, match="unknown rating"):
        feedback.add("a1", "alice", "meh")
    with pytest.raises(ValueError, match="already exists"):
        AnswerStore(engine).save("a1", "alice", "q", "a", [])
    assert feedback.list() == []


# --- channel policies ---------------------------------------------------------------------------


def test_channel_policy_defaults_to_public_and_can_be_raised(engine: Engine, policy: AccessPolicy) -> None:
    channels = ChannelPolicies(engine, policy)
    assert channels.get("slack", "C1") == ("public", frozenset())
    channels.set("slack", "C1", "confidential", ["emea", "apac"])
    channels.set("slack", "C1", "internal", ["emea"])
    assert channels.get("slack", "C1") == ("internal", frozenset({"emea"}))
    assert channels.get("wecom", "C1") == ("public", frozenset())
    with pytest.raises(ValueError, match="unknown access level"):
        channels.set("slack", "C2", "top-secret", [])
    with pytest.raises(ValueError, match="unknown platform"):
        channels.set("teams", "C2", "public", [])
    assert [(p.platform, p.channel_id) for p in channels.list()] == [("slack", "C1")]


# --- event ledger -------------------------------------------------------------------------------


def test_event_claimed_once_per_platform(engine: Engine) -> None:
    ledger = EventLedger(engine)
    assert ledger.claim("slack", "Ev1") is True
    assert ledger.claim("slack", "Ev1") is False
    assert ledger.claim("wecom", "Ev1") is True
    assert ledger.prune(timedelta(hours=1)) == 0
    assert ledger.prune(timedelta(seconds=-1)) == 2
    assert ledger.claim("slack", "Ev1") is True


def test_unfinished_claim_is_retaken_after_its_lease_and_a_finished_one_never(engine: Engine) -> None:
    ledger = EventLedger(engine)
    assert ledger.claim("slack", "Ev2") is True
    assert ledger.claim("slack", "Ev2") is False  # within the lease: the first worker is answering
    time.sleep(0.01)
    assert ledger.claim("slack", "Ev2", lease=timedelta(0)) is True  # that worker died
    ledger.finish("slack", "Ev2")
    time.sleep(0.01)
    assert ledger.claim("slack", "Ev2", lease=timedelta(0)) is False


def test_concurrent_claims_have_exactly_one_winner(engine: Engine) -> None:
    ledger, workers = EventLedger(engine), 12
    start = threading.Barrier(workers)

    def claim(_: int) -> bool:
        start.wait()
        return ledger.claim("slack", "retry-storm")

    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(claim, range(workers)))
    assert results.count(True) == 1
