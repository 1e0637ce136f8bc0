"""/kb, talk / followup commands, feedback buttons and "Share in channel"."""

from __future__ import annotations

from typing import Any

from assistant.access import Principal
from assistant.channels.slack.blocks import FEEDBACK_UP, SHARE
from tests.integration.channels_env import SECRET, ChannelEnv, channel_env, env

__all__ = ["channel_env", "env"]

QUESTION = "What Nimbus discount can we give a retail store?"


def _buttons(call: dict[str, Any]) -> dict[str, str]:
    return {
        e["action_id"]: e["value"] for b in call["blocks"] if b["type"] == "actions" for e in b["elements"]
    }


def test_slash_command_answers_privately_with_the_askers_access(channel_env: ChannelEnv) -> None:
    response = channel_env.slash(QUESTION, user="UMGR", channel="CSALES")
    assert response.status_code == 200 and response.text == ""  # acked; the answer follows
    channel_env.drain()
    [reply] = channel_env.slack.calls_to("response_url")
    assert reply["response_type"] == "ephemeral" and SECRET in reply["text"]
    assert channel_env.slack.calls_to("chat.postMessage") == []
    assert _buttons(reply)[SHARE] == QUESTION


def test_share_in_channel_posts_only_the_channel_safe_version(channel_env: ChannelEnv) -> None:
    response = channel_env.click(SHARE, QUESTION, user="UMGR", channel="CSALES")
    assert response.status_code == 200
    channel_env.drain()
    [shared] = channel_env.slack.calls_to("chat.postMessage")
    assert shared["channel"] == "CSALES" and "Shared by <@UMGR>" in str(shared["blocks"])
    assert "Nimbus" in shared["text"] and SECRET not in str(shared)
    [told] = channel_env.slack.calls_to("response_url")
    assert "channel-safe version" in told["text"]


def test_thumbs_up_is_stored_as_feedback(channel_env: ChannelEnv) -> None:
    channel_env.dm(QUESTION, user="UREP", channel="DREP")
    channel_env.drain()
    answer_id = _buttons(channel_env.slack.calls_to("chat.postMessage")[0])[FEEDBACK_UP]
    assert channel_env.click(FEEDBACK_UP, answer_id, user="UREP", channel="DREP").status_code == 200
    channel_env.drain()
    votes = [f for f in channel_env.services.feedback.list() if f.answer_id == answer_id]
    assert [(v.user, v.rating, v.channel) for v in votes] == [("ravi", "up", "slack")]
    assert "feedback" in channel_env.slack.calls_to("response_url")[0]["text"]


def test_down_command_rates_the_last_answer(channel_env: ChannelEnv) -> None:
    channel_env.dm(QUESTION, user="UMGR", channel="DMGR")
    channel_env.drain()
    answer_id = _buttons(channel_env.slack.calls_to("chat.postMessage")[0])[FEEDBACK_UP]
    channel_env.dm("down it missed the yearly price", user="UMGR", channel="DMGR")
    channel_env.drain()
    votes = [f for f in channel_env.services.feedback.list() if f.answer_id == answer_id]
    assert [(v.user, v.rating, v.comment) for v in votes] == [("mia", "down", "it missed the yearly price")]
    # The 👎 reached the curators' review queue with its comment and channel.
    queue = channel_env.services.review.list(Principal.of("curator", ["admin"]), kind="feedback_down")
    [item] = [i for i in queue if answer_id in {a["answer_id"] for a in i["answers"]}]
    assert item["comments"] == ["it missed the yearly price"]
    assert {"user": "mia", "roles": ["manager"], "channel": "slack"} in item["askers"]


def test_talk_command_returns_talk_tracks(channel_env: ChannelEnv) -> None:
    channel_env.dm("talk customer says Nimbus is too expensive", user="UREP", channel="DREP")
    channel_env.drain()
    [reply] = channel_env.slack.calls_to("chat.postMessage")
    assert "one lost day of store sales" in reply["text"]
    assert "Nimbus price objection talk track" in str(reply["blocks"])


def test_followup_command_drafts_a_message(channel_env: ChannelEnv) -> None:
    channel_env.dm(
        "followup Acme Stores / Ms. Chen: they asked about the Nimbus yearly discount. Boss is difficult.",
        user="UREP",
        channel="DREP",
    )
    channel_env.drain()
    [reply] = channel_env.slack.calls_to("chat.postMessage")
    assert reply["text"].startswith("Dear Ms. Chen,")
    assert "yearly discount" not in reply["text"] and "difficult" not in reply["text"]


def test_followup_without_notes_explains_the_usage(channel_env: ChannelEnv) -> None:
    channel_env.dm("followup Acme Stores", user="UREP", channel="DREP")
    channel_env.drain()
    [reply] = channel_env.slack.calls_to("chat.postMessage")
    assert "followup <customer>[ / <contact>]: <meeting notes>" in reply["text"]
