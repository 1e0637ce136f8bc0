"""The question's language and script, and converting answer text to it."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from assistant.text.language import detect_language
from assistant.text.normalize import to_simplified

_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
Language = Literal["zh-Hans", "zh-Hant", "en"]


def question_language(text: str) -> Language:
    """zh-Hans, zh-Hant or en; a question with no letters at all is treated as Simplified Chinese."""
    found = detect_language(text)
    return found if found in ("zh-Hans", "zh-Hant", "en") else "zh-Hans"  # type: ignore[return-value]


def is_latin(text: str) -> bool:
    """Mostly latin letters: an English source, even with a Chinese title or product name in it."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    return latin > 2 * han


def is_chinese(text: str) -> bool:
    return detect_language(text) in ("zh-Hans", "zh-Hant")


@lru_cache(maxsize=1)
def _s2t():  # type: ignore[no-untyped-def]
    from opencc import OpenCC

    return OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Simplified Chinese -> Traditional (OpenCC s2t); latin text is unchanged."""
    return str(_s2t().convert(text))


def in_script(text: str, language: str) -> str:
    """Chinese text in the question's script: s2t for zh-Hant questions, t2s for zh-Hans ones."""
    if language == "zh-Hant":
        return to_traditional(text)
    if language == "zh-Hans":
        return to_simplified(text)
    return text


def prompt_language(language: str) -> str:
    """The prompt file suffix for a language: one Chinese prompt serves both scripts."""
    return "en" if language == "en" else "zh"
