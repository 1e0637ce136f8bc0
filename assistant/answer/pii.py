"""Personal data in chunk text (phones, ID numbers, bank cards, e-mail) masked for readers without `pii`."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from assistant.retrieval.search import RetrievedChunk

_EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)
# 18-digit resident ID: 6-digit region, birth date 19xx/20xx, 3-digit sequence, check digit or X.
_ID_CARD = re.compile(
    r"(?<![0-9A-Za-z])(\d{4})\d{2}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}([0-9Xx])(?![0-9A-Za-z])"
)
# Bank cards: 16-19 digits, optionally grouped by spaces or dashes; Luhn decides.
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){15,18}(?![\d-])")
_MOBILE = re.compile(r"(?<![\d+])((?:\+?86[\s-]?)?)(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _mask_card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return f"****{digits[-4:]}" if _luhn_ok(digits) else match.group(0)


def _mask_id(match: re.Match[str]) -> str:
    tail = match.group(0)[-4:]
    return f"{match.group(1)}{'*' * 10}{tail}"


def mask_pii(text: str) -> str:
    """Mask mobile numbers, ID numbers, Luhn-valid card numbers and e-mail addresses in `text`."""
    if not text:
        return text
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    text = _ID_CARD.sub(_mask_id, text)
    text = _CARD.sub(_mask_card, text)
    return _MOBILE.sub(lambda m: f"{m.group(1)}{m.group(2)}****{m.group(3)}", text)


def _mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, list):
        return [_mask_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask_value(v) for k, v in value.items()}
    return value


def mask_chunk(chunk: RetrievedChunk) -> RetrievedChunk:
    """A copy of the chunk with every text a reader or a model could see masked (payload included)."""
    return replace(
        chunk,
        text=mask_pii(chunk.text),
        snippet=mask_pii(chunk.snippet),
        title=mask_pii(chunk.title),
        title_path=[mask_pii(t) for t in chunk.title_path],
        metadata=_mask_value(chunk.metadata),
    )
