"""The WeCom server API we call: gettoken (cached access token) and message sending."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from assistant.channels.base import DeliveryError
from assistant.config import Settings

log = logging.getLogger(__name__)
TOKEN_INVALID = (40014, 42001)  # invalid / expired access_token: fetch a new one and retry once
RATE_LIMITED = 45009
_EARLY_REFRESH_S = 300  # renew a little before WeCom's expires_in runs out


class _RedactSecrets(logging.Filter):
    """httpx logs request URLs at INFO; ours carry corpsecret / access_token in the query."""

    _SECRET = re.compile(r"(corpsecret|access_token)=[^&\s\"']+")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(self._SECRET.sub(r"\1=***", str(a)) for a in record.args)
        return True


logging.getLogger("httpx").addFilter(_RedactSecrets())


class WeComApiError(DeliveryError):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeCom errcode {errcode}: {errmsg}")
        self.errcode = errcode


class WeComClient:
    """Thread-safe; one access token shared by every worker until it expires or WeCom rejects it."""

    def __init__(
        self,
        api_url: str,
        corp_id: str,
        secret: str,
        agent_id: int,
        http: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api_url = api_url if api_url.endswith("/") else api_url + "/"
        self.corp_id = corp_id
        self._secret = secret
        self.agent_id = agent_id
        self.http = http or httpx.Client(timeout=10.0)
        self.clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def access_token(self, refresh: bool = False) -> str:
        with self._lock:
            if refresh or self._token is None or self.clock() >= self._expires_at:
                data = self._get("gettoken", {"corpid": self.corp_id, "corpsecret": self._secret})
                self._token = str(data["access_token"])
                lifetime = float(data.get("expires_in", 7200))
                self._expires_at = self.clock() + max(lifetime - _EARLY_REFRESH_S, lifetime / 2)
            return self._token

    def send_text(self, user_id: str, content: str, duplicate_check_s: int = 0) -> None:
        """A text message from the app to one person. With `duplicate_check_s`, WeCom drops it when
        the same content went to the same person within that many seconds (a re-send after a crash)."""
        payload: dict[str, Any] = {
            "touser": user_id,
            "msgtype": "text",
            "agentid": self.agent_id,
            "text": {"content": content},
        }
        if duplicate_check_s > 0:
            payload |= {"enable_duplicate_check": 1, "duplicate_check_interval": duplicate_check_s}
        self.call("message/send", payload)

    def send_group_text(self, chat_id: str, content: str) -> None:
        """A text message to a group chat the app created (appchat)."""
        self.call("appchat/send", {"chatid": chat_id, "msgtype": "text", "text": {"content": content}})

    def user_departments(self, user_id: str) -> list[str]:
        """The ids of the departments a member belongs to (`user/get`)."""
        data = self.call("user/get", {"userid": user_id}, method="GET")
        return [str(d) for d in data.get("department", [])]

    def call(self, path: str, payload: dict[str, Any], method: str = "POST") -> dict[str, Any]:
        """Call with the access token; a rejected token is refreshed once. Raises WeComApiError."""
        for refresh in (False, True):
            token = self.access_token(refresh=refresh)
            try:
                if method == "GET":
                    data = self._get(path, {"access_token": token, **payload})
                else:
                    data = self._post(path, token, payload)
            except WeComApiError as exc:
                if exc.errcode in TOKEN_INVALID and not refresh:
                    log.info("wecom: access token rejected (%s); fetching a new one", exc.errcode)
                    continue
                raise
            return data
        raise AssertionError("unreachable")

    def _post(self, path: str, token: str, payload: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.http.post(self.api_url + path, params={"access_token": token}, json=payload)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"network error calling WeCom {path}: {type(exc).__name__}") from exc
        return _checked(response, path)

    def _get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        try:
            response = self.http.get(self.api_url + path, params=params)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"network error calling WeCom {path}: {type(exc).__name__}") from exc
        return _checked(response, path)


def wecom_client(settings: Settings, http: httpx.Client | None = None) -> WeComClient | None:
    """The app's WeCom API client, or None while corp id, secret and agent id are not all set.

    The one place the client is built from settings (chat channel, digests, web sign-in).
    """
    corp_id, secret, agent_id = settings.wecom_corp_id, settings.wecom_secret, settings.wecom_agent_id
    if not (corp_id and secret and agent_id is not None):
        return None
    return WeComClient(settings.wecom_api_url, corp_id, secret.get_secret_value(), agent_id, http=http)


def _checked(response: httpx.Response, path: str) -> dict[str, Any]:
    if response.status_code != 200:
        raise DeliveryError(f"WeCom {path} answered HTTP {response.status_code}")
    data: dict[str, Any] = response.json()
    errcode = int(data.get("errcode", 0))
    if errcode:
        raise WeComApiError(errcode, str(data.get("errmsg", "")))
    return data
