"""A real app with Slack and WeCom mounted, over a tiny real index, talking to local fake platform APIs.

Requests are signed with slack_sdk's own signature code and encrypted with wechatpy (the reference
peers). Every confidential document carries SECRET, so a test can check where it did (not) go.
"""

from __future__ import annotations

import base64
import json
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from slack_sdk.signature import SignatureVerifier
from wechatpy.enterprise.crypto import WeChatCrypto

from assistant.api import create_app
from assistant.channels.base import Channel, RetryPolicy
from assistant.config import Settings
from assistant.services import Services, build_services
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.wecom_api import FakeWeComApi

SECRET = "Quokkarate"
SIGNING_SECRET = "test-signing-secret"
CORP_ID, WECOM_SECRET, WECOM_TOKEN = "wwtestcorp", "wecom-app-secret", "wecom-token"
AES_KEY = base64.b64encode(os.urandom(32)).decode()[:-1]  # a 43-character EncodingAESKey
PUBLIC_URL = "https://kb.example.com"

DOCS = {
    "products/nimbus-overview.md": """---
title: Nimbus product overview
doc_type: product
access_level: public
---
# Nimbus overview

Nimbus is our cloud backup service for retail stores. The Nimbus list price is 20 dollars per
store per month, and the Nimbus discount for a yearly contract is 10 percent.
""",
    "policies/nimbus-special-discount.md": f"""---
title: Nimbus special discount policy
doc_type: policy
access_level: confidential
---
# Nimbus special discount

Managers may approve the {SECRET} special Nimbus discount of up to 45 percent for strategic
retail stores. The Nimbus special discount needs a signed pricing form.
""",
    "talk-tracks/nimbus-price.md": """---
title: Nimbus price objection talk track
doc_type: talk_track
access_level: public
talk_track:
  situation: customer says Nimbus is too expensive
  script: Compare Nimbus with the cost of one lost day of store sales.
  proof_points: [Restores a store in under an hour]
---
# Nimbus price objection

When the customer says Nimbus is too expensive, compare it with one lost day of store sales.
""",
}
# name: (roles, slack id, wecom id, email)
USERS = {
    "mia": (["manager"], "UMGR", "mia", None),
    "ravi": (["rep"], "UREP", "ravi", None),
    "erin": (["manager"], None, None, "erin@example.com"),
}


@dataclass
class ChannelEnv:
    services: Services
    client: TestClient
    slack: FakeSlackApi
    wecom: FakeWeComApi
    waits: list[float] = field(default_factory=list)

    @property
    def channels(self) -> dict[str, Channel]:
        return self.client.app.state.channels  # type: ignore[attr-defined,no-any-return]

    def drain(self) -> None:
        for _ in range(3):  # a worker may queue follow-up work (share, feedback)
            for channel in self.channels.values():
                channel.drain(timeout=60)

    # Slack: requests as Slack sends them, signed with slack_sdk's code.
    def slack_post(
        self, body: str, content_type: str, timestamp: int | None = None, **headers: str
    ) -> Response:
        sent = {**slack_signed_headers(body, content_type, timestamp), **headers}
        return self.client.post("/slack/events", content=body.encode(), headers=sent)

    def slack_event(self, event: dict[str, Any], event_id: str | None = None, **headers: str) -> Response:
        payload = {
            "token": "legacy",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10]}",
            "event_time": int(time.time()),
            "event": event,
        }
        return self.slack_post(json.dumps(payload), "application/json", **headers)

    def mention(self, text: str, user: str = "UMGR", channel: str = "CSALES", **kw: Any) -> Response:
        ts = f"{time.time():.6f}"
        event = {"type": "app_mention", "user": user, "text": f"<@UBOT> {text}", "ts": ts, "channel": channel}
        return self.slack_event(event, **kw)

    def dm(self, text: str, user: str = "UMGR", channel: str = "DMGR", **kw: Any) -> Response:
        ts = f"{time.time():.6f}"
        event = {
            "type": "message",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": ts,
            "channel": channel,
        }
        return self.slack_event(event, **kw)

    def slash(self, text: str, user: str = "UMGR", channel: str = "CSALES") -> Response:
        form = {
            "command": "/kb",
            "text": text,
            "user_id": user,
            "channel_id": channel,
            "team_id": "T1",
            "trigger_id": uuid.uuid4().hex,
            "response_url": self.slack.response_url(),
        }
        return self.slack_post(urlencode(form), "application/x-www-form-urlencoded")

    def click(self, action_id: str, value: str, user: str = "UMGR", channel: str = "CSALES") -> Response:
        payload = {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": user},
            "api_app_id": "A1",
            "channel": {"id": channel},
            "container": {"type": "message", "channel_id": channel},
            "trigger_id": uuid.uuid4().hex,
            "response_url": self.slack.response_url("click"),
            "actions": [
                {"action_id": action_id, "value": value, "type": "button", "action_ts": str(time.time())}
            ],
        }
        return self.slack_post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    # WeCom: messages encrypted by wechatpy, as WeCom's servers would.
    def wecom_message(
        self, text: str, user: str = "mia", msg_id: str | None = None, timestamp: int | None = None
    ) -> Response:
        return self.wecom_post(wecom_text_xml(text, user, msg_id), timestamp)

    def wecom_post(
        self, inner_xml: str, timestamp: int | None = None, signature: str | None = None
    ) -> Response:
        ts, nonce = str(timestamp if timestamp is not None else int(time.time())), uuid.uuid4().hex[:10]
        envelope = WeChatCrypto(WECOM_TOKEN, AES_KEY, CORP_ID).encrypt_message(inner_xml, nonce, ts)
        sig = signature or xml_field(envelope, "MsgSignature")
        query = urlencode({"msg_signature": sig, "timestamp": ts, "nonce": nonce})
        return self.client.post(f"/wecom/callback?{query}", content=envelope.encode())


