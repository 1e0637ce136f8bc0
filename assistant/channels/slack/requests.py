"""Raw Slack HTTP requests: verified on their bytes first, then read; anything else is refused.

bolt parses a body before it checks the signature, so garbage would reach its parser (a 500).
Here the signature is checked on the raw bytes (401), then the body must parse into the shape
its kind needs (400): only then does bolt see it.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

# Events a listener answers: they must say who asked and where.
_ANSWERED_EVENTS = ("app_mention", "message")


class SlackRequestError(Exception):
    """A request to refuse: `status` is 401 (not from Slack) or 400 (from Slack, but unreadable)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def verify_signature(verifier: SignatureVerifier, body: bytes, headers: Any) -> None:
    """Raise 401 unless the body is signed with our secret within Slack's five-minute window."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not timestamp.isdigit() or not signature:
        raise SlackRequestError(401, "missing or malformed Slack signature headers")
    if not verifier.is_valid(body, timestamp, signature):
        raise SlackRequestError(401, "bad or stale Slack signature")


def read_payload(body: bytes, content_type: str) -> dict[str, Any]:
    """The request as bolt will see it, checked for the fields our listeners rely on (400 otherwise)."""
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            payload = json.loads(text)
            _check_event(payload)
        else:
            form = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
            payload = json.loads(form["payload"]) if "payload" in form else form
            _check_form(payload)
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise SlackRequestError(400, f"unreadable Slack request: {exc}") from exc
    return dict(payload)


def _check_event(payload: Any) -> None:
    if not isinstance(payload, dict):
        raise ValueError("the body is not a JSON object")
    if payload.get("type") != "event_callback":
        return
    event = payload.get("event")
    if not isinstance(event, dict):
        raise ValueError("event is not an object")
    if event.get("type") in _ANSWERED_EVENTS and not (event.get("subtype") or event.get("bot_id")):
        _need_strings(event, "user", "channel")


def _check_form(payload: Any) -> None:
    if not isinstance(payload, dict):
        raise ValueError("payload is not a JSON object")
    if "command" in payload:
        _need_strings(payload, "user_id", "channel_id")
    elif payload.get("type") == "block_actions":
        user, actions = payload.get("user"), payload.get("actions")
        if not isinstance(user, dict) or not isinstance(actions, list) or not actions:
            raise ValueError("block_actions without a user or actions")
        _need_strings(user, "id")
        for action in actions:
            if not isinstance(action, dict):
                raise ValueError("an action is not an object")
            _need_strings(action, "action_id", "value")
    elif "type" not in payload and "ssl_check" not in payload:
        raise ValueError("neither a command nor an interaction payload")


def _need_strings(obj: dict[str, Any], *names: str) -> None:
    for name in names:
        if not isinstance(obj.get(name), str) or not obj[name]:
            raise ValueError(f"{name} is missing or not a string")


def message_text(value: Any) -> str:
    """A message's text; anything that is not a string reads as empty (the asker gets the help)."""
    return value if isinstance(value, str) else ""
