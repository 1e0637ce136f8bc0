"""Cutting reply text into pieces that fit a platform's message limit (chars or UTF-8 bytes)."""

from __future__ import annotations

from collections.abc import Callable

Measure = Callable[[str], int]


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Pieces each within `limit`; cuts at paragraph, then line, then sentence/space, then anywhere."""
    pieces: list[str] = []
    rest = text.strip()
    while rest:
        if measure(rest) <= limit:
            pieces.append(rest)
            break
        cut = _cut_point(rest, limit, measure)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [p for p in pieces if p]


def _cut_point(text: str, limit: int, measure: Measure) -> int:
    fit = _longest_prefix(text, limit, measure)
    for sep in ("\n\n", "\n", "。", ". ", " "):
        at = text.rfind(sep, 0, fit)
        if at > fit // 2:  # a natural break, unless it would waste more than half the room
            return at + len(sep)
    return fit


def _longest_prefix(text: str, limit: int, measure: Measure) -> int:
    """The most characters from the start whose measure is within limit (binary search)."""
    low, high = 1, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if measure(text[:mid]) <= limit:
            low = mid
        else:
            high = mid - 1
    return low


def truncate(text: str, limit: int, marker: str, measure: Measure = len) -> str:
    """`text` cut to fit `limit` including `marker` (at a natural break when one is near), or unchanged
    when it already fits."""
    if measure(text) <= limit:
        return text
    room = limit - measure(marker)
    return text[: _cut_point(text, room, measure)].rstrip() + marker