def wecom_text_xml(text: str, user: str, msg_id: str | None = None) -> str:
    """A text message to the app, as WeCom's servers send it (before encryption)."""
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]>"
        f"</FromUserName><CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id or uuid.uuid4().int % 10**18}</MsgId>"
        "<AgentID>1000002</AgentID></xml>"
    )


def xml_field(xml: str, name: str) -> str:
    return xml.split(f"<{name}><![CDATA[", 1)[1].split("]]>", 1)[0]


def channel_settings(data_dir: Path, slack: FakeSlackApi, wecom: FakeWeComApi) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data_dir,
        embedder="hash",
        public_url=PUBLIC_URL,
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack.base_url,
        wecom_corp_id=CORP_ID,
        wecom_agent_id=1000002,
        wecom_secret=WECOM_SECRET,
        wecom_token=WECOM_TOKEN,
        wecom_aes_key=AES_KEY,
        wecom_api_url=wecom.base_url,
        chat_resume_every_s=0,  # tests age leases and resume explicitly
    )


def seed(services: Services, kb: Path) -> None:
    """Ingest DOCS from `kb` and create USERS."""
    for name, text in DOCS.items():
        (kb / name).parent.mkdir(parents=True, exist_ok=True)
        (kb / name).write_text(text, encoding="utf-8")
    assert services.ingest.ingest([kb]).ok
    for name, (roles, slack_id, wecom_id, email) in USERS.items():
        services.users.add_user(name, roles, slack_id=slack_id, wecom_id=wecom_id, email=email)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChannelEnv]:
    root = tmp_path_factory.mktemp("channels")
    with FakeSlackApi() as slack, FakeWeComApi(CORP_ID, WECOM_SECRET) as wecom:
        services = build_services(channel_settings(root / "data", slack, wecom))
        seed(services, root / "kb")
        waits: list[float] = []
        # The production schedule, but the waits are recorded instead of slept.
        retry = RetryPolicy(delays=(0.5, 1.0, 2.0), sleep=waits.append)
        with TestClient(create_app(services.settings, services, channel_retry=retry)) as client:
            yield ChannelEnv(services, client, slack, wecom, waits)
        services.close()


@pytest.fixture
def channel_env(env: ChannelEnv) -> ChannelEnv:
    """The module's env with the fakes' records and the recorded waits cleared."""
    env.drain()
    env.slack.reset()
    env.wecom.reset()
    env.waits.clear()
    return env


def slack_signed_headers(body: str, content_type: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends with `body`, signed with slack_sdk's own code."""
    ts = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature or "",
    }
