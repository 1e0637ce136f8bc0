"""Break 5 (part): a claim whose answer never finished (the process died) does not swallow the retries.

A crash after the ack and before the reply leaves the event claimed but unfinished. Once its lease
has run out, the platform's next retry is answered; a finished event stays a duplicate forever.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from assistant.api import create_app
from assistant.channels.base import RetryPolicy
from assistant.channels.messages import IncomingMessage
from assistant.db.events import CHAT_LEASE
from assistant.db.models import AnswerRow, ProcessedEventRow, utcnow
from tests.integration.channels_env import ChannelEnv, channel_env, env

__all__ = ["channel_env", "env"]

QUESTION = "What is the Nimbus list price?"


def _age_claim(env: ChannelEnv, key: str, by: timedelta) -> None:
    with env.services.db.begin() as conn:
        conn.execute(
            update(ProcessedEventRow).where(ProcessedEventRow.event_key == key).values(at=utcnow() - by)
        )


def _answers(env: ChannelEnv) -> int:
    env.drain()
    return len(env.slack.calls_to("chat.postMessage"))


def test_retry_after_a_crash_mid_answer_is_answered(channel_env: ChannelEnv) -> None:
    event_id = f"Ev{uuid.uuid4().hex[:10]}"
    # The process that acked this event died before replying: its claim is there, unfinished.
    assert channel_env.services.events.claim("slack", event_id)
    assert channel_env.dm(QUESTION, event_id=event_id, **{"X-Slack-Retry-Num": "1"}).status_code == 200
    assert _answers(channel_env) == 0  # within the lease: the first worker may still be answering
    _age_claim(channel_env, event_id, CHAT_LEASE + timedelta(seconds=1))
    assert channel_env.dm(QUESTION, event_id=event_id, **{"X-Slack-Retry-Num": "2"}).status_code == 200
    assert _answers(channel_env) == 1


def test_a_finished_event_stays_a_duplicate(channel_env: ChannelEnv) -> None:
    event_id = f"Ev{uuid.uuid4().hex[:10]}"
    channel_env.dm(QUESTION, event_id=event_id)
    assert _answers(channel_env) == 1
    _age_claim(channel_env, event_id, CHAT_LEASE + timedelta(seconds=1))
    channel_env.dm(QUESTION, event_id=event_id, **{"X-Slack-Retry-Num": "3"})
    assert _answers(channel_env) == 1


def test_a_restarted_service_answers_what_a_dead_one_left(channel_env: ChannelEnv) -> None:
    key = f"wecom-{uuid.uuid4().hex[:10]}"
    left = IncomingMessage("wecom", key, "mia", "mia", QUESTION, is_direct=True)
    # The process that acked this WeCom message was killed before replying (WeCom will not retry).
    assert channel_env.services.events.claim("wecom", key, message=asdict(left))
    _age_claim(channel_env, key, CHAT_LEASE + timedelta(seconds=1))
    services = channel_env.services
    retry = RetryPolicy(delays=(), sleep=lambda _s: None)
    with TestClient(create_app(services.settings, services, channel_retry=retry)) as restarted:
        for channel in restarted.app.state.channels.values():  # type: ignore[attr-defined]
            channel.drain(timeout=60)
    replies = [m for m in channel_env.wecom.sent if m.get("touser") == "mia"]
    assert replies and "Nimbus" in replies[0]["text"]["content"]
    # Answered once: it is finished now, so neither a retry nor another restart repeats it.
    _age_claim(channel_env, key, CHAT_LEASE + timedelta(seconds=1))
    assert services.events.unfinished("wecom") == []


def test_a_taken_over_answer_posts_only_its_parts_not_yet_delivered(channel_env: ChannelEnv) -> None:
    key = f"wecom-{uuid.uuid4().hex[:10]}"
    events = channel_env.services.events
    left = IncomingMessage("wecom", key, "mia", "mia", QUESTION, is_direct=True)
    # A dead process answered (its reply stored) and delivered part 1 of 2 before it was killed.
    assert events.claim("wecom", key, message=asdict(left))
    events.answered("wecom", key, [[[True, "stored part one"], [True, "stored part two"]]])
    assert events.start_part("wecom", key, 0, seen="pending")
    events.end_part("wecom", key, 0, "delivered")
    _age_claim(channel_env, key, CHAT_LEASE + timedelta(seconds=1))
    with channel_env.services.db.connect() as conn:
        answers_before = conn.scalar(select(func.count()).select_from(AnswerRow))
    assert channel_env.channels["wecom"].resume() == 1
    channel_env.drain()
    assert [m["text"]["content"] for m in channel_env.wecom.sent] == ["stored part two"]
    with channel_env.services.db.connect() as conn:  # the stored reply went out: nothing answered again
        assert conn.scalar(select(func.count()).select_from(AnswerRow)) == answers_before
    assert events.unfinished("wecom", lease=timedelta(0)) == []
