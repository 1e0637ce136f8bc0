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
    "级",
    "步",
    "轮",
    "层",
)
# A unit that begins a longer word is not the unit asked: 多少折扣 asks a discount, 多少人民币 an amount.
_NOT_A_UNIT = r"(?!扣|民币|费|度|薪|级别)"
_ZH_ASK = re.compile(r"(?:多少|几)\s*(?:个)?\s*(" + "|".join(map(re.escape, _ZH_UNITS)) + ")" + _NOT_A_UNIT)
_ZH_ANY_COUNT = re.compile(r"(?:多少|几)\s*个")
_EN_ASK = re.compile(r"\bhow many ([a-z]+)")
_NUMBER = r"(?:\d[\d,.]*\s*(?:万|千|百|亿)?|[一二两三四五六七八九十百千万半]+)"


def asked_units(norm_question: str) -> tuple[str, ...]:
    """The units a count question asks for (normalised question); () when it asks for no count.
    "几个账号" takes "10 个用户" too: 个 is the count's own measure word."""
    found = _ZH_ASK.search(norm_question)
    if found:
        counted = "个" in found.group(0) and found.group(1) not in ("个月", "个工作日", "个小时")
        return (found.group(1), "个") if counted else (found.group(1),)
    if _ZH_ANY_COUNT.search(norm_question):
        return ("个",)
    english = _EN_ASK.search(norm_question)
    if english:
        word = english.group(1)
        return (word[:-1] if word.endswith("s") and len(word) > 3 else word,)
    return ()


def states_count(units: tuple[str, ...], norm_sentence: str) -> bool:
    """Whether a (normalised) sentence states a number in one of `units`: "30 天", "三个月", "30-day",
    "10 users"."""
    for unit in units:
        if unit.isascii():
            pattern = rf"\d[\d,.]*[\s-]*(?:[a-z]+[\s-]+)?{re.escape(unit)}"
        else:
            pattern = rf"{_NUMBER}\s*(?:个)?\s*{re.escape(unit)}"
        if re.search(pattern, norm_sentence):
            return True
    return False
