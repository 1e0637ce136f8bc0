"""Which language a text is written in: Simplified or Traditional Chinese, or English."""

from __future__ import annotations

import re

from assistant.text.normalize import to_simplified

_HAN = re.compile(r"[\u4e00-\u9fff]")


def detect_language(text: str) -> str | None:
    """ "zh-Hans", "zh-Hant" or "en" from the text's characters; None for empty text."""
    sample = text[:4000]
    han = _HAN.findall(sample)
    latin = re.findall(r"[A-Za-z]", sample)
    if not han and not latin:
        return None
    if len(han) < 0.2 * (len(han) + len(latin) / 4):
        return "en"
    chars = "".join(han)
    changed = sum(a != b for a, b in zip(chars, to_simplified(chars), strict=False))
    return "zh-Hant" if changed > 0.03 * len(chars) else "zh-Hans"
