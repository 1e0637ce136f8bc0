"""Curated answers and the review queue behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from assistant.db.curated import CuratedDraft, CuratedStore, ReviewConflict
from assistant.db.models import utcnow
from assistant.db.review import ReviewStore, Signal


def _draft(answer: str) -> CuratedDraft:
    return CuratedDraft("试用多久？", answer, ("doc-1",), "internal", ("east",))


def test_versions_share_a_root_and_approval_supersedes_the_live_one(engine: Engine) -> None:
    store = CuratedStore(engine)
    v1 = store.add(_draft("30 天"), "alice")
    assert (v1.root_id, v1.version, v1.state) == (v1.id, 1, "pending_review")
    store.decide(v1.id, "bob", approve=True)
    v2 = store.add(_draft("45 天"), "alice", root_id=v1.root_id)
    assert (v2.root_id, v2.version) == (v1.id, 2)
    assert store.get(v1.id).state == "approved"  # type: ignore[union-attr]  # live while v2 waits
    approved = store.decide(v2.id, "carol", approve=True)
    assert approved.reviewer == "carol" and approved.reviewed_at is not None
    assert [(c.version, c.state) for c in store.list()] == [(2, "approved"), (1, "superseded")]
    with pytest.raises(ReviewConflict):
        store.decide(v2.id, "bob", approve=False, reason="late")
    with pytest.raises(LookupError):
        store.decide(9999, "bob", approve=True)
    stale = store.add(_draft("60 天"), "alice", root_id=v1.root_id)
    newer = store.add(_draft("90 天"), "alice", root_id=v1.root_id)
    store.decide(newer.id, "bob", approve=True)
    with pytest.raises(ReviewConflict, match="already live"):
        store.decide(stale.id, "bob", approve=True)  # an older edit never replaces a newer live version


def test_live_count_follows_approval_and_retirement(engine: Engine) -> None:
    store = CuratedStore(engine)
    first = store.add(_draft("30 天"), "alice")
    assert store.live_count() == 0  # pending is not live
    store.decide(first.id, "bob", approve=True)
    edit = store.add(_draft("45 天"), "alice", root_id=first.root_id)
    store.decide(edit.id, "bob", approve=True)
    assert store.live_count() == 1  # the superseded version is not counted
    retired = store.retire(edit.id, "carol")
    assert (retired.state, retired.reason, retired.reviewer) == ("retired", "retired by carol", "bob")
    assert store.live_count() == 0
    with pytest.raises(ReviewConflict):
        store.retire(edit.id, "carol")
    with pytest.raises(LookupError):
        store.retire(9999, "carol")


def test_signals_grow_an_item_and_count_each_answer_once(engine: Engine) -> None:
    store = ReviewStore(engine)
    first = Signal("not_found", "年会在哪？", "rep", ("rep",), "api", answer_id="a1")
    item = store.add_signal(first, None, [0.1, 0.2], ["east"])
    vote = Signal("feedback_down", "年会在哪？", "rep", ("rep",), "slack", answer_id="a1", comment="没答上")
    item = store.add_signal(vote, item.id, [0.1, 0.2], ["east"])
    again = Signal("not_found", "年会在哪里办？", "rep2", ("rep",), "api", answer_id="a2")
    item = store.add_signal(again, item.id, [0.3, 0.1], ["east"])
    assert (item.count, item.kinds, item.groups) == (2, ("not_found", "feedback_down"), ("east",))
    assert item.signals == () and [s.comment for s in store.require(item.id).signals] == [
        None,
        "没答上",
        None,
    ]
    assert store.unanswered(item.id) == 2  # a1 and a2: the 👎 on a1 is not another answer
    assert store.active() == [(item.id, ("east",))]
    assert store.vectors([item.id]) == {item.id: [0.1, 0.2]}
    closed = store.update(item.id, {"by": "c", "text": "gap"}, state="resolved", resolution="content_gap")
    assert closed.notes == ({"by": "c", "text": "gap"},) and store.active() == []
    assert [i.id for i in store.items("resolved")] == [item.id]


def test_items_since_keeps_only_items_touched_since_then(engine: Engine) -> None:
    store = ReviewStore(engine)
    old = store.add_signal(Signal("not_found", "年会在哪？", "rep", ("rep",), "api"), None, [0.1], [])
    cutoff = utcnow()
    new = store.add_signal(Signal("not_found", "发票怎么开？", "rep", ("rep",), "api"), None, [0.2], [])
    assert [i.id for i in store.items("open", since=cutoff)] == [new.id]
    store.add_signal(Signal("feedback_down", "年会在哪？", "rep2", ("rep",), "slack"), old.id, [0.1], [])
    assert sorted(i.id for i in store.items("open", since=cutoff)) == sorted([old.id, new.id])
