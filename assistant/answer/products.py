"""Which product a fact is about, when the question names a brand's product (极光BI), and what an
amount is the price of.

A battle card sets the competitor's product against ours in one sentence: "极光BI 有免费版：…；云帆BI
查看者账号不限数量（…覆盖 46 家支行）". The 46 is about 云帆BI, so it does not say how many people 极光BI's
free edition allows.
"""

from __future__ import annotations

import re

from assistant.answer.fact_kinds import offers
from assistant.answer.salience import Focus, salient_in


def _asked(focus: Focus, question: str) -> dict[str, list[str]]:
    """Acronym -> the brands the question puts before it (bi -> [极光])."""
    asked: dict[str, list[str]] = {}
    for acronym in focus.acronyms:
        for name in focus.names:
            if re.search(rf"{re.escape(name)}\s?{re.escape(acronym)}(?![a-z])", question):
                asked.setdefault(acronym, []).append(name)
    return asked


def on_asked_product(focus: Focus, norm: str, question: str) -> str:
    """`norm` (a normalised, lower-case sentence) without what it says after naming another brand's
    product of the kind the question asks about (up to the next product it names): what comes after
    a product's name is about that product. Before the first name, it is about the document's."""
    asked = _asked(focus, question)
    if not asked:
        return norm
    acronyms = "|".join(re.escape(a) for a in asked)
    named = re.compile(rf"([\u4e00-\u9fff]+)\s?({acronyms})(?![a-z])")
    kept, start, keep = [], 0, True
    for m in named.finditer(norm):
        if keep:
            kept.append(norm[start : m.start()])
        start, keep = m.start(), any(m.group(1).endswith(b) for b in asked[m.group(2)])
    if keep:
        kept.append(norm[start:])
    return "".join(kept)


# A phrase of a sentence: an amount and the words that say what it is the price of stay together.
_PHRASE = re.compile(r"[^，,；;。！？!?]+")
_PRICE_WORD = re.compile(r"价|费|钱|price|cost|fee|charge", re.I)


def prices_asked(focus: Focus, norm: str, alternatives: dict[str, list[str]] | None = None) -> bool:
    """Whether `norm` states an amount in a phrase that says what it is the price of: a price word
    (标准价, 收费, fee) or a word of the question. "二次开发一般 ¥80,000 起" in a talk track about a
    competitor's cheaper seats does not give that competitor's seat price."""
    return any(
        offers("price", phrase) and (_PRICE_WORD.search(phrase) or salient_in(focus, phrase, alternatives))
        for phrase in _PHRASE.findall(norm)
    )
