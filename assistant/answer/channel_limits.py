"""Message size limits of the chat platforms (the one place they are written), and fitting a draft to them."""

from __future__ import annotations

from assistant.text.splitting import truncate, utf8_len

WECOM_MAX_BYTES = 2048  # WeCom text messages: 2048 bytes of UTF-8
SLACK_SECTION_CHARS = 3000  # Slack Block Kit: 3000 characters per section text
WECOM_MAX_DUPLICATE_CHECK_S = 4 * 3600  # message/send duplicate_check_interval: at most 4 hours


def fit_bytes(text: str, max_bytes: int, note: str) -> tuple[str, bool]:
    """`text` within `max_bytes` of UTF-8, ending with `note` if it had to be cut."""
    fitted = truncate(text, max_bytes, "\n" + note, utf8_len)
    return fitted, fitted != text


def fit_sections(text: str, max_chars: int, note: str) -> tuple[str, bool]:
    """Each blank-line-separated section within `max_chars`, cut ones ending with `note`."""
    sections = [truncate(section, max_chars, "\n" + note) for section in text.split("\n\n")]
    fitted = "\n\n".join(sections)
    return fitted, fitted != text


def fit_channel(text: str, channel: str, note: str) -> tuple[str, bool]:
    """The draft cut to the channel's limit (email has none); True when something was cut."""
    if channel == "wecom":
        return fit_bytes(text, WECOM_MAX_BYTES, note)
    if channel == "slack":
        return fit_sections(text, SLACK_SECTION_CHARS, note)
    return text, False
