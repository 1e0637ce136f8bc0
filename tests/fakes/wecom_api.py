"""A local fake of the WeCom server API: gettoken, message/send, appchat/send, scripted errcodes.

with FakeWeComApi(corp_id="ww1", secret="s") as wecom:
    settings = Settings(wecom_api_url=wecom.base_url, ...)
    wecom.fail("message/send", 45009, times=2)   # rate limited twice
    wecom.expire_tokens()                          # next call with an old token gets 42001
    wecom.sent  # [{"touser": ..., "text": {"content": ...}}, ...]
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

from tests.fakes.local_http import LocalHttpFake, Reply

MAX_CONTENT_BYTES = 2048


class FakeWeComApi(LocalHttpFake):
    def __init__(self, corp_id: str, secret: str) -> None:
        super().__init__()
        self.corp_id, self.secret = corp_id, secret
        self.sent: list[dict[str, Any]] = []
        self.token_requests = 0
        self._valid: set[str] = set()
        self._failures: dict[str, list[int]] = defaultdict(list)
        self.changed = threading.Condition(self.lock)
        self.departments: dict[str, list[int]] = {}  # userid -> department ids that user/get reports

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
            self._failures.clear()
            self.token_requests = 0

    def route(
        self, verb: str, path: str, query: dict[str, str], body: dict[str, Any], headers: dict[str, str]
    ) -> Reply:
        name = path.removeprefix("/cgi-bin/")
        with self.lock:
            if name == "gettoken":
                return Reply(self._token(query))
            if query.get("access_token") not in self._valid:
                return Reply({"errcode": 42001, "errmsg": "access_token expired"})
            if self._failures[name]:
                code = self._failures[name].pop(0)
                return Reply({"errcode": code, "errmsg": "scripted failure"})
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
            self.sent.append({"path": name, **body})
            self.changed.notify_all()
        return Reply({"errcode": 0, "errmsg": "ok", "msgid": f"m{len(self.sent)}"})

    def _token(self, query: dict[str, str]) -> dict[str, Any]:
        if query.get("corpid") != self.corp_id or query.get("corpsecret") != self.secret:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        self.token_requests += 1
        token = f"tok-{self.token_requests}"
        self._valid.add(token)
        return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
