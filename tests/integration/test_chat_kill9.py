"""Break 5: `kill -9` of a real `assistant serve` at each step of a chat reply; the next process
delivers every part exactly once (against the local fake Slack and WeCom Web APIs).

The steps: after receipt (answering), after answering (a part in flight that never arrived, or that
did arrive), after part 1 of a 2-part reply was delivered. A short lease and re-lease interval
(settings) let the restarted process take the work over within seconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from assistant.db import EventLedger, build_engine
from assistant.db.events import DELIVERED, SENDING
from assistant.db.models import AnswerRow, ProcessedEventRow
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.wecom_api import FakeWeComApi
from tests.integration.channels_env import CORP_ID, SECRET, WECOM_SECRET
from tests.integration.chat_processes import Served, seed_data_dir, wait_for

PRICE = "What is the Nimbus list price?"
DISCOUNT = "What Nimbus discount can we give a retail store?"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_data_dir(tmp_path_factory.mktemp("kill9"))


@pytest.fixture
def slack() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as fake:
        yield fake


def _db(home: Path) -> Engine:
    return build_engine(f"sqlite:///{home / 'data' / 'assistant.db'}")


def _state(db: Engine, key: str) -> str | None:
    with db.connect() as conn:
        return conn.scalar(select(ProcessedEventRow.state).where(ProcessedEventRow.event_key == key))


def _answers(db: Engine) -> list[str]:
    with db.connect() as conn:
        return list(conn.scalars(select(AnswerRow.answer_id)))


def _button_answer_id(post: dict[str, object]) -> str:
    blocks = post["blocks"]
    assert isinstance(blocks, list)
    actions = [b for b in blocks if b["type"] == "actions"]
    return str(actions[0]["elements"][0]["value"])


def test_kill_9_after_receipt_then_restart_answers_exactly_once(
    seeded: Path, slack: FakeSlackApi, tmp_path: Path
) -> None:
    release = slack.hold("users.info")  # the answer stops while identifying the asker
    first = Served(seeded, tmp_path, slack)
    event_id = f"Ev{uuid.uuid4().hex[:10]}"
    db = _db(tmp_path)
    try:
        assert first.slack_dm(PRICE, event_id, user="UNOBODY", channel="DNOBODY") == 200  # acked
        assert wait_for(lambda: "users.info" in slack.held, 60)
        assert _state(db, event_id) == "received"
    finally:
        first.kill_9()
    release.set()
    assert slack.calls_to("chat.postMessage") == []
    second = Served(seeded, tmp_path, slack)
    try:
        assert wait_for(lambda: _state(db, event_id) == DELIVERED, 60), second.log.read_text()[-2000:]
        assert second.slack_dm(PRICE, event_id, user="UNOBODY", channel="DNOBODY") == 200  # Slack's retry
        replies = slack.calls_to("chat.postMessage")
        assert len(replies) == 1 and replies[0]["channel"] == "DNOBODY"
        assert "Nimbus" in replies[0]["text"]
    finally:
        second.stop()
        db.dispose()


@pytest.mark.parametrize("arrived", [False, True], ids=["post-lost", "post-arrived"])
def test_kill_9_after_answering_delivers_the_stored_reply_once(
    seeded: Path, slack: FakeSlackApi, tmp_path: Path, arrived: bool
) -> None:
    release = slack.hold("chat.postMessage", drop=not arrived)  # the reply is on its way
    first = Served(seeded, tmp_path, slack)
    event_id = f"Ev{uuid.uuid4().hex[:10]}"
    db = _db(tmp_path)
    try:
        assert first.slack_dm(PRICE, event_id) == 200
        assert wait_for(lambda: "chat.postMessage" in slack.held, 60)
        assert _state(db, event_id) == "answered"
        assert [p.state for p in EventLedger(db).parts("slack", event_id) or []] == [SENDING]
        first.kill_9()
        release.set()  # the request in flight is lost, or reaches Slack just after the crash
        assert wait_for(lambda: len(slack.calls_to("chat.postMessage")) == int(arrived), 10)
        second = Served(seeded, tmp_path, slack)
        try:
            assert wait_for(lambda: _state(db, event_id) == DELIVERED, 60), second.log.read_text()[-2000:]
        finally:
            second.stop()
        replies = slack.calls_to("chat.postMessage")
        assert len(replies) == 1 and "Nimbus" in replies[0]["text"]
        # The reply the first process answered and stored, not a second answer computed again.
        assert _answers(db) == [_button_answer_id(replies[0])]
        looked = slack.calls_to("conversations.history")
        assert looked and looked[0]["include_all_metadata"] in ("1", "true")
    finally:
        first.stop()
        db.dispose()


def test_kill_9_after_part_1_of_2_on_slack_posts_only_part_2(
    seeded: Path, slack: FakeSlackApi, tmp_path: Path
) -> None:
    # A manager's channel question: the channel-safe answer in the thread, the fuller one privately.
    release = slack.hold("chat.postEphemeral", drop=True)
    first = Served(seeded, tmp_path, slack)
    event_id = f"Ev{uuid.uuid4().hex[:10]}"
    db = _db(tmp_path)
    try:
        assert first.slack_mention(DISCOUNT, event_id) == 200
        assert wait_for(lambda: "chat.postEphemeral" in slack.held, 60)
        assert len(slack.calls_to("chat.postMessage")) == 1
        first.kill_9()
        release.set()
        second = Served(seeded, tmp_path, slack)
        try:
            assert wait_for(lambda: _state(db, event_id) == DELIVERED, 60), second.log.read_text()[-2000:]
        finally:
            second.stop()
        public, private = slack.calls_to("chat.postMessage"), slack.calls_to("chat.postEphemeral")
        assert len(public) == 1 and SECRET not in str(public)
        assert len(private) == 1 and private[0]["user"] == "UMGR" and SECRET in str(private)
        assert len(_answers(db)) == 2  # the channel-safe and the full answer, each computed once
    finally:
        first.stop()
        db.dispose()


def test_kill_9_after_part_1_of_2_on_wecom_delivers_each_part_once(
    seeded: Path, slack: FakeSlackApi, tmp_path: Path
) -> None:
    with FakeWeComApi(CORP_ID, WECOM_SECRET) as wecom:
        # Part 2 (sources) reaches WeCom just as the process dies, before it could record that.
        release = wecom.hold("message/send", after=1)
        first = Served(seeded, tmp_path, slack, wecom)
        msg_id = str(uuid.uuid4().int % 10**18)
        db = _db(tmp_path)
        try:
            assert first.wecom_dm(PRICE, msg_id=msg_id) == 200
            assert wait_for(lambda: "message/send" in wecom.held, 60)
            first.kill_9()
            release.set()
            assert wait_for(lambda: len(wecom.sent) == 2, 10)
            second = Served(seeded, tmp_path, slack, wecom)
            try:
                assert wait_for(lambda: _state(db, msg_id) == DELIVERED, 60), second.log.read_text()[-2000:]
            finally:
                second.stop()
            delivered = [m["text"]["content"] for m in wecom.sent if m.get("touser") == "mia"]
            assert len(delivered) == 2 and len(set(delivered)) == 2 and "Nimbus" in delivered[0]
            tried = [m["text"]["content"] for m in wecom.attempts]
            # Part 1 was recorded as delivered: never sent again. Part 2 was in flight: sent again with
            # WeCom's duplicate check on, and WeCom dropped the repeat.
            assert tried.count(delivered[0]) == 1 and tried.count(delivered[1]) == 2
            assert all(m.get("enable_duplicate_check") == 1 for m in wecom.attempts)
        finally:
            first.stop()
            db.dispose()
