"""Chat commands: `ask` (default), `talk`, `followup`, `up`/`down` (feedback), `help`, `digest on|off`."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Leading words that pick a command; Chinese aliases for WeCom users.
_ALIASES = {
    "ask": "ask",
    "问": "ask",
    "talk": "talk",
    "话术": "talk",
    "followup": "followup",
    "follow-up": "followup",
    "跟进": "followup",
    "up": "up",
    "+1": "up",
    "👍": "up",
    "down": "down",
    "-1": "down",
    "👎": "down",
    "help": "help",
    "帮助": "help",
    "digest": "digest",
    "摘要": "digest",
}
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_ANSWER_ID = re.compile(r"^[A-Za-z0-9_-]{6,100}$")


@dataclass(frozen=True)
class Command:
    name: str  # ask | talk | followup | up | down | help | digest
    text: str = ""
    customer: str = ""
    contact: str | None = None  # `followup 鲜达超市 / 李总: …`
    answer_id: str | None = None


class CommandError(ValueError):
    """The message looks like a command but is missing something; the text says what."""


def parse_command(raw: str) -> Command:
    """Turn a chat message (bot mentions removed) into a command; plain text is a question."""
    text = _MENTION.sub(" ", raw).strip()
    if not text:
        return Command("help")
    head, _, rest = text.partition(" ")
    name = _ALIASES.get(head.lower().rstrip(":："))
    rest = rest.strip()
    if name is None:
        return Command("ask", text)
    if name in ("ask", "talk") and not rest:
        raise CommandError(f"`{head}` needs some text after it, e.g. `{head} pricing objections`")
    if name == "followup":
        return _follow_up(rest)
    if name in ("up", "down"):
        return _feedback(name, rest)
    return Command(name, rest)


def _follow_up(rest: str) -> Command:
    match = re.match(r"(.+?)[:：]\s*(.+)", rest, re.DOTALL)
    if not match or not match.group(1).strip():
        raise CommandError("usage: `followup <customer>[ / <contact>]: <meeting notes>`")
    customer, _, contact = match.group(1).partition("/")
    return Command(
        "followup", match.group(2).strip(), customer=customer.strip(), contact=contact.strip() or None
    )


def _feedback(name: str, rest: str) -> Command:
    first, _, comment = rest.partition(" ")
    if first and _ANSWER_ID.match(first) and any(ch.isdigit() for ch in first):
        return Command(name, comment.strip(), answer_id=first)
    return Command(name, rest)
