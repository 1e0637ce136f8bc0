"""Text clean-up: pinyin noise out, one script and one width for matching."""

from __future__ import annotations

import re
from functools import lru_cache

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# A parenthesised run of latin syllables carrying at least one tone mark: `(shòu)`, `(guǎn lǐ)`.
# Leading whitespace goes too: PDF line wrapping often leaves `實現 (xiàn)盈利`.
_MARKED = re.compile(
    rf"[ \t]*[(（]\s*(?=[a-zü{_TONE_MARKS} ]*[{_TONE_MARKS}])[a-zü{_TONE_MARKS}]+(?:\s+[a-zü{_TONE_MARKS}]+)*\s*[)）]",
    re.IGNORECASE,
)
# Tone-number pinyin `(shou4)` is only noise right after a Han character; elsewhere it may be a code.
_NUMBERED = re.compile(rf"(?<=[{_HAN}])[(（]\s*[a-zü]+[1-5](?:\s+[a-zü]+[1-5])*\s*[)）]", re.IGNORECASE)
# Full-width letters, digits and symbols become ASCII; CJK sentence punctuation (，。！？：；（）) stays.
_KEEP_FULLWIDTH = set("！（），：；？［］｛｝")
_WIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULLWIDTH} | {
    0x3000: 0x20
}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f]+")


def strip_pinyin(text: str) -> str:
    """Remove inline pinyin annotations such as `銷售(shòu)` or `管理(guǎn lǐ)`; used for display text too."""
    return _NUMBERED.sub("", _MARKED.sub("", text))


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_characters() -> frozenset[str]:
    """Every character of the converter's dictionary keys (all Han): text with none of them stays as it is."""
    converter = _t2s()
    converter.convert("")  # loads the dictionaries
    return frozenset(c for _, _, table in converter.dict_cache.values() for key in table for c in key)


@lru_cache(maxsize=50_000)
def to_simplified(text: str) -> str:
    """Traditional Chinese -> Simplified (OpenCC t2s); other text is unchanged.

    Cached, and skipped for text without a character to convert (English, much Simplified text): the
    answer composer converts the same retrieved sentences again and again, and the pure-Python
    converter costs ~0.5 ms per sentence.
    """
    if _t2s_characters().isdisjoint(text):
        return text
    return str(_t2s().convert(text))


def to_halfwidth(text: str) -> str:
    """Full-width ASCII look-alikes and the ideographic space -> ASCII."""
    return text.translate(_WIDTH_TABLE)


def collapse_whitespace(text: str) -> str:
    """Runs of spaces become one space; blank-line runs become one newline; ends trimmed."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=50_000)
def normalize_for_matching(text: str) -> str:
    """The form search compares: no pinyin, Simplified script, half-width, tidy whitespace."""
    return collapse_whitespace(to_halfwidth(to_simplified(strip_pinyin(text))))
