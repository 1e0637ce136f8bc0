"""Personal data in chunk text (phones, ID numbers, bank cards, e-mail) masked for readers without `pii`.

Matching runs on a same-length normalised copy of the text (each character NFKC-folded when that
gives one character: full-width digits, `＠`, `（at）`), so spans found there are replaced in the
original. Digits may be spaced or split by `- . ( ) /`; each run of digit groups is tried window
by window against the formats below, so a phone number next to another number is still found.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from assistant.retrieval.search import RetrievedChunk, build_snippet

_AT = r"(?:@|\(at\)|\[at\])"
_EMAIL = re.compile(
    rf"(?<![\w.+-])([A-Za-z0-9])[A-Za-z0-9._%+-]*\s?{_AT}\s?"
    r"([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})",
    re.IGNORECASE,
)
# A run of digit groups: digits, then up to two separators, then digits...; an ID may end in X.
_RUN = re.compile(r"(?<![0-9A-Za-z])\+?\d(?:[ \t\u00a0\-.()/–—]{0,2}\d)*(?:[Xx])?(?![0-9A-Za-z])")
_GROUP = re.compile(r"\d+[Xx]?")
MAX_GROUPS = 24  # windows tried per run: enough for a number spelled one digit at a time
MAX_DIGITS = 22


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _date_ok(month: str, day: str) -> bool:
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _id_number(d: str) -> str | None:
    """Resident ID: 18 digits (19xx/20xx birth date, check digit or X) or the old 15-digit form."""
    if len(d) == 18 and d[:17].isdigit() and d[6:8] in ("19", "20") and _date_ok(d[10:12], d[12:14]):
        return f"{d[:4]}{'*' * 10}{d[-4:]}"
    if len(d) == 15 and d.isdigit() and _date_ok(d[8:10], d[10:12]):
        return f"{d[:4]}{'*' * 7}{d[-4:]}"
    return None


# Compiled once: _phone runs for every window of every digit run in every chunk a reader sees.
_INTERNATIONAL = tuple(
    (code, re.compile(code + national))
    for code, national in (("86", r"1[3-9]\d{9}"), ("886", r"9\d{8}"), ("852", r"[5689]\d{7}"))
)
_LOCAL_MOBILE = re.compile(r"1[3-9]\d{9}|09\d{8}")
_LANDLINE = re.compile(r"0[1-9]\d{8,10}")


def _phone(d: str, plus: bool) -> str | None:
    """Mainland/Taiwan mobiles, Hong Kong numbers (with +852), mainland landlines (0 + area code)."""
    for code, pattern in _INTERNATIONAL:
        if pattern.fullmatch(d):
            return f"+{code} " + _keep_ends(d[len(code) :])
    if not plus and (_LOCAL_MOBILE.fullmatch(d) or _LANDLINE.fullmatch(d)):
        return _keep_ends(d)
    return None


def _keep_ends(d: str) -> str:
    head = 3 if len(d) >= 10 else 0
    return f"{d[:head]}****{d[-4:]}"


def _classify(d: str, plus: bool) -> str | None:
    """The masked form of one candidate number, or None when it is not personal data."""
    if not plus:
        masked = _id_number(d.upper())
        if masked:
            return masked
        if 16 <= len(d) <= 19 and d.isdigit() and _luhn_ok(d):
            return f"****{d[-4:]}"
    return _phone(d, plus) if d.isdigit() else None


def _mask_run(run: str, norm_run: str) -> str:
    """Mask every window of whole digit groups in a run that is personal data; keep the rest."""
    groups = list(_GROUP.finditer(norm_run))[:MAX_GROUPS]
    out, kept_to, i = [], 0, 0
    while i < len(groups):
        found = _longest_window(norm_run, groups, i)
        if found is None:
            i += 1
            continue
        j, masked = found
        start = 0 if i == 0 and norm_run.startswith("+") else groups[i].start()
        out += [run[kept_to:start], masked]
        kept_to, i = groups[j].end(), j + 1
    return "".join(out) + run[kept_to:]


def _longest_window(norm_run: str, groups: list[re.Match[str]], i: int) -> tuple[int, str] | None:
    plus = i == 0 and norm_run.startswith("+")
    best = None
    digits = ""
    for j in range(i, len(groups)):
        digits += groups[j].group(0)
        if len(digits) > MAX_DIGITS:
            break
        masked = _classify(digits, plus)
        if masked:
            best = (j, masked)
    return best


def _fold(text: str) -> str:
    """Same length as `text`: each character NFKC-folded where that yields exactly one character."""
    if text.isascii():
        return text
    folded = (unicodedata.normalize("NFKC", ch) for ch in text)
    return "".join(f if len(f) == 1 else ch for f, ch in zip(folded, text, strict=True))


def _sub_on_folded(pattern: re.Pattern[str], text: str, repl: Callable[[str, re.Match[str]], str]) -> str:
    """Find matches on the folded copy, replace the same spans in the original."""
    norm = _fold(text)
    out, last = [], 0
    for m in pattern.finditer(norm):
        out += [text[last : m.start()], repl(text[m.start() : m.end()], m)]
        last = m.end()
    return "".join(out) + text[last:] if out else text


def mask_pii(text: str) -> str:
    """Mask phone numbers, ID numbers, Luhn-valid card numbers and e-mail addresses in `text`."""
    if not text:
        return text
    text = _sub_on_folded(_EMAIL, text, lambda _raw, m: f"{m.group(1)}***@{m.group(2)}")
    return _sub_on_folded(_RUN, text, lambda raw, m: _mask_run(raw, m.group(0)))


def _mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, list):
        return [_mask_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask_value(v) for k, v in value.items()}
    return value


def mask_chunk(chunk: RetrievedChunk, query: str) -> RetrievedChunk:
    """A copy of the chunk with every text a reader or a model could see masked (payload included).

    The whole text is masked before the snippet is cut from it: masking a cut window would miss
    a number split by the window's edge.
    """
    text = mask_pii(chunk.text)
    return replace(
        chunk,
        text=text,
        snippet=build_snippet(text, query),
        title=mask_pii(chunk.title),
        title_path=[mask_pii(t) for t in chunk.title_path],
        metadata=_mask_value(chunk.metadata),
    )
