"""WeCom callback mode: messages encrypted by wechatpy in, answers out through a local fake WeCom API."""

from __future__ import annotations

import time
import uuid
from urllib.parse import urlencode

from wechatpy.crypto import _get_signature
from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto

from assistant.answer.channel_limits import WECOM_MAX_BYTES
from assistant.channels.messages import IncomingMessage, OutgoingMessage
from tests.integration.channels_env import (
    AES_KEY,
    CORP_ID,
    SECRET,
    WECOM_TOKEN,
    ChannelEnv,
    channel_env,
    env,
)

__all__ = ["channel_env", "env"]

QUESTION = "What Nimbus discount can we give a retail store?"


def _contents(env: ChannelEnv, path: str = "message/send", to: str | None = None) -> list[str]:
    return [
        m["text"]["content"]
        for m in env.wecom.sent
        if m["path"] == path and (to is None or to in (m.get("touser"), m.get("chatid")))
    ]


def test_url_verification_returns_the_decrypted_echostr(channel_env: ChannelEnv) -> None:
    crypto = WeChatCrypto(WECOM_TOKEN, AES_KEY, CORP_ID)
    echostr = PrpCrypto(crypto.key).encrypt("echo-4242", CORP_ID).decode()
    ts, nonce = str(int(time.time())), "n1"
    query = {
        "msg_signature": _get_signature(WECOM_TOKEN, ts, nonce, echostr),
        "timestamp": ts,
        "nonce": nonce,
    }
    response = channel_env.client.get(f"/wecom/callback?{urlencode({**query, 'echostr': echostr})}")
    assert response.status_code == 200 and response.text == "echo-4242"
    query["msg_signature"] = "0" * 40
    assert (
        channel_env.client.get(f"/wecom/callback?{urlencode({**query, 'echostr': echostr})}").status_code
        == 401
    )


def test_message_is_acked_empty_and_answered_with_own_access(channel_env: ChannelEnv) -> None:
    response = channel_env.wecom_message(QUESTION, user="mia")
    assert response.status_code == 200 and response.text == ""
    channel_env.drain()
    text = "\n".join(_contents(channel_env, to="mia"))
    assert SECRET in text and "https://kb.example.com/documents/" in text and "up " in text


def test_unknown_user_gets_public_only_and_a_link_hint(channel_env: ChannelEnv) -> None:
    channel_env.wecom_message(QUESTION, user="stranger")
    channel_env.drain()
    text = "\n".join(_contents(channel_env, to="stranger"))
    assert "Nimbus" in text and SECRET not in text
    assert "assistant users add NAME --role rep --wecom-id stranger" in text


def test_bad_signature_and_stale_timestamp_are_refused_without_work(channel_env: ChannelEnv) -> None:
    inner = f"<xml><FromUserName>mia</FromUserName><MsgType>text</MsgType><Content>{QUESTION}</Content></xml>"
    assert channel_env.wecom_post(inner, signature="0" * 40).status_code == 401
    assert channel_env.wecom_post(inner, timestamp=int(time.time()) - 301).status_code == 401
    channel_env.drain()
    assert channel_env.wecom.sent == [] and channel_env.wecom.token_requests == 0


def test_message_for_another_corp_is_refused(channel_env: ChannelEnv) -> None:
    ts, nonce = str(int(time.time())), "n2"
    inner = "<xml><FromUserName>mia</FromUserName><MsgType>text</MsgType><Content>hi</Content></xml>"
    envelope = WeChatCrypto(WECOM_TOKEN, AES_KEY, "wwothercorp").encrypt_message(inner, nonce, ts)
    signature = envelope.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
    query = urlencode({"msg_signature": signature, "timestamp": ts, "nonce": nonce})
    assert channel_env.client.post(f"/wecom/callback?{query}", content=envelope).status_code == 400


def test_repeated_msgid_is_answered_once(channel_env: ChannelEnv) -> None:
    msg_id = str(uuid.uuid4().int % 10**18)
    for _ in range(3):  # WeCom re-sends when it hears nothing within 5 s
        assert channel_env.wecom_message(QUESTION, user="ravi", msg_id=msg_id).status_code == 200
    channel_env.drain()
    assert sum("Sources:" in c for c in _contents(channel_env, to="ravi")) == 1


