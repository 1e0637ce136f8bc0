"""WeCom callback XML: the encrypted envelope and the decrypted message inside it."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

from assistant.channels.messages import IncomingMessage

MAX_BODY = 256 * 1024  # WeCom text messages are at most 2048 bytes; the envelope adds little


class BadPayload(ValueError):
    """Not a WeCom callback body we can read."""


def read_xml(text: str) -> dict[str, str]:
    """The child elements of a flat <xml> document; DTDs (entity tricks) are refused."""
    if len(text) > MAX_BODY or "<!DOCTYPE" in text.upper():
        raise BadPayload("body too large or has a DTD")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise BadPayload(f"not XML: {exc}") from exc
    return {child.tag: (child.text or "") for child in root}


def envelope_ciphertext(body: str) -> str:
    encrypted = read_xml(body).get("Encrypt", "")
    if not encrypted:
        raise BadPayload("no <Encrypt> element")
    return encrypted


def to_incoming(fields: dict[str, str]) -> IncomingMessage | None:
    """A text message as an IncomingMessage; None for events and other message types."""
    if fields.get("MsgType") != "text" or not fields.get("FromUserName"):
        return None
    user = fields["FromUserName"]
    # Group messages (where the platform delivers them) carry ChatId; the app's own chat does not.
    chat = fields.get("ChatId") or ""
    content = fields.get("Content", "")
    digest = hashlib.sha1(content.encode("utf-8")).hexdigest()[:16]
    key = fields.get("MsgId") or f"{user}:{fields.get('CreateTime', '')}:{digest}"
    return IncomingMessage(
        platform="wecom",
        event_key=key,
        user_id=user,
        chat_id=chat or user,
        text=content,
        is_direct=not chat,
    )
