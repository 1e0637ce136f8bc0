"""Break 3: unparseable or incomplete channel requests get 400/401, never a 500; askers always get a reply."""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlencode

import pytest
from wechatpy.enterprise.crypto import WeChatCrypto

from tests.integration.channels_env import AES_KEY, CORP_ID, WECOM_TOKEN, ChannelEnv, channel_env, env

__all__ = ["channel_env", "env"]


def _no_work(env: ChannelEnv) -> None:
    env.drain()
    assert [c for c in env.slack.calls if c[0] != "auth.test"] == []


@pytest.mark.parametrize("body", ["not json", "{", "[1,2]", '"x"', ""])
def test_unsigned_garbage_is_401(channel_env: ChannelEnv, body: str) -> None:
    headers = {"Content-Type": "application/json"}
    response = channel_env.client.post("/slack/events", content=body.encode(), headers=headers)
    assert response.status_code == 401, response.text
    _no_work(channel_env)


def test_non_numeric_timestamp_is_401(channel_env: ChannelEnv) -> None:
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": "soon",
        "X-Slack-Signature": "v0=" + "0" * 64,
    }
    response = channel_env.client.post("/slack/events", content=b"{}", headers=headers)
    assert response.status_code == 401, response.text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("not json", "application/json"),
        ("[1, 2]", "application/json"),
        ("payload=not-json", "application/x-www-form-urlencoded"),
        ('{"type": "event_callback", "event": "x"}', "application/json"),
    ],
)
def test_signed_but_unparseable_is_400(channel_env: ChannelEnv, body: str, content_type: str) -> None:
    response = channel_env.slack_post(body, content_type)
    assert response.status_code == 400, response.text
    _no_work(channel_env)


@pytest.mark.parametrize("missing", ["user", "channel"])
def test_signed_event_missing_user_or_channel_is_400(channel_env: ChannelEnv, missing: str) -> None:
    event = {"type": "app_mention", "user": "UMGR", "text": "<@UBOT> hi", "ts": "1.0", "channel": "CSALES"}
    del event[missing]
    response = channel_env.slack_event(event)
    assert response.status_code == 400, response.text
    _no_work(channel_env)


def test_signed_click_and_command_without_a_user_are_400(channel_env: ChannelEnv) -> None:
    payload = {"type": "block_actions", "actions": [{"action_id": "feedback_up", "value": "x"}]}
    click = channel_env.slack_post(
        urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    )
    assert click.status_code == 400, click.text
    command = channel_env.slack_post(
        urlencode({"command": "/kb", "text": "hi"}), "application/x-www-form-urlencoded"
    )
    assert command.status_code == 400, command.text
    _no_work(channel_env)


def test_a_text_that_is_not_a_string_still_gets_a_reply(channel_env: ChannelEnv) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "user": "UMGR",
        "text": ["not", "a", "string"],
        "ts": f"{time.time():.6f}",
        "channel": "DMGR",
    }
    assert channel_env.slack_event(event).status_code == 200
    channel_env.drain()
    [reply] = channel_env.slack.calls_to("chat.postMessage")
    assert reply["channel"] == "DMGR" and reply["text"].strip()


def test_wecom_plaintext_that_is_not_utf8_is_400(channel_env: ChannelEnv) -> None:
    ts, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    inner = b"<xml><Content>\xff\xfe\xfd</Content></xml>"
    envelope = WeChatCrypto(WECOM_TOKEN, AES_KEY, CORP_ID).encrypt_message(inner, nonce, ts)
    sig = envelope.split("<MsgSignature><![CDATA[", 1)[1].split("]]>", 1)[0]
    query = urlencode({"msg_signature": sig, "timestamp": ts, "nonce": nonce})
    response = channel_env.client.post(f"/wecom/callback?{query}", content=envelope.encode())
    assert response.status_code == 400, response.text
    assert channel_env.wecom.sent == []
