"""Message size limits of the chat platforms, and cutting a draft to fit them with a visible note."""

from __future__ import annotations

WECOM_MAX_BYTES = 2048  # WeCom text messages: 2048 bytes of UTF-8
SLACK_SECTION_CHARS = 3000  # Slack Block Kit: 3000 characters per section text


def _cut_at_boundary(text: str, fits: int) -> str:
    """The longest prefix within `fits` characters, ending at a line or sentence end when one is near."""
    head = text[:fits]
    for mark in ("\n", "。", "！", "？", ". ", "! ", "? "):
        at = head.rfind(mark)
        if at >= fits // 2:
            return head[: at + len(mark)].rstrip()
    return head.rstrip()


def fit_bytes(text: str, max_bytes: int, note: str) -> tuple[str, bool]:
    """`text` within `max_bytes` of UTF-8, ending with `note` if it had to be cut."""
    if len(text.encode("utf-8")) <= max_bytes:
        return text, False
    budget = max_bytes - len(("\n" + note).encode("utf-8"))
    fits = len(text.encode("utf-8")[:budget].decode("utf-8", errors="ignore"))
    return _cut_at_boundary(text, fits) + "\n" + note, True


def fit_sections(text: str, max_chars: int, note: str) -> tuple[str, bool]:
    """Each blank-line-separated section within `max_chars`, cut ones ending with `note`."""
    out, cut = [], False
    for section in text.split("\n\n"):
        if len(section) > max_chars:
            section = _cut_at_boundary(section, max_chars - len(note) - 1) + "\n" + note
            cut = True
        out.append(section)
    return "\n\n".join(out), cut


def fit_channel(text: str, channel: str, note: str) -> tuple[str, bool]:
    """The draft cut to the channel's limit (email has none); True when something was cut."""
    if channel == "wecom":
        return fit_bytes(text, WECOM_MAX_BYTES, note)
    if channel == "slack":
        return fit_sections(text, SLACK_SECTION_CHARS, note)
    return text, False