def test_expired_access_token_is_refreshed(channel_env: ChannelEnv) -> None:
    channel_env.wecom_message("hello", user="ravi")
    channel_env.drain()
    before = channel_env.wecom.token_requests
    channel_env.wecom.expire_tokens()  # next send with the cached token gets errcode 42001
    channel_env.wecom_message(QUESTION, user="ravi")
    channel_env.drain()
    assert channel_env.wecom.token_requests == before + 1
    assert any("Nimbus" in c for c in _contents(channel_env, to="ravi"))


def test_rate_limit_is_retried_with_backoff(channel_env: ChannelEnv) -> None:
    channel_env.wecom.fail("message/send", 45009, times=2)
    channel_env.wecom_message(QUESTION, user="ravi")
    channel_env.drain()
    assert channel_env.waits == [0.5, 1.0]
    assert any("Nimbus" in c for c in _contents(channel_env, to="ravi"))


def test_persistent_failure_is_reported_to_the_user(channel_env: ChannelEnv) -> None:
    channel_env.wecom.fail("message/send", 45009, times=4)
    channel_env.wecom_message(QUESTION, user="ravi")
    channel_env.drain()
    assert channel_env.waits == [0.5, 1.0, 2.0]
    [told] = _contents(channel_env, to="ravi")
    assert "could not deliver" in told and "45009" in told


def test_oversized_answer_is_split_within_the_byte_limit(channel_env: ChannelEnv) -> None:
    wecom = channel_env.channels["wecom"]
    msg = IncomingMessage("wecom", "k", "ravi", "ravi", "长回答", is_direct=True)
    long_answer = "云帆备份的折扣说明。" * 400  # ~12 000 bytes of UTF-8
    assert wecom.deliver(msg, OutgoingMessage(text=long_answer, answer_id="a1b2c3d4"))
    parts = _contents(channel_env, to="ravi")  # the fake refuses (45002) anything over 2048 bytes
    assert 2 <= len(parts) <= 5 and all(len(p.encode()) <= WECOM_MAX_BYTES for p in parts)
    assert parts[0].startswith("云帆备份的折扣说明") and "up a1b2c3d4" in parts[-1]
    assert "截断" in "".join(parts)


def test_group_chat_gets_channel_safe_answer_and_asker_the_rest(channel_env: ChannelEnv) -> None:
    inner = (
        f"<xml><ToUserName>{CORP_ID}</ToUserName><FromUserName>mia</FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType>text</MsgType><Content>{QUESTION}</Content>"
        f"<MsgId>{uuid.uuid4().int % 10**18}</MsgId><ChatId>grp-sales</ChatId></xml>"
    )
    assert channel_env.wecom_post(inner).status_code == 200
    channel_env.drain()
    group = "\n".join(_contents(channel_env, "appchat/send", to="grp-sales"))
    private = "\n".join(_contents(channel_env, to="mia"))
    assert "Nimbus" in group and SECRET not in group
    assert SECRET in private


def test_followup_command_drafts_for_the_contact_and_keeps_notes_private(channel_env: ChannelEnv) -> None:
    notes = "客户问Nimbus年付能不能打85折。老板比较难搞。关心上线周期。我答应周五前发送方案。"
    channel_env.wecom_message(f"跟进 Acme Stores / 陈总: {notes}", user="mia")
    channel_env.drain()
    text = "\n".join(_contents(channel_env, to="mia"))
    assert text.startswith("陈总，您好！") and "周五前发送方案" in text
    assert "85" not in text and "难搞" not in text and "Acme Stores，您好" not in text


def test_talk_command_without_a_match_says_so_and_labels_the_closest(channel_env: ChannelEnv) -> None:
    channel_env.wecom_message("话术 客户想要一个火箭发射方案", user="mia")
    channel_env.drain()
    text = "\n".join(_contents(channel_env, to="mia"))
    assert "没有找到与这个场景匹配的话术。" in text
    assert "最接近的通用话术（不是针对这个场景的）" in text and "Nimbus price objection" in text
