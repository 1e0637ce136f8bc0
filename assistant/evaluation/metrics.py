"""Ranking and answer metrics on plain lists, so each can be checked by hand."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

from assistant.text.normalize import to_simplified

_SPACE = re.compile(r"\s+")
_DIGIT_GROUP = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_MARKER = re.compile(r"\[(\d{1,3})\]")


def normalize(text: str) -> str:
    """How facts and canaries are compared: full-width folded (NFKC), Traditional -> Simplified,
    lower case, no whitespace (10个用户 is 10 个用户; a spaced-out phone number is still the number),
    no thousands separators (a table's 2400 is the document's 2,400)."""
    text = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    return _DIGIT_GROUP.sub("", _SPACE.sub("", text))


def rank_sources(sources: Iterable[str]) -> list[str]:
    """Chunks' sources in rank order, each document once (its best chunk's rank)."""
    return list(dict.fromkeys(s for s in sources if s))


def hit_at_k(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return 1.0 if any(s in relevant for s in ranked[:k]) else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    for i, source in enumerate(ranked, 1):
        if source in relevant:
            return 1.0 / i
    return 0.0


def ndcg_at_k(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    """Binary-relevance nDCG: the ideal ranking puts every relevant document first."""
    dcg = sum(1.0 / math.log2(i + 1) for i, s in enumerate(ranked[:k], 1) if s in relevant)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), k) + 1))
    return dcg / ideal if ideal else 0.0


def facts_found(answer: str, facts: Sequence[str]) -> tuple[list[str], list[str]]:
    """(found, missing) key facts, matched as substrings after normalisation."""
    text = normalize(answer)
    found = [f for f in facts if normalize(f) in text]
    return found, [f for f in facts if f not in found]


def cited_markers(answer: str) -> list[int]:
    """The [n] citation markers an answer uses, in order of first use."""
    return list(dict.fromkeys(int(n) for n in _MARKER.findall(answer)))


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None
