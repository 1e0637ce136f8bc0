"""OutgoingMessage -> Slack Block Kit, within Slack's limits (3000 chars a section, 50 blocks)."""

from __future__ import annotations

import re
from typing import Any

from assistant.answer.channel_limits import SLACK_SECTION_CHARS
from assistant.channels.messages import OutgoingMessage, document_url
from assistant.text.splitting import split_text, truncate

MAX_BLOCKS = 50
FALLBACK_LIMIT = 3000  # the notification text; Slack allows more, phones show far less
BUTTON_VALUE_LIMIT = 2000
FEEDBACK_UP, FEEDBACK_DOWN, SHARE = "feedback_up", "feedback_down", "share_in_channel"
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_TRUNCATED = "\n… (truncated: open the sources for the full text)"


def escape(text: str) -> str:
    """Slack's three control characters in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(markdown: str) -> str:
    return _BOLD.sub(r"*\1*", escape(markdown))


def render(out: OutgoingMessage, public_url: str) -> tuple[str, list[dict[str, Any]]]:
    """(notification text, blocks) for chat.postMessage / postEphemeral / response_url."""
    body = [_section(piece) for piece in split_text(to_mrkdwn(out.text), SLACK_SECTION_CHARS)]
    extra = [_section(piece) for piece in split_text(_sources(out, public_url), SLACK_SECTION_CHARS)]
    extra += [_context(n) for n in out.notes]
    actions = _actions(out)
    room = MAX_BLOCKS - len(extra) - len(actions)
    if room < 1:  # pathological notes/sources: keep the answer, drop the least useful extras
        extra = extra[: MAX_BLOCKS - len(actions) - 1]
        room = 1
    if len(body) > room:
        body = body[:room]
        body[-1] = _section(truncate(body[-1]["text"]["text"] + _TRUNCATED, SLACK_SECTION_CHARS, _TRUNCATED))
    fallback = truncate(out.text, FALLBACK_LIMIT, "…") or " "
    return fallback, body + extra + actions


def _sources(out: OutgoingMessage, public_url: str) -> str:
    lines = []
    for c in out.citations:
        title = escape(c.title).replace("|", "¦")
        lines.append(f"<{document_url(public_url, c.doc_id, c.version)}|[{c.n}] {title}>")
    return ("*Sources*\n" + "\n".join(lines)) if lines else ""


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(escape(text), 2000, "…")}]}


def _actions(out: OutgoingMessage) -> list[dict[str, Any]]:
    buttons = []
    if out.answer_id:
        buttons.append(_button("👍", FEEDBACK_UP, out.answer_id))
        buttons.append(_button("👎", FEEDBACK_DOWN, out.answer_id))
    if out.shareable and out.question:
        buttons.append(_button("Share in channel", SHARE, out.question[:BUTTON_VALUE_LIMIT]))
    return [{"type": "actions", "elements": buttons}] if buttons else []


def _button(label: str, action_id: str, value: str) -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
