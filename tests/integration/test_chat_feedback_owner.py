"""Break 4: over chat, only the asker may rate an answer (the HTTP API's rule, in the shared store)."""

from __future__ import annotations

from typing import Any

from assistant.channels.slack.blocks import FEEDBACK_DOWN, FEEDBACK_UP
from tests.integration.channels_env import SECRET, ChannelEnv, channel_env, env

__all__ = ["channel_env", "env"]

QUESTION = "What Nimbus special discount can managers approve?"


def _managers_answer(env: ChannelEnv) -> str:
    env.dm(QUESTION, user="UMGR", channel="DMGR")
    env.drain()
    [reply] = env.slack.calls_to("chat.postMessage")
    assert SECRET in str(reply["blocks"])  # the manager's answer quotes the confidential policy
    buttons = {
        e["action_id"]: e["value"] for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]
    }
    env.slack.reset()
    return buttons[FEEDBACK_UP]


def _votes(env: ChannelEnv, answer_id: str) -> list[Any]:
    return [f for f in env.services.feedback.list() if f.answer_id == answer_id]


def test_typed_vote_on_someone_elses_answer_is_refused(channel_env: ChannelEnv) -> None:
    answer_id = _managers_answer(channel_env)
    channel_env.dm(f"down {answer_id} too generous", user="UREP", channel="DREP")
    channel_env.drain()
    assert _votes(channel_env, answer_id) == []
    [reply] = channel_env.slack.calls_to("chat.postMessage")
    assert reply["channel"] == "DREP" and "unknown answer" in reply["text"]
    assert SECRET not in str(reply)


def test_crafted_button_value_is_refused(channel_env: ChannelEnv) -> None:
    answer_id = _managers_answer(channel_env)
    assert channel_env.click(FEEDBACK_DOWN, answer_id, user="UREP", channel="DREP").status_code == 200
    channel_env.drain()
    assert _votes(channel_env, answer_id) == []
    assert "unknown answer" in channel_env.slack.calls_to("response_url")[0]["text"]


def test_wecom_vote_on_someone_elses_answer_is_refused(channel_env: ChannelEnv) -> None:
    answer_id = _managers_answer(channel_env)
    channel_env.wecom_message(f"down {answer_id}", user="ravi")
    channel_env.drain()
    assert _votes(channel_env, answer_id) == []
    assert any("unknown answer" in m["text"]["content"] for m in channel_env.wecom.sent)


def test_the_asker_may_still_vote(channel_env: ChannelEnv) -> None:
    answer_id = _managers_answer(channel_env)
    channel_env.dm(f"up {answer_id}", user="UMGR", channel="DMGR")
    channel_env.drain()
    assert [(v.user, v.rating) for v in _votes(channel_env, answer_id)] == [("mia", "up")]
