"""A local fake of the WeCom server API: gettoken, message/send, appchat/send, scripted errcodes.

with FakeWeComApi(corp_id="ww1", secret="s") as wecom:
    settings = Settings(wecom_api_url=wecom.base_url, ...)
    wecom.fail("message/send", 45009, times=2)   # rate limited twice
    wecom.expire_tokens()                          # next call with an old token gets 42001
    wecom.sent  # [{"touser": ..., "text": {"content": ...}}, ...]  (what people received)
    wecom.attempts  # every message/send that got through, including those WeCom dropped as repeats
    wecom.member = "li.wei"  # who opens the sign-in link in WeCom / scans the QR code

message/send with enable_duplicate_check drops (errcode 0, nothing delivered) a text whose content
went to the same touser within duplicate_check_interval seconds (default 1800), as WeCom does.

Web sign-in: /connect/oauth2/authorize (inside WeCom) and /wwlogin/sso/login (QR, once scanned)
redirect back with a one-time code; auth/getuserinfo turns the code into the member's userid.
"""

from __future__ import annotations

import secrets
import time
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from tests.fakes.local_http import LocalHttpFake, Reply

MAX_CONTENT_BYTES = 2048


class FakeWeComApi(LocalHttpFake):
    def __init__(self, corp_id: str, secret: str) -> None:
        super().__init__()
        self.corp_id, self.secret = corp_id, secret
        self.sent: list[dict[str, Any]] = []
        self.attempts: list[dict[str, Any]] = []
        self._delivered_at: list[tuple[float, str, str]] = []  # (time, touser, content) of message/send
        self.token_requests = 0
        self._valid: set[str] = set()
        self._failures: dict[str, list[int]] = defaultdict(list)
        self.departments: dict[str, list[int]] = {}  # userid -> department ids that user/get reports
        self.agent_id: int | None = None  # the app the sign-in links must name, when set
        self.member: str | None = None
        self.codes: dict[str, str] = {}  # one-time sign-in code -> userid

    @property
    def oauth_url(self) -> str:
        return self.root_url + "/connect/oauth2/authorize"

    @property
    def qr_login_url(self) -> str:
        return self.root_url + "/wwlogin/sso/login"

    @property
    def base_url(self) -> str:
        return self.root_url + "/cgi-bin/"

    def fail(self, path: str, errcode: int, times: int = 1) -> None:
        with self.lock:
            self._failures[path].extend([errcode] * times)

    def expire_tokens(self) -> None:
        with self.lock:
            self._valid.clear()

    def reset(self) -> None:
        with self.lock:
            self.sent.clear()
            self.attempts.clear()
            self._delivered_at.clear()
            self._failures.clear()
            self.token_requests = 0

    def route(
        self, verb: str, path: str, query: dict[str, str], body: dict[str, Any], headers: dict[str, str]
    ) -> Reply:
        name = path.removeprefix("/cgi-bin/")
        if self.held_and_dropped(name):
            return Reply({"errcode": -1, "errmsg": "connection lost"}, 503)
        with self.lock:
            if path in ("/connect/oauth2/authorize", "/wwlogin/sso/login"):
                return self._authorize(query)
            if name == "gettoken":
                return Reply(self._token(query))
            if query.get("access_token") not in self._valid:
                return Reply({"errcode": 42001, "errmsg": "access_token expired"})
            if self._failures[name]:
                code = self._failures[name].pop(0)
                return Reply({"errcode": code, "errmsg": "scripted failure"})
            if name == "auth/getuserinfo":
                self.sent.append({"path": name, **query})
                user = self.codes.pop(query.get("code", ""), None)
                if user is None:
                    return Reply({"errcode": 40029, "errmsg": "invalid code"})
                return Reply({"errcode": 0, "errmsg": "ok", "userid": user, "user_ticket": "t"})
            if name == "user/get":
                self.sent.append({"path": name, **query})
                user = query.get("userid", "")
                if user not in self.departments:
                    return Reply({"errcode": 60111, "errmsg": "userid not found"})
                return Reply(
                    {"errcode": 0, "errmsg": "ok", "userid": user, "department": self.departments[user]}
                )
            content = str((body.get("text") or {}).get("content", ""))
            if len(content.encode("utf-8")) > MAX_CONTENT_BYTES:
                return Reply({"errcode": 45002, "errmsg": "content size out of limit"})
            if name == "message/send" and not self._first_within_window(body):
                return Reply({"errcode": 0, "errmsg": "ok", "msgid": f"m{len(self.sent)}"})
            self.sent.append({"path": name, **body})
            self.changed.notify_all()
        return Reply({"errcode": 0, "errmsg": "ok", "msgid": f"m{len(self.sent)}"})

    def _first_within_window(self, body: dict[str, Any]) -> bool:
        """Record a message/send; False when duplicate checking drops it (call with the lock held)."""
        self.attempts.append(body)
        now, user, content = time.monotonic(), str(body.get("touser")), str(body["text"]["content"])
        window = float(body.get("duplicate_check_interval") or 1800)
        repeat = body.get("enable_duplicate_check") == 1 and any(
            (u, c) == (user, content) and now - at <= window for at, u, c in self._delivered_at
        )
        if not repeat:
            self._delivered_at.append((now, user, content))
        return not repeat

    def _authorize(self, query: dict[str, str]) -> Reply:
        """WeCom's page: the member confirms (in the app, or by scanning) and goes back with a code."""
        if query.get("appid") != self.corp_id or not query.get("redirect_uri"):
            return Reply({"errcode": 40013, "errmsg": "invalid corpid"}, 400)
        if self.agent_id is not None and query.get("agentid") != str(self.agent_id):
            return Reply({"errcode": 40056, "errmsg": "invalid agentid"}, 400)
        if self.member is None:
            return Reply({"errcode": 50001, "errmsg": "nobody signed in to WeCom"}, 400)
        code = secrets.token_urlsafe(16)
        self.codes[code] = self.member
        back = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})
        return Reply("", 302, {"Location": back})

    def _token(self, query: dict[str, str]) -> dict[str, Any]:
        if query.get("corpid") != self.corp_id or query.get("corpsecret") != self.secret:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        self.token_requests += 1
        token = f"tok-{self.token_requests}"
        self._valid.add(token)
        return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
