"""A JSON-over-HTTP fake on 127.0.0.1 (free port) that records every call; the base of the chat API fakes."""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


class Reply:
    """What a route answers: status, JSON body, extra headers."""

    def __init__(self, body: Any, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.body, self.status, self.headers = body, status, headers or {}


@dataclass(frozen=True)
class _Hold:
    release: threading.Event
    after: int
    drop: bool


class LocalHttpFake:
    """Subclasses implement `route(method, path, query, body, headers) -> Reply`; calling
    `held(name)` first lets a test stop calls mid-flight (and kill the caller meanwhile)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self._holds: dict[str, _Hold] = {}
        self._arrived: Counter[str] = Counter()
        self.held: list[str] = []  # calls that arrived while held
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def hold(self, name: str, after: int = 0, drop: bool = False) -> threading.Event:
        """Calls of `name` after the first `after` wait (unanswered) until the returned event is set.

        Then a held call goes on as if it had just arrived; with `drop` it is lost instead, as if the
        caller's connection died before the request got through (it answers HTTP 503).
        """
        release = threading.Event()
        with self.lock:
            self._holds[name] = _Hold(release, self._arrived[name] + after, drop)
        return release

    def held_and_dropped(self, name: str) -> bool:
        """Wait while `name` is held; True when the held call is then to be dropped."""
        with self.lock:
            hold, seen = self._holds.get(name), self._arrived[name]
            self._arrived[name] += 1
            if hold is None or seen < hold.after or hold.release.is_set():
                return False
            self.held.append(name)
            self.changed.notify_all()
        hold.release.wait(120)
        return hold.drop

    def route(
        self, verb: str, path: str, query: dict[str, str], body: dict[str, Any], headers: dict[str, str]
    ) -> Reply:
        raise NotImplementedError

    def __enter__(self) -> LocalHttpFake:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _decode(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        data: dict[str, Any] = json.loads(raw)
        return data
    return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))


def _handler(fake: LocalHttpFake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self, verb: str) -> None:
            url = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = _decode(raw, self.headers.get("Content-Type", ""))
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = fake.route(verb, url.path, dict(parse_qsl(url.query)), body, headers)
            payload = (reply.body if isinstance(reply.body, str) else json.dumps(reply.body)).encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in reply.headers.items():
                self.send_header(key, value)
            try:
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the caller is gone (a test killed it mid-call)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def do_PUT(self) -> None:  # noqa: N802
            self._serve("PUT")

        def log_message(self, *args: object) -> None:  # quiet
            pass

    return Handler
