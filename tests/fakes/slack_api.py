"""A local fake of the Slack Web API (and response_url): real HTTP, records calls, scripted failures.

with FakeSlackApi() as slack:
    settings = Settings(slack_api_url=slack.base_url, ...)
    slack.fail("chat.postMessage", "channel_not_found", times=2)   # or error="ratelimited"
    ...
    slack.calls_to("chat.postMessage")  # successful calls: [{"channel": ..., "blocks": [...]}, ...]
    slack.hold("chat.postMessage", drop=True)      # calls wait, then are lost (see LocalHttpFake.hold)

Posted messages are kept per conversation with their `metadata`, which conversations.history and
conversations.replies return only with include_all_metadata, as Slack does.
"""

from __future__ import annotations

import json
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
        self.socket_url = ""  # what apps.connections.open hands out (Socket Mode)
        self.messages: list[dict[str, Any]] = []  # what chat.postMessage posted, oldest first

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
            self.messages.clear()

    def calls_to(self, *methods: str, failed: bool = False) -> list[dict[str, Any]]:
        """Arguments of the calls that succeeded (or, with failed=True, of those that failed)."""
        with self.lock:
            return [args for method, args, ok in self.calls if method in methods and ok != failed]

    def route(
        self, verb: str, path: str, query: dict[str, str], body: dict[str, Any], headers: dict[str, str]
    ) -> Reply:
        method = path.removeprefix("/api/") if path.startswith("/api/") else "response_url"
        if self.held_and_dropped(method):
            return Reply({"ok": False, "error": "connection lost"}, 503)
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
            return {"ok": True, "channel": args.get("channel"), "ts": self._store(args, ts)}
        if method in ("conversations.history", "conversations.replies"):
            return {"ok": True, "messages": self._conversation(method, args), "has_more": False}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        return {"ok": True}  # views.open, views.publish, conversations.*, ...

    def _store(self, args: dict[str, Any], ts: str) -> str:
        message = {"type": "message", "ts": ts, "bot_id": "BBOT", "text": args.get("text", "")}
        message |= {k: args[k] for k in ("channel", "thread_ts", "metadata") if args.get(k)}
        with self.lock:
            self.messages.append(message)
        return ts

    def _conversation(self, method: str, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Newest first (history: top-level messages; replies: a thread), metadata only if asked."""
        with self.lock:
            found = [m for m in self.messages if m["channel"] == args.get("channel")]
        if method == "conversations.history":
            found = [m for m in found if "thread_ts" not in m]
        else:
            found = [m for m in found if m.get("thread_ts") == args.get("ts")]
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        shown = [m if with_metadata else {k: v for k, v in m.items() if k != "metadata"} for m in found]
        return [{k: v for k, v in m.items() if k != "channel"} for m in reversed(shown)][
            : int(args.get("limit") or 100)
        ]
