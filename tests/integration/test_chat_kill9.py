"""Break 5: `kill -9` of a real `assistant serve` mid-answer; the next start answers the message once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import update

from assistant.db import build_engine
from assistant.db.events import CHAT_LEASE
from assistant.db.models import ProcessedEventRow, utcnow
from assistant.services import build_services
from tests.fakes.slack_api import FakeSlackApi
from tests.integration.api_kb import free_port, kb_settings
from tests.integration.channels_env import SIGNING_SECRET, seed


def _serve(data_dir: Path, port: int, slack: FakeSlackApi, cwd: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_EMBEDDER": "hash",
        "ASSISTANT_PORT": str(port),
        "ASSISTANT_SLACK_BOT_TOKEN": "xoxb-test-token",
        "ASSISTANT_SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "ASSISTANT_SLACK_API_URL": slack.base_url,
    }
    env.pop("ASSISTANT_QDRANT_URL", None)
    env.pop("ASSISTANT_DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve"],
        cwd=cwd,
        env=env,
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("assistant serve did not start")


def _dm(port: int, event_id: str) -> int:
    event = {
        "type": "message",
        "channel_type": "im",
        "user": "UNOBODY",
        "text": "What is the Nimbus list price?",
        "ts": f"{time.time():.6f}",
        "channel": "DNOBODY",
    }
    body = json.dumps({"type": "event_callback", "event_id": event_id, "team_id": "T1", "event": event})
    ts = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
        or "",
    }
    return httpx.post(
        f"http://127.0.0.1:{port}/slack/events", content=body, headers=headers, timeout=30
    ).status_code


def _wait(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def test_kill_9_mid_answer_then_restart_answers_exactly_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with FakeSlackApi() as slack:
        services = build_services(kb_settings(data_dir))
        seed(services, tmp_path / "kb")
        services.close()
        release = slack.hold("users.info")  # the answer stops while identifying the asker
        port = free_port()
        first = _serve(data_dir, port, slack, tmp_path)
        event_id = f"Ev{uuid.uuid4().hex[:10]}"
        try:
            assert _dm(port, event_id) == 200  # acked: Slack will not resend for a while
            assert _wait(lambda: "users.info" in slack.held, 60)
        finally:
            os.kill(first.pid, signal.SIGKILL)
            first.wait(30)
        release.set()
        assert slack.calls_to("chat.postMessage") == []
        engine = build_engine(kb_settings(data_dir).resolved_database_url)
        with engine.begin() as conn:  # the lease of the dead process runs out
            conn.execute(
                update(ProcessedEventRow)
                .where(ProcessedEventRow.event_key == event_id)
                .values(at=utcnow() - CHAT_LEASE - timedelta(seconds=1))
            )
        engine.dispose()
        second = _serve(data_dir, port, slack, tmp_path)
        try:
            assert _wait(lambda: len(slack.calls_to("chat.postMessage")) >= 1, 60)
            assert _dm(port, event_id) == 200  # Slack's own retry of the same event comes later
            time.sleep(2)
            replies = slack.calls_to("chat.postMessage")
            assert len(replies) == 1 and replies[0]["channel"] == "DNOBODY"
            assert "Nimbus" in replies[0]["text"]
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(60)
