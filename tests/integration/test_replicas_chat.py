"""Many replicas: two live `assistant serve` processes on one database (each with its own embedded
index of the same KB). One is killed with `kill -9` mid-answer; the other, never restarted, finishes
that chat through its periodic re-lease, exactly once, and treats Slack's retry as a duplicate."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select

from assistant.db import build_engine
from assistant.db.events import DELIVERED
from assistant.db.models import ProcessedEventRow
from tests.fakes.slack_api import FakeSlackApi
from tests.integration.chat_processes import Served, seed_data_dir, wait_for


def test_a_live_replica_finishes_the_chat_a_killed_one_left(database_url: str, tmp_path: Path) -> None:
    seeded = seed_data_dir(tmp_path, database_url)
    db = build_engine(database_url)
    event_id = f"Ev{uuid.uuid4().hex[:10]}"

    def state() -> str | None:
        with db.connect() as conn:
            return conn.scalar(select(ProcessedEventRow.state).where(ProcessedEventRow.event_key == event_id))

    with FakeSlackApi() as slack, ThreadPoolExecutor(2) as pool:
        homes = [tmp_path / "a", tmp_path / "b"]
        for home in homes:
            home.mkdir()
        a, b = pool.map(lambda home: Served(seeded, home, slack, database_url=database_url), homes)
        try:
            release = slack.hold("users.info")  # replica A stops while identifying the asker
            assert a.slack_dm("What is the Nimbus list price?", event_id, user="UNOBODY", channel="DX") == 200
            assert wait_for(lambda: "users.info" in slack.held, 60)
            a.kill_9()
            release.set()
            assert wait_for(lambda: state() == DELIVERED, 60), b.log.read_text()[-2000:]
            assert b.slack_dm("What is the Nimbus list price?", event_id, user="UNOBODY", channel="DX") == 200
            replies = slack.calls_to("chat.postMessage")
            assert len(replies) == 1 and replies[0]["channel"] == "DX" and "Nimbus" in replies[0]["text"]
            assert "taking over 1 message" in b.log.read_text()  # B did it, without a restart
        finally:
            a.stop()
            b.stop()
            db.dispose()
