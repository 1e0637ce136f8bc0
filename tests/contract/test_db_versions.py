"""Document version history on both databases (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from assistant.db import DocumentVersion, EventLedger, VersionStore, build_engine
from assistant.db.models import utcnow


@pytest.fixture
def store(database_url: str) -> Iterator[VersionStore]:
    engine: Engine = build_engine(database_url)
    yield VersionStore(engine)
    engine.dispose()


def version(number: int, state: str = "live", text: str = "正文", by: str = "alice") -> DocumentVersion:
    return DocumentVersion(
        doc_id="doc1",
        number=number,
        state=state,
        action="ingest",
        content_hash=f"h{number}",
        source="price.md",
        title="报价说明",
        access={"access_level": "internal", "groups": ["*"]},
        submitted_by=by,
        created_at=utcnow(),
        chunks=2,
        diff_summary="+1 −0 lines: 正文",
        text=text,
    )


def test_a_new_live_version_supersedes_the_previous_one(store: VersionStore) -> None:
    assert store.next_number("doc1") == 1
    store.add(version(1, text="第一版"))
    store.add(version(2, text="第二版"))
    assert store.next_number("doc1") == 3
    assert [(v.number, v.state) for v in store.history("doc1")] == [(2, "live"), (1, "superseded")]
    current = store.current("doc1")
    assert current is not None and current.text == "第二版" and current.access["groups"] == ["*"]
    assert store.get("doc1", 1) is not None and store.get("doc1", 9) is None


def test_review_keeps_the_live_version_until_approved(store: VersionStore) -> None:
    store.add(version(1))
    store.add(version(2, "pending_review", by="bob"))
    assert [v.number for v in store.pending()] == [2]
    assert store.current("doc1").number == 1  # type: ignore[union-attr]
    store.review("doc1", 2, True, "carol", None)
    approved = store.get("doc1", 2)
    assert approved is not None and approved.state == "live" and approved.reviewed_by == "carol"
    assert approved.reviewed_at is not None and store.get("doc1", 1).state == "superseded"  # type: ignore[union-attr]
    assert store.pending() == []


def test_rejection_records_the_reason(store: VersionStore) -> None:
    store.add(version(1))
    store.add(version(2, "pending_review"))
    store.review("doc1", 2, False, "carol", "价格写错了")
    rejected = store.get("doc1", 2)
    assert rejected is not None and (rejected.state, rejected.review_note) == ("rejected", "价格写错了")
    assert store.current("doc1").number == 1  # type: ignore[union-attr]


def test_a_newer_draft_replaces_one_still_waiting(store: VersionStore) -> None:
    store.add(version(1, "pending_review"))
    store.add(version(2, "pending_review"))
    assert [v.number for v in store.pending()] == [2]


def test_version_numbers_are_unique_per_document(store: VersionStore) -> None:
    store.add(version(1))
    with pytest.raises(IntegrityError):
        store.add(version(1))


def test_unknown_state_is_refused(store: VersionStore) -> None:
    with pytest.raises(ValueError, match="state"):
        store.add(version(1, "published"))


def test_a_released_claim_can_be_claimed_again(database_url: str) -> None:
    engine = build_engine(database_url)
    ledger = EventLedger(engine)
    assert ledger.claim("digest", "rep/2026-11-23") and not ledger.claim("digest", "rep/2026-11-23")
    ledger.release("digest", "rep/2026-11-23")
    assert ledger.claim("digest", "rep/2026-11-23")
    engine.dispose()
