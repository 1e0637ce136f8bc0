"""A local fake of an OpenAI-compatible chat endpoint: real HTTP on 127.0.0.1, scripted behaviours.

    with FakeOpenAI() as fake:
        fake.behaviour, fake.reply = "ok", "答案。[1]"
        settings = Settings(llm_base_url=fake.base_url, ...)
        ...
        fake.requests[-1]["messages"]  # what the model was shown

Behaviours: "ok" (reply as given), "slow" (sleeps `delay_s` before answering), "error" (HTTP 500).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeOpenAI:
    def __init__(self) -> None:
        self.behaviour = "ok"
        self.reply = "ok"
        self.delay_s = 3.0
        self.requests: list[dict[str, Any]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def prompt_text(self) -> str:
        """Every message of the last request, joined: what the model saw."""
        return "\n".join(str(m.get("content", "")) for m in self.requests[-1]["messages"])

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _completion(text: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(delta: dict[str, Any], model: str, finish: str | None = None) -> bytes:
    body = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n".encode()


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:
            if not self.path.endswith("/chat/completions"):
                self.send_error(404)
                return
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            fake.requests.append(body)
            if fake.behaviour == "slow":
                time.sleep(fake.delay_s)
            if fake.behaviour == "error":
                self._json(500, {"error": {"message": "boom", "type": "server_error"}})
                return
            model = body.get("model", "fake")
            if body.get("stream"):
                self._stream(model)
            else:
                self._json(200, _completion(fake.reply, model))

        def _json(self, status: int, data: dict[str, Any]) -> None:
            raw = json.dumps(data, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _stream(self, model: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            self.wfile.write(_chunk({"role": "assistant", "content": ""}, model))
            text = fake.reply
            for i in range(0, len(text), 4):
                self.wfile.write(_chunk({"content": text[i : i + 4]}, model))
                self.wfile.flush()
            self.wfile.write(_chunk({}, model, "stop"))
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    return Handler
