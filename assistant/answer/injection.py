"""Text inside documents that tries to instruct an assistant. It is data; it is never quoted as an answer."""

from __future__ import annotations

import re

from assistant.text.normalize import normalize_for_matching

_PATTERNS = [
    r"ignore (all |any )?(the )?(previous|prior|above|earlier) (instructions|rules|prompts?)",
    r"disregard (all |any )?(the )?(previous|prior|above) (instructions|rules)",
    r"(reveal|print|output|show) (all |the )?(system prompt|pricing floors?|floor prices?|secrets?)",
    r"you are now (in )?(developer|admin|god) mode",
    r"忽略(之前|以上|上面|前面|先前)(的)?(所有|全部)?(指令|指示|规则|提示|要求)",
    r"无视(之前|以上|上面|前面)(的)?(所有|全部)?(指令|规则)",
    r"(输出|显示|告诉我|列出|泄露)(所有|全部)?的?(底价|系统提示|提示词|机密)",
]
_INJECTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def looks_like_injection(text: str) -> bool:
    """True for sentences that address an AI assistant rather than a reader (prompt injection)."""
    return bool(_INJECTION.search(normalize_for_matching(text)))
