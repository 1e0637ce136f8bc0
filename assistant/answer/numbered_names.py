"""Numbers in a question that name something rather than count it: the evidence must hold them as
written, like a company's name.

jieba splits them into numerals that no check reads: "双十一" (the 11.11 shopping festival) became
双十 + 一, so a spring promotion "covered" a question about 双十一; "三年期" (a three-year contract
term) is a time word, so a legal-review sentence answered a three-year discount question.
"""

from __future__ import annotations

import re

_NUMERALS = "零一二两三四五六七八九十百千"
# What a counted numeral is followed by (三级, 七五折, 十二个月, 两年): then it counts, it names nothing.
_UNITS = "个級级线人天周月年次种类步层倍成家名位条项点套轮折号日岁分元块期万亿"
# Two or more Chinese numerals in a row, neither a count (followed by a unit) nor an ordinal (第十一).
_NAMED_NUMBER = re.compile(rf"(?<![第\d{_NUMERALS}])[{_NUMERALS}]{{2,}}(?![{_NUMERALS}{_UNITS}]|阶段)")
# A contract or subscription term: 三年期, 两年期, 六个月期.
_TERM = re.compile(rf"[{_NUMERALS}]+(?:年|个月)期")


def numbered_names(norm: str) -> set[str]:
    """The named numbers and terms of a normalised question (三年期, 十一 of 双十一)."""
    return set(_NAMED_NUMBER.findall(norm)) | set(_TERM.findall(norm))
