"""The unit a count question asks for: "要几天" wants days, "每天能调多少次" a number of calls,
"how many users" users. A sentence stating a number in that unit ("缩短到 1 天", "100 万次 API 调用")
answers it; one with some other number ("年营收约 38 亿元", "¥1,980") only shares the topic.

Only a preference between sentences (sentence_scores.py): whether to answer at all stays with the
checks in salience.py (requiring the unit cost more false refusals than it saved, eval/README.md).
"""

from __future__ import annotations

import re

# Measure words and counted nouns after 多少/几 (normalised text: Simplified, half-width, lower case).
# Longest first, so 个月 wins over 月 and 工作日 over 日.
_ZH_UNITS = (
    "个工作日",
    "工作日",
    "个小时",
    "小时",
    "分钟",
    "个月",
    "星期",
    "用户",
    "账号",
    "坐席",
    "座席",
    "门店",
    "天",
    "周",
    "月",
    "年",
    "次",
    "家",
    "人",
    "位",
    "名",
    "条",
    "项",
    "倍",
    "折",
    "台",
    "套",
    "场",
)
_ZH_ASK = re.compile(r"(?:多少|几)\s*(?:个)?\s*(" + "|".join(map(re.escape, _ZH_UNITS)) + ")")
_EN_ASK = re.compile(r"\bhow many ([a-z]+)")
_NUMBER = r"(?:\d[\d,.]*\s*(?:万|千|百|亿)?|[一二两三四五六七八九十百千万半]+)"


def asked_unit(norm_question: str) -> str | None:
    """The unit a count question asks for (normalised question), or None when it asks for no count."""
    found = _ZH_ASK.search(norm_question)
    if found:
        return found.group(1).removeprefix("个")
    english = _EN_ASK.search(norm_question)
    if english:
        word = english.group(1)
        return word[:-1] if word.endswith("s") and len(word) > 3 else word
    return None


def states_count(unit: str, norm_sentence: str) -> bool:
    """Whether a (normalised) sentence states a number in `unit`: "30 天", "三个月", "30-day", "10 users"."""
    if unit.isascii():
        return bool(re.search(rf"\d[\d,.]*[\s-]*(?:[a-z]+[\s-]+)?{re.escape(unit)}", norm_sentence))
    return bool(re.search(rf"{_NUMBER}\s*(?:个)?\s*{re.escape(unit)}", norm_sentence))
