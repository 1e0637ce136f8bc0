"""A deterministic check that a draft invents no price, discount, percentage, date or deadline.

Every figure in the draft must also appear (same kind, same value) in the rep's notes or in a cited
source. Kinds: money (¥ 元 万 $), percent, discount (折), date (2026-03-01, 3月1日), duration
(两周内, within 2 weeks) and any other number. Money and bare numbers match each other
("1200 元" supports "¥1,200"); the other kinds only match their own kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.normalize import normalize_for_matching

_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_NUM = r"\d[\d,]*(?:\.\d+)?"
_CN_NUM = r"[一二两三四五六七八九十]+"
_UNIT_DAYS = {"天": 1, "日": 1, "day": 1, "周": 7, "星期": 7, "week": 7, "个月": 30, "月": 30, "month": 30}
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("date", re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?!\d)")),
    ("date", re.compile(r"()(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?!\d)")),
    ("duration", re.compile(rf"({_NUM}|{_CN_NUM})\s*(个月|星期|天|日|周)(?:内|之内)")),
    ("duration", re.compile(rf"within\s+({_NUM}|{_CN_NUM}|one|two|three|four)\s+(day|week|month)s?", re.I)),
    ("money", re.compile(rf"[¥$￥]\s*({_NUM})\s*(万|k|m)?", re.I)),
    ("money", re.compile(rf"\b(?:cny|rmb|usd|hkd|eur)\s*({_NUM})\s*(万|k|m)?(?![a-z])", re.I)),
    ("money", re.compile(rf"({_NUM})\s*(万元|万|元|美元|块|rmb|cny|usd|hkd|eur|yuan|dollars?)", re.I)),
    ("percent", re.compile(rf"({_NUM})\s*%")),
    ("discount", re.compile(rf"({_NUM}|{_CN_NUM})\s*折")),
    ("number", re.compile(rf"(?<![\w.])({_NUM})(?![\w.])")),
]
_EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4}
_MARKER = re.compile(r"[\[［]\d{1,3}[\]］]")


@dataclass(frozen=True)
class Claim:
    text: str
    kind: str
    value: str


def _number(raw: str) -> float:
    raw = raw.strip().lower()
    if raw in _EN_NUMBERS:
        return float(_EN_NUMBERS[raw])
    if raw and all(ch in _CN_DIGITS for ch in raw):
        if "十" not in raw:
            return float(_CN_DIGITS[raw[0]])
        tens, _, ones = raw.partition("十")  # 十二, 二十, 二十三
        return float((_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0))
    return float(raw.replace(",", ""))


def _value(kind: str, m: re.Match[str]) -> str:
    if kind == "date":
        day = f"{int(m.group(2))}-{int(m.group(3))}"
        return f"{m.group(1)}-{day}" if m.group(1) else day
    if kind == "duration":
        unit = next(u for u in _UNIT_DAYS if m.group(2).lower().startswith(u))
        return f"{_number(m.group(1)) * _UNIT_DAYS[unit]:g}d"
    if kind == "money":
        scale = {"万": 10_000, "万元": 10_000, "k": 1_000, "m": 1_000_000}.get((m.group(2) or "").lower(), 1)
        return f"{_number(m.group(1)) * scale:g}"
    return f"{_number(m.group(1)):g}"


def extract_claims(text: str) -> list[Claim]:
    """Figures in `text`, most specific kind first; a span claimed once is not claimed again."""
    text = _MARKER.sub(" ", normalize_for_matching(text))
    taken = [False] * len(text)
    claims = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            claims.append(Claim(m.group(0).strip(), kind, _value(kind, m)))
    return claims


def _same_date(claim: str, known: str) -> bool:
    """Equal dates; a date without a year matches the same day in any year."""
    return (
        claim == known
        or claim.count("-") != known.count("-")
        and (claim.endswith("-" + known) or known.endswith("-" + claim))
    )


def known_claims(evidence: list[str]) -> set[tuple[str, str]]:
    """The (kind, value) of every claim in the evidence texts."""
    return {(c.kind, c.value) for text in evidence for c in extract_claims(text)}


def supported(claim: Claim, known: set[tuple[str, str]]) -> bool:
    """Whether `known` holds the claim (the same date or amount written another way counts)."""
    if (claim.kind, claim.value) in known:
        return True
    if claim.kind == "date":
        return any(kind == "date" and _same_date(claim.value, value) for kind, value in known)
    if claim.kind in ("money", "number"):
        return ("money", claim.value) in known or ("number", claim.value) in known
    return False


def unsupported_claims(draft: str, evidence: list[str]) -> list[Claim]:
    """Claims in `draft` that appear in none of the `evidence` texts (notes, cited sources)."""
    known = known_claims(evidence)
    return [c for c in extract_claims(draft) if not supported(c, known)]
