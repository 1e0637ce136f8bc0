"""Curators opt in to a daily digest by DM and get it on Slack (WeCom opt-out), through the fake APIs."""

from __future__ import annotations

from assistant.access import Principal
from assistant.channels.digest import send_digests
from assistant.db.curated import CuratedDraft
from tests.integration.channels_env import ChannelEnv, channel_env, env

__all__ = ["channel_env", "env"]

QUESTION = "公司年会在哪里举办？"


def _reply(env: ChannelEnv) -> str:
    env.drain()
    text = str(env.slack.calls_to("chat.postMessage")[-1]["text"])
    env.slack.reset()
    return text


def test_digest_opt_in_delivery_and_opt_out(channel_env: ChannelEnv) -> None:
    services = channel_env.services
    services.users.add_user("cora", ["curator"], slack_id="UCUR", wecom_id="cora")
    services.users.add_user("carl", ["curator"], slack_id="UCARL")

    channel_env.dm("digest on", user="UREP", channel="DREP")
    assert "for curators" in _reply(channel_env)
    channel_env.dm("digest on", user="UCUR", channel="DCUR")
    assert "daily digest" in _reply(channel_env)

    carl = Principal.of("carl", ["curator"])
    services.curated.submit(carl, CuratedDraft("年会几点开始？", "晚上七点。", (), "internal", ()))
    channel_env.dm(QUESTION, user="UREP", channel="DREP")
    channel_env.drain()
    channel_env.slack.reset()

    [sent] = send_digests(services)
    assert sent.user.name == "cora"
    [dm] = channel_env.slack.calls_to("chat.postMessage")
    assert dm["channel"] == "UCUR"
    assert QUESTION in dm["text"] and "approve #1 by carl: 年会几点开始？" in dm["text"]

    channel_env.wecom_message("摘要 off", user="cora")
    channel_env.drain()
    assert "已关闭每日摘要" in channel_env.wecom.sent[-1]["text"]["content"]
    assert send_digests(services) == []
