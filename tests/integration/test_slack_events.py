"""Slack over HTTP: signed events in, answers out to a local fake Web API; group-chat safety."""

from __future__ import annotations

import time
import uuid

from tests.integration.channels_env import SECRET, ChannelEnv, channel_env, env

__all__ = ["channel_env", "env"]

QUESTION = "What Nimbus discount can we give a retail store?"


def _texts(calls: list[dict[str, object]]) -> str:
    return "\n".join(str(c.get("text", "")) + str(c.get("blocks", "")) for c in calls)


def test_channel_mention_keeps_confidential_content_out_of_the_channel(channel_env: ChannelEnv) -> None:
    response = channel_env.mention(QUESTION, user="UMGR", channel="CSALES")
    assert response.status_code == 200
    channel_env.drain()
    public = channel_env.slack.calls_to("chat.postMessage")
    private = channel_env.slack.calls_to("chat.postEphemeral")
    assert len(public) == 1 and public[0]["channel"] == "CSALES" and public[0]["thread_ts"]
    assert "Nimbus" in _texts(public) and SECRET not in _texts(public)
    # The manager may see more: the fuller answer goes only to them, with a note saying so.
    assert len(private) == 1 and private[0]["user"] == "UMGR" and private[0]["channel"] == "CSALES"
    assert SECRET in _texts(private) and "not posted in the channel" in _texts(private)


def test_rep_in_a_channel_gets_no_private_extra(channel_env: ChannelEnv) -> None:
    channel_env.mention(QUESTION, user="UREP")
    channel_env.drain()
    assert len(channel_env.slack.calls_to("chat.postMessage")) == 1
    assert channel_env.slack.calls_to("chat.postEphemeral") == []
    assert SECRET not in _texts(channel_env.slack.calls_to("chat.postMessage"))


def test_channel_cleared_for_confidential_gets_it_in_the_channel(channel_env: ChannelEnv) -> None:
    channel_env.services.channel_policies.set("slack", "CLEADS", "confidential")
    channel_env.mention(QUESTION, user="UMGR", channel="CLEADS")
    channel_env.drain()
    assert SECRET in _texts(channel_env.slack.calls_to("chat.postMessage"))
    assert channel_env.slack.calls_to("chat.postEphemeral") == []


def test_direct_message_uses_the_askers_own_access(channel_env: ChannelEnv) -> None:
    channel_env.dm(QUESTION, user="UMGR", channel="DMGR")
    channel_env.drain()
    [reply] = channel_env.slack.calls_to("chat.postMessage")
    assert reply["channel"] == "DMGR" and SECRET in _texts([reply])
    assert "https://kb.example.com/documents/" in _texts([reply])


def test_user_found_by_email_from_users_info(channel_env: ChannelEnv) -> None:
    channel_env.slack.emails["UERIN"] = "Erin@Example.com"
    channel_env.dm(QUESTION, user="UERIN", channel="DERIN")
    channel_env.drain()
    assert [c["user"] for c in channel_env.slack.calls_to("users.info")] == ["UERIN"]
    assert SECRET in _texts(channel_env.slack.calls_to("chat.postMessage"))


def test_unknown_user_gets_public_only_and_a_link_hint(channel_env: ChannelEnv) -> None:
    channel_env.dm(QUESTION, user="UNOBODY", channel="DNOBODY")
    channel_env.drain()
    text = _texts(channel_env.slack.calls_to("chat.postMessage"))
    assert "Nimbus" in text and SECRET not in text
    assert "assistant users add NAME --role rep --slack-id UNOBODY" in text


def test_bad_signature_is_401_and_does_no_work(channel_env: ChannelEnv) -> None:
    event_id = f"Ev{uuid.uuid4().hex[:10]}"
    forged = channel_env.mention(QUESTION, event_id=event_id, **{"X-Slack-Signature": "v0=" + "0" * 64})
    assert forged.status_code == 401
    channel_env.drain()
    assert [c for c in channel_env.slack.calls if c[0] != "auth.test"] == []
    # The forged copy claimed nothing: the genuine delivery of that event is still answered.
    assert channel_env.mention(QUESTION, event_id=event_id).status_code == 200
    channel_env.drain()
    assert len(channel_env.slack.calls_to("chat.postMessage")) == 1


def test_stale_timestamp_is_401_and_does_no_work(channel_env: ChannelEnv) -> None:
    old = int(time.time()) - 6 * 60
    assert channel_env.mention(QUESTION, timestamp=old).status_code == 401
    channel_env.drain()
    assert [c for c in channel_env.slack.calls if c[0] != "auth.test"] == []


def test_slack_retries_of_one_event_get_one_answer(channel_env: ChannelEnv) -> None:
    event_id = f"Ev{uuid.uuid4().hex[:10]}"
    first = channel_env.dm(QUESTION, user="UREP", channel="DREP", event_id=event_id)
    retries = [
        channel_env.dm(
            QUESTION,
            user="UREP",
            channel="DREP",
            event_id=event_id,
            **{"X-Slack-Retry-Num": str(n), "X-Slack-Retry-Reason": "http_timeout"},
        )
        for n in (1, 2)
    ]
    assert [r.status_code for r in (first, *retries)] == [200, 200, 200]
    channel_env.drain()
    assert len(channel_env.slack.calls_to("chat.postMessage")) == 1


def test_api_errors_are_retried_with_backoff(channel_env: ChannelEnv) -> None:
    channel_env.slack.fail("chat.postMessage", "internal_error", times=1)
    channel_env.slack.fail("chat.postMessage", "ratelimited", times=1)  # HTTP 429, Retry-After: 0
    channel_env.dm(QUESTION, user="UREP", channel="DREP")
    channel_env.drain()
    assert len(channel_env.slack.calls_to("chat.postMessage", failed=True)) == 2
    assert [c["channel"] for c in channel_env.slack.calls_to("chat.postMessage")] == ["DREP"]
    assert channel_env.waits == [0.5, 1.0]


def test_undeliverable_answer_is_reported_to_the_asker(channel_env: ChannelEnv) -> None:
    channel_env.slack.fail("chat.postMessage", "not_in_channel", times=4)
    channel_env.mention(QUESTION, user="UREP", channel="CNOBOT")
    channel_env.drain()
    assert len(channel_env.slack.calls_to("chat.postMessage", failed=True)) == 4
    assert channel_env.waits == [0.5, 1.0, 2.0]
    [told] = channel_env.slack.calls_to("chat.postMessage")
    assert (
        told["channel"] == "UREP" and "could not deliver" in told["text"] and "not_in_channel" in told["text"]
    )


def test_request_url_verification_echoes_the_challenge(channel_env: ChannelEnv) -> None:
    body = '{"token": "legacy", "challenge": "chal-123", "type": "url_verification"}'
    response = channel_env.slack_post(body, "application/json")
    assert response.status_code == 200 and "chal-123" in response.text
