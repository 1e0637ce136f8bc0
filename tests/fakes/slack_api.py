"""A local fake of the Slack Web API (and response_url): real HTTP, records calls, scripted failures.

with FakeSlackApi() as slack:
    settings = Settings(slack_api_url=slack.base_url, ...)
    slack.fail("chat.postMessage", "channel_not_found", times=2)   # or error="ratelimited"
    ...
    slack.calls_to("chat.postMessage")  # successful calls: [{"channel": ..., "blocks": [...]}, ...]
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from typing import Any

from tests.fakes.local_http import LocalHttpFake, Reply

BOT_USER = "UBOT"


class FakeSlackApi(LocalHttpFake):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, dict[str, Any], bool]] = []  # (method, arguments, succeeded)
        self.emails: dict[str, str] = {}  # Slack user id -> e-mail that users.info reports
        self._failures: dict[str, list[str]] = defaultdict(list)
        self.changed = threading.Condition(self.lock)
        self.socket_url = ""  # what apps.connections.open hands out (Socket Mode)
        self._holds: dict[str, threading.Event] = {}
        self.held: list[str] = []  # methods that arrived while held (a test kills the caller then)

    def hold(self, method: str) -> threading.Event:
        """Calls of `method` wait (unrecorded) until the returned event is set."""
        release = threading.Event()
        with self.lock:
            self._holds[method] = release
        return release

    @property
    def base_url(self) -> str:
        return self.root_url + "/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.root_url}/response/{name}"

    def fail(self, method: str, error: str, times: int = 1) -> None:
        """The next `times` calls of `method` fail with this Slack error ("ratelimited" -> HTTP 429)."""
        with self.lock:
            self._failures[method].extend([error] * times)

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()
            self._failures.clear()
            self.emails.clear()

    def calls_to(self, *methods: str, failed: bool = False) -> list[dict[str, Any]]:
        """Arguments of the calls that succeeded (or, with failed=True, of those that failed)."""
        with self.lock:
            return [args for method, args, ok in self.calls if method in methods and ok != failed]

    def route(
        self, verb: str, path: str, query: dict[str, str], body: dict[str, Any], headers: dict[str, str]
    ) -> Reply:
        method = path.removeprefix("/api/") if path.startswith("/api/") else "response_url"
        with self.lock:
            release = self._holds.get(method)
            if release is not None and not release.is_set():
                self.held.append(method)
                self.changed.notify_all()
        if release is not None:
            release.wait(120)
        args = {**query, **body}
        if isinstance(args.get("blocks"), str):
            args["blocks"] = json.loads(args["blocks"])
        with self.lock:
            error = self._failures[method].pop(0) if self._failures[method] else None
            self.calls.append((method, args, error is None))
            self.changed.notify_all()
        if error == "ratelimited":
            return Reply({"ok": False, "error": "ratelimited"}, 429, {"Retry-After": "0"})
        if error:
            return Reply({"ok": False, "error": error})
        if method == "response_url":
            return Reply("ok")
        return Reply(self._answer(method, args))

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        ts = f"{time.time():.6f}"
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": "T1", "user": "kb"}
        if method == "users.info":
            uid = args.get("user", "")
            profile = {"email": self.emails[uid]} if uid in self.emails else {}
            return {"ok": True, "user": {"id": uid, "profile": profile}}
        if method == "chat.postMessage":
            return {"ok": True, "channel": args.get("channel"), "ts": ts}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        return {"ok": True}  # views.open, views.publish, conversations.*, ...
