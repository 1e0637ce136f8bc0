"""Quantities in questions and the ranges in rules that cover them: "25% 谁批" -> the 20%–30% tier.

A quantity is a number with a kind: `percent` (25%), `money` (300万, 2,000 元/yuan, ¥1,980),
`days` (75 天, 90 days) or `year` (2027 年). A rule sentence states ranges of the same kinds:
"10%–20%", "50 万元（含）至 200 万元", "超过 60 天", "10% 以内", "above CNY 2,000".
Text is expected already normalised (normalize_for_matching: Simplified, half-width, lower case).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_NUM = r"\d[\d,]*(?:\.\d+)?"
# Money needs a currency word next to the number; a bare 万 counts as money (万元 dropped its 元).
_UNIT = r"(?:%|万元|万|元|块|yuan|rmb|cny|天|日|days?|个工作日)"
_CURRENCY_BEFORE = r"(?:[¥$￥]|cny|rmb)\s*"
_QUANTITY = re.compile(rf"(?:{_CURRENCY_BEFORE})?({_NUM})\s*({_UNIT})?", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年(?!\d)|(?<![\d-])(20\d\d)(?![\d%-])")
_BETWEEN = re.compile(
    rf"(?:{_CURRENCY_BEFORE})?({_NUM})\s*({_UNIT})?\s*(?:（含）|\(含\))?\s*(?:–|—|-|~|～|至|到|to)\s*"
    rf"(?:{_CURRENCY_BEFORE})?({_NUM})\s*({_UNIT})",
    re.IGNORECASE,
)
_ABOVE = re.compile(
    rf"(?<!不)(?:超过|超出|高于|大于|多于|above|over|more than|exceeding)\s*(?:{_CURRENCY_BEFORE})?({_NUM})\s*({_UNIT})"
    rf"|(?:{_CURRENCY_BEFORE})?({_NUM})\s*({_UNIT})\s*(?:（含）|\(含\))?\s*(?:以上|及以上|or more)",
    re.IGNORECASE,
)
_BELOW = re.compile(
    rf"(?:不超过|低于|少于|小于|up to|below|under|less than)\s*(?:{_CURRENCY_BEFORE})?({_NUM})\s*({_UNIT})"
    rf"|(?:{_CURRENCY_BEFORE})?({_NUM})\s*({_UNIT})\s*(?:（含\s*{_NUM}\s*%?）)?\s*(?:以内|以下|及以下|之内)",
    re.IGNORECASE,
)


# English amounts in words of scale: "a 1.5 million yuan contract" falls in the 50–200 万 band.
_SCALES = {"million": 1_000_000.0, "thousand": 1_000.0, "k": 1_000.0}
_SCALED = re.compile(rf"({_NUM})\s*(million|thousand|k)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    kind: str  # percent | money | days | year
    value: float


@dataclass(frozen=True)
class Span:
    """A range a rule states: `low` <= x <= `high` ("超过 20%" excludes its own bound: `open_low`)."""

    kind: str
    low: float
    high: float
    open_low: bool = False
    open_high: bool = False

    def covers(self, q: Quantity) -> bool:
        above = q.value > self.low if self.open_low else q.value >= self.low
        below = q.value < self.high if self.open_high else q.value <= self.high
        return self.kind == q.kind and above and below


def _kind(unit: str | None, currency: bool) -> str | None:
    u = (unit or "").lower()
    if u == "%":
        return "percent"
    if u in ("天", "日", "day", "days", "个工作日"):
        return "days"
    if currency or u in ("万元", "万", "元", "块", "yuan", "rmb", "cny"):
        return "money"
    return None


def _value(raw: str, unit: str | None) -> float:
    scale = 10_000 if (unit or "") in ("万", "万元") else 1
    return float(raw.replace(",", "")) * scale


def _scaled(m: re.Match[str]) -> str:
    return f"{float(m.group(1).replace(',', '')) * _SCALES[m.group(2).lower()]:.0f}"


def quantities(text: str) -> list[Quantity]:
    """The quantities a question names: years, and numbers with a percent, money or day unit."""
    text = _SCALED.sub(_scaled, text)  # "1.5 million yuan" is 1500000 yuan (150 万)
    found: list[Quantity] = []
    for m in _YEAR.finditer(text):
        found.append(Quantity("year", float(m.group(1) or m.group(2))))
    years = {m.span() for m in _YEAR.finditer(text)}
    for m in _QUANTITY.finditer(text):
        if any(s <= m.start() < e for s, e in years):
            continue
        currency = bool(re.match(_CURRENCY_BEFORE, m.group(0), re.IGNORECASE))
        kind = _kind(m.group(2), currency)
        if kind:
            found.append(Quantity(kind, _value(m.group(1), m.group(2))))
    return found


def spans(text: str) -> list[Span]:
    """Every range and every single quantity (as a one-point range) stated in `text`."""
    out: list[Span] = []
    for m in _BETWEEN.finditer(text):
        kind = _kind(m.group(4), "¥" in m.group(0) or "cny" in m.group(0).lower())
        if kind:
            unit_low = m.group(2) or m.group(4)
            # "50 万元（含）至 200 万元": the bound marked 含 is in, so the other one is not (the next band
            # reads "200 万元（含）以上")
            open_high = "含" in m.group(0) and not re.search(
                r"[（(]含[)）]\s*$", text[m.start() : m.end() + 4]
            )
            low, high = _value(m.group(1), unit_low), _value(m.group(3), m.group(4))
            out.append(Span(kind, low, high, open_high=open_high))
    for m in _ABOVE.finditer(text):
        raw, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        kind = _kind(unit, False)
        if kind:
            out.append(Span(kind, _value(raw, unit), math.inf, open_low=bool(m.group(1))))
    for m in _BELOW.finditer(text):
        raw, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        kind = _kind(unit, False)
        if kind:
            out.append(Span(kind, 0.0, _value(raw, unit)))
    out += [Span(q.kind, q.value, q.value) for q in quantities(text)]
    return out


def coverage(asked: list[Quantity], text: str) -> tuple[int, int]:
    """(asked quantities `text` covers, ranges in `text` of an asked kind that cover none of them).

    A rule sentence for the neighbouring tier ("超过 10%、不超过 20%" for 25%) covers one bound but misses
    the other, so (covered - misses) ranks the right tier first.
    """
    if not asked:  # most questions name no number: nothing to cover, nothing to miss
        return 0, 0
    stated = spans(text)
    covered = sum(1 for q in asked if any(s.covers(q) for s in stated))
    kinds = {q.kind for q in asked}
    misses = sum(
        1 for s in stated if s.kind in kinds and s.low != s.high and not any(s.covers(q) for q in asked)
    )
    return covered, misses
