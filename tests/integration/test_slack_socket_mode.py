"""Slack over Socket Mode against a local websocket peer that speaks Slack's envelope protocol."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from websockets.sync.server import Server, ServerConnection, serve

from assistant.channels.slack.socket_mode import build_socket_mode_handler
from assistant.services import build_services
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.wecom_api import FakeWeComApi
from tests.integration.channels_env import CORP_ID, SECRET, WECOM_SECRET, channel_settings, seed


class FakeSocketModePeer:
    """Sends Slack's `hello`, then the envelopes it is given; records the app's acknowledgements."""

    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []
        self.outbox: list[dict[str, Any]] = []
        self.connected = threading.Event()
        self._server: Server = serve(self._handle, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link"

    def __enter__(self) -> FakeSocketModePeer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()

    def _handle(self, ws: ServerConnection) -> None:
        ws.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}))
        self.connected.set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            while self.outbox:
                ws.send(json.dumps(self.outbox.pop(0)))
            try:
                self.acks.append(json.loads(ws.recv(timeout=0.1)))
            except TimeoutError:
                continue
            except Exception:
                return

    def deliver_event(self, event: dict[str, Any]) -> str:
        envelope_id = uuid.uuid4().hex
        payload = {
            "type": "event_callback",
            "team_id": "T1",
            "api_app_id": "A1",
            "event_id": f"Ev{uuid.uuid4().hex[:10]}",
            "event_time": int(time.time()),
            "event": event,
        }
        self.outbox.append(
            {
                "envelope_id": envelope_id,
                "type": "events_api",
                "payload": payload,
                "accepts_response_payload": False,
                "retry_attempt": 0,
            }
        )
        return envelope_id


@pytest.fixture
def socket_world(tmp_path: Path) -> Iterator[tuple[FakeSlackApi, FakeSocketModePeer, Any]]:
    with FakeSlackApi() as slack, FakeWeComApi(CORP_ID, WECOM_SECRET) as wecom, FakeSocketModePeer() as peer:
        slack.socket_url = peer.url
        settings = channel_settings(tmp_path / "data", slack, wecom).model_copy(
            update={"slack_app_token": SecretStr("xapp-test-token")}
        )
        services = build_services(settings)
        seed(services, tmp_path / "kb")
        handler, channel = build_socket_mode_handler(services)
        handler.connect()  # type: ignore[no-untyped-call]
        try:
            yield slack, peer, channel
        finally:
            handler.close()  # type: ignore[no-untyped-call]
            channel.drain()
            channel.close()
            services.close()


def test_mention_over_socket_mode_is_acked_and_answered_safely(
    socket_world: tuple[FakeSlackApi, FakeSocketModePeer, Any],
) -> None:
    slack, peer, channel = socket_world
    assert peer.connected.wait(10), "the app never opened the websocket it got from apps.connections.open"
    event = {
        "type": "app_mention",
        "user": "UMGR",
        "text": "<@UBOT> What Nimbus discount can we give?",
        "ts": f"{time.time():.6f}",
        "channel": "CSALES",
    }
    envelope_id = peer.deliver_event(event)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not slack.calls_to("chat.postMessage"):
        time.sleep(0.05)
    channel.drain()
    assert any(ack.get("envelope_id") == envelope_id for ack in peer.acks), (
        "the envelope was not acknowledged"
    )
    posted = slack.calls_to("chat.postMessage")
    assert len(posted) == 1 and posted[0]["channel"] == "CSALES"
    text = json.dumps(posted, ensure_ascii=False)
    assert "Nimbus" in text and SECRET not in text
    private = json.dumps(slack.calls_to("chat.postEphemeral"), ensure_ascii=False)
    assert SECRET in private, "the manager's fuller answer goes to them privately"


def test_socket_mode_needs_an_app_token(tmp_path: Path) -> None:
    with FakeSlackApi() as slack, FakeWeComApi(CORP_ID, WECOM_SECRET) as wecom:
        services = build_services(channel_settings(tmp_path / "data", slack, wecom))
        try:
            with pytest.raises(ValueError, match="SLACK_APP_TOKEN"):
                build_socket_mode_handler(services)
        finally:
            services.close()
