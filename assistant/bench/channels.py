"""Ack latency of the chat webhooks, for `assistant bench`: signed/encrypted requests to the real app.

The background answers go to a local sink that accepts every Web API call, and every write
(event claims, audit, answers) goes to a throwaway database, so the caller's data is untouched.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi.testclient import TestClient
from slack_sdk.signature import SignatureVerifier

from assistant.api.app import create_app
from assistant.channels.wecom.crypto import WeComCrypto
from assistant.services import build_services

_SIGNING_SECRET, _CORP_ID, _TOKEN = "bench-signing-secret", "wwbench", "bench-token"


def measure_slack_ack(services: Any, n: int = 50) -> list[float]:
    """Milliseconds from sending each signed app_mention to its HTTP 200."""
    with (
        _sink() as sink_url,
        _bench_client(
            services,
            slack_bot_token="xoxb-bench",
            slack_signing_secret=_SIGNING_SECRET,
            slack_api_url=sink_url + "/api/",
        ) as client,
    ):
        return [_timed(client, *_slack_request(i)) for i in range(n)]


def measure_wecom_callback(services: Any, n: int = 50) -> list[float]:
    """Milliseconds from sending each encrypted WeCom text message to its HTTP 200."""
    aes_key = base64.b64encode(os.urandom(32)).decode()[:-1]
    crypto = WeComCrypto(_TOKEN, aes_key, _CORP_ID)
    with (
        _sink() as sink_url,
        _bench_client(
            services,
            wecom_corp_id=_CORP_ID,
            wecom_agent_id=1,
            wecom_secret="bench-secret",
            wecom_token=_TOKEN,
            wecom_aes_key=aes_key,
            wecom_api_url=sink_url + "/cgi-bin/",
        ) as client,
    ):
        return [_timed(client, *_wecom_request(crypto, i)) for i in range(n)]


def _timed(client: TestClient, url: str, body: bytes, headers: dict[str, str]) -> float:
    start = time.perf_counter()
    response = client.post(url, content=body, headers=headers)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered HTTP {response.status_code}: {response.text[:200]}")
    return elapsed


def _slack_request(i: int) -> tuple[str, bytes, dict[str, str]]:
    event = {"type": "app_mention", "user": "UBENCH", "text": f"<@UBOT> product pricing {i}"}
    event.update({"ts": f"{time.time():.6f}", "channel": "CBENCH"})
    body = json.dumps({"type": "event_callback", "event_id": f"EvBench{uuid.uuid4().hex}", "event": event})
    ts = str(int(time.time()))
    signature = SignatureVerifier(_SIGNING_SECRET).generate_signature(timestamp=ts, body=body) or ""
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }
    return "/slack/events", body.encode(), headers


def _wecom_request(crypto: WeComCrypto, i: int) -> tuple[str, bytes, dict[str, str]]:
    inner = (
        f"<xml><ToUserName>{_CORP_ID}</ToUserName><FromUserName>bench</FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType>text</MsgType>"
        f"<Content>product pricing {i}</Content><MsgId>{uuid.uuid4().int % 10**18}</MsgId></xml>"
    )
    ts, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    encrypted, signature = crypto.seal(inner, ts, nonce)
    query = urlencode({"msg_signature": signature, "timestamp": ts, "nonce": nonce})
    return f"/wecom/callback?{query}", f"<xml><Encrypt>{encrypted}</Encrypt></xml>".encode(), {}


@contextmanager
def _bench_client(services: Any, **overrides: Any) -> Iterator[TestClient]:
    """The real app over the caller's index, with channels configured and a throwaway database."""

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        # No rate limit: the bench measures answering, not the per-person budget.
        values = {
            **services.settings.model_dump(),
            "database_url": url,
            "rate_limit_per_minute": 0,
            **overrides,
        }
        settings = type(services.settings)(_env_file=None, **values)
        # New services share the index and embedder; their database stores are built afresh.
        bench = build_services(settings, services.embedder, check_model=False, index=services.index)
        try:
            with TestClient(create_app(settings, bench)) as client:
                yield client
                for channel in client.app.state.channels.values():  # type: ignore[attr-defined]
                    channel.drain(timeout=120)
                    channel.close()
        finally:
            bench.ingest.manifest.close()
            bench.db.dispose()


@contextmanager
def _sink() -> Iterator[str]:
    """A local HTTP server that accepts any Slack or WeCom API call."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SinkHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _SinkHandler(BaseHTTPRequestHandler):
    _OK = json.dumps(
        {
            "ok": True,
            "user_id": "UBOT",
            "user": {"profile": {}},
            "errcode": 0,
            "access_token": "bench",
            "expires_in": 7200,
        }
    ).encode()

    def _reply(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self._OK)))
        self.end_headers()
        self.wfile.write(self._OK)

    do_GET = do_POST = _reply  # noqa: N815 (http.server's naming)

    def log_message(self, *args: object) -> None:
        pass


__all__: list[str] = ["measure_slack_ack", "measure_wecom_callback"]
