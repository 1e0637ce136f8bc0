"""Real `assistant serve` processes for the chat crash tests: start, `kill -9`, send them Slack and
WeCom messages signed and encrypted as the platforms do, over a seeded data dir copied per process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import httpx
from wechatpy.enterprise.crypto import WeChatCrypto

from assistant.services import build_services
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.wecom_api import FakeWeComApi
from tests.integration.api_kb import free_port, kb_settings
from tests.integration.channels_env import (
    AES_KEY,
    CORP_ID,
    SIGNING_SECRET,
    WECOM_SECRET,
    WECOM_TOKEN,
    seed,
    slack_signed_headers,
    wecom_text_xml,
    xml_field,
)

# Short enough that a take-over happens within seconds, long enough for an answer on a busy machine.
LEASE_S, RESUME_EVERY_S = "3", "0.5"


def seed_data_dir(root: Path, database_url: str | None = None) -> Path:
    """A data dir with the channel test KB ingested and its users added (copied per process)."""
    data_dir = root / "seeded"
    overrides = {"database_url": database_url} if database_url else {}
    services = build_services(kb_settings(data_dir, **overrides))
    seed(services, root / "kb")
    services.close()
    return data_dir


class Served:
    """One `assistant serve` on its own copy of a seeded data dir."""

    def __init__(self, seeded: Path, home: Path, slack: FakeSlackApi, wecom: FakeWeComApi | None = None,
                 database_url: str | None = None) -> None:  # fmt: skip
        data_dir = home / "data"
        if not data_dir.exists():
            shutil.copytree(seeded, data_dir)
        self.port, self.log = free_port(), home / "serve.log"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")},
            "ASSISTANT_DATA_DIR": str(data_dir),
            "ASSISTANT_EMBEDDER": "hash",
            "ASSISTANT_PORT": str(self.port),
            "ASSISTANT_CHAT_LEASE_S": LEASE_S,
            "ASSISTANT_CHAT_RESUME_EVERY_S": RESUME_EVERY_S,
            "ASSISTANT_SLACK_BOT_TOKEN": "xoxb-test-token",
            "ASSISTANT_SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "ASSISTANT_SLACK_API_URL": slack.base_url,
        }
        if wecom is not None:
            env |= {
                "ASSISTANT_WECOM_CORP_ID": CORP_ID,
                "ASSISTANT_WECOM_AGENT_ID": "1000002",
                "ASSISTANT_WECOM_SECRET": WECOM_SECRET,
                "ASSISTANT_WECOM_TOKEN": WECOM_TOKEN,
                "ASSISTANT_WECOM_AES_KEY": AES_KEY,
                "ASSISTANT_WECOM_API_URL": wecom.base_url,
            }
        if database_url:
            env["ASSISTANT_DATABASE_URL"] = database_url
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "assistant", "serve"], cwd=home, env=env, stdout=log, stderr=log
            )
        if not wait_for(self._healthy, 180):
            self.proc.kill()
            raise RuntimeError(f"assistant serve did not start:\n{self.log.read_text()[-3000:]}")

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def kill_9(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(60)

    def slack_event(self, event: dict[str, object], event_id: str) -> int:
        body = json.dumps({"type": "event_callback", "event_id": event_id, "team_id": "T1", "event": event})
        headers = slack_signed_headers(body, "application/json")
        url = f"http://127.0.0.1:{self.port}/slack/events"
        return httpx.post(url, content=body, headers=headers, timeout=30).status_code

    def slack_dm(self, text: str, event_id: str, user: str = "UMGR", channel: str = "DMGR") -> int:
        event = {"type": "message", "channel_type": "im", "user": user, "text": text, "channel": channel}
        return self.slack_event({**event, "ts": f"{time.time():.6f}"}, event_id)

    def slack_mention(self, text: str, event_id: str, user: str = "UMGR", channel: str = "CSALES") -> int:
        event = {"type": "app_mention", "user": user, "text": f"<@UBOT> {text}", "channel": channel}
        return self.slack_event({**event, "ts": f"{time.time():.6f}"}, event_id)

    def wecom_dm(self, text: str, user: str = "mia", msg_id: str | None = None) -> int:
        inner = wecom_text_xml(text, user, msg_id)
        ts, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
        envelope = WeChatCrypto(WECOM_TOKEN, AES_KEY, CORP_ID).encrypt_message(inner, nonce, ts)
        signature = xml_field(envelope, "MsgSignature")
        query = urlencode({"msg_signature": signature, "timestamp": ts, "nonce": nonce})
        url = f"http://127.0.0.1:{self.port}/wecom/callback?{query}"
        return httpx.post(url, content=envelope.encode(), timeout=30).status_code


def wait_for(condition: Callable[[], object], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
