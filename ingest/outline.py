"""Outline numbers (`一、`, `（二）`, `1.1`, `第三章`) that make a short line a heading."""

from __future__ import annotations

import re

_CN_NUM = "一二三四五六七八九十百零〇"
_CHAPTER = re.compile(rf"^第[{_CN_NUM}\d]+[章部篇]")
_SECTION = re.compile(rf"^第[{_CN_NUM}\d]+节")
_CN_TOP = re.compile(rf"^[{_CN_NUM}]+、")
_CN_PAREN = re.compile(rf"^[（(][{_CN_NUM}]+[)）]")
_DECIMAL = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})(?:\.|、|\s|(?=[^\x00-\x7f]|[A-Za-z]))")
_SENTENCE_END = re.compile(r"[。！？!?；;，,：:]\s*$|[。！？]")
_INNER_MARKER = re.compile(rf"[{_CN_NUM}]+、|(?<![\d.])\d{{1,2}}\.\d{{1,2}}(?![\d%])")
_LEADING_MARKER = re.compile(rf"^(?:第[{_CN_NUM}\d]+[章部篇节]|[{_CN_NUM}]+、|[（(][{_CN_NUM}]+[)）]|[\d.]+)")
MAX_HEADING_CHARS = 40


def outline_level(line: str) -> int | None:
    """Heading depth a numbered line implies (`一、`=1, `（一）`=2, `1.1`=2), or None."""
    text = line.strip()
    if _CHAPTER.match(text) or _CN_TOP.match(text):
        return 1
    if _SECTION.match(text) or _CN_PAREN.match(text):
        return 2
    decimal = _DECIMAL.match(text)
    if decimal:
        return decimal.group(1).count(".") + 1
    return None


def heading_level(line: str) -> int | None:
    """Outline level when the line is short enough and reads like a heading, not a sentence."""
    text = line.strip()
    if not text or len(text) > MAX_HEADING_CHARS or _SENTENCE_END.search(text) or is_run_together(text):
        return None
    return outline_level(text)


def is_run_together(line: str) -> bool:
    """True for a "heading" that is several outline entries glued together (`8.3展望一、背景1.1…`)."""
    rest = _LEADING_MARKER.sub("", line.strip(), count=1)
    return bool(_INNER_MARKER.search(rest))


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def _cn_number(text: str) -> int | None:
    if text == "十":
        return 10
    if len(text) == 1:
        return _CN_DIGITS.get(text)
    if len(text) == 2 and text[0] == "十":
        return 10 + _CN_DIGITS.get(text[1], 0)
    return None


def outline_number(line: str) -> tuple[int, ...] | None:
    """The numbers a heading carries (`2.4.3` -> (2, 4, 3), `八、` -> (8,)); None when unnumbered."""
    text = line.strip()
    decimal = _DECIMAL.match(text)
    if decimal:
        return tuple(int(p) for p in decimal.group(1).split("."))
    top = re.match(rf"^([{_CN_NUM}]+)、", text)
    n = _cn_number(top.group(1)) if top else None
    return (n,) if n is not None else None


def is_parent(parent: str, child: str) -> bool:
    """False only when both are numbered and the child's number does not extend the parent's."""
    p, c = outline_number(parent), outline_number(child)
    return p is None or c is None or (len(p) < len(c) and c[: len(p)] == p)
