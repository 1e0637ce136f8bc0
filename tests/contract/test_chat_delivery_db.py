"""Durable chat delivery in the database, the same on SQLite and PostgreSQL: event states, stored reply
parts with idempotency keys, per-part states, leases renewed by progress."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import Engine, select, update

from assistant.db import EventLedger
from assistant.db.events import DELIVERED, FAILED, PENDING, SENDING
from assistant.db.models import ProcessedEventRow, utcnow

MESSAGE = {"text": "What is the Nimbus list price?"}


def _state(engine: Engine, key: str) -> str:
    with engine.connect() as conn:
        return str(conn.scalar(select(ProcessedEventRow.state).where(ProcessedEventRow.event_key == key)))


def _age(engine: Engine, key: str, by: timedelta) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(ProcessedEventRow).where(ProcessedEventRow.event_key == key).values(at=utcnow() - by)
        )


def test_an_event_goes_received_answered_delivered_with_its_parts_stored(engine: Engine) -> None:
    ledger = EventLedger(engine)
    assert ledger.claim("slack", "Ev1", message=MESSAGE)
    assert _state(engine, "Ev1") == "received" and ledger.parts("slack", "Ev1") is None
    replies = [[[False, "public answer", [{"type": "section"}]]], [[True, "private 1", []], [True, "2", []]]]
    parts = ledger.answered("slack", "Ev1", replies)
    assert _state(engine, "Ev1") == "answered"
    assert [(p.key, p.n, p.reply, p.state) for p in parts] == [
        ("slack:Ev1:0", 0, 0, PENDING),
        ("slack:Ev1:1", 1, 1, PENDING),
        ("slack:Ev1:2", 2, 1, PENDING),
    ]
    assert [p.body for p in parts] == [b for reply in replies for b in reply]  # JSON round trip
    assert ledger.parts("slack", "Ev1") == parts
    ledger.finish("slack", "Ev1")
    assert _state(engine, "Ev1") == "delivered"


def test_an_event_answered_with_nothing_to_send_is_answered_not_received(engine: Engine) -> None:
    ledger = EventLedger(engine)
    ledger.claim("wecom", "m1", message=MESSAGE)
    assert ledger.answered("wecom", "m1", []) == []
    assert ledger.parts("wecom", "m1") == []


def test_two_workers_answering_at_once_store_one_set_of_parts(engine: Engine) -> None:
    ledger, workers = EventLedger(engine), 6
    ledger.claim("slack", "race", message=MESSAGE)
    start = threading.Barrier(workers)

    def answer(n: int) -> list[str]:
        start.wait()
        return [p.body for p in ledger.answered("slack", "race", [[f"worker {n} a", f"worker {n} b"]])]

    with ThreadPoolExecutor(workers) as pool:
        stored = list(pool.map(answer, range(workers)))
    assert len(stored[0]) == 2 and all(s == stored[0] for s in stored)  # the first writer's text wins
    assert ledger.parts("slack", "race") is not None and len(ledger.parts("slack", "race") or []) == 2


def test_a_part_is_started_by_one_worker_and_its_end_is_recorded(engine: Engine) -> None:
    ledger = EventLedger(engine)
    ledger.claim("wecom", "m2", message=MESSAGE)
    ledger.answered("wecom", "m2", [["one", "two"], ["three"]])
    assert ledger.start_part("wecom", "m2", 0, seen=PENDING)
    assert not ledger.start_part("wecom", "m2", 0, seen=PENDING)  # someone else moved it on
    assert ledger.start_part("wecom", "m2", 0, seen=SENDING)  # taken over after a crash mid-post
    ledger.end_part("wecom", "m2", 0, DELIVERED)
    ledger.start_part("wecom", "m2", 2, seen=PENDING)
    ledger.end_part("wecom", "m2", 2, FAILED)
    assert [p.state for p in ledger.parts("wecom", "m2") or []] == [DELIVERED, PENDING, FAILED]


def test_posting_a_part_renews_the_lease_and_only_a_stalled_event_is_taken_over(engine: Engine) -> None:
    ledger = EventLedger(engine, lease=timedelta(minutes=2))
    for key in ("busy", "stalled", "done"):
        ledger.claim("slack", key, message={**MESSAGE, "key": key})
        ledger.answered("slack", key, [["part"]])
        _age(engine, key, timedelta(minutes=3))
    ledger.start_part("slack", "busy", 0, seen=PENDING)  # progress: its worker is alive
    ledger.finish("slack", "done")
    assert [m["key"] for m in ledger.unfinished("slack")] == ["stalled"]
    assert ledger.unfinished("slack") == []  # taken over: the new lease runs from now
    assert ledger.parts("slack", "stalled") is not None  # the answer is kept, not recomputed


def test_release_and_prune_forget_the_parts_too(engine: Engine) -> None:
    ledger = EventLedger(engine)
    for key in ("gone", "old"):
        ledger.claim("slack", key, message=MESSAGE)
        ledger.answered("slack", key, [["text"]])
    ledger.release("slack", "gone")
    assert ledger.parts("slack", "gone") is None
    assert ledger.prune(timedelta(seconds=-1)) == 1
    assert ledger.parts("slack", "old") is None
    ledger.claim("slack", "old", message=MESSAGE)  # a key seen again long after starts afresh
    assert ledger.parts("slack", "old") is None
