"""English evidence for a Chinese question: it answers only when it holds what the question is about,
through the glossary's English spellings (retrieval now ranks English sources for Chinese questions)."""

from __future__ import annotations

from assistant.answer.extractive import pick_answer
from assistant.text.glossary import Glossary, builtin
from tests.unit.test_answer_focus import chunk

PRICES = "YunFan CRM Standard: CNY 1,680 per user per year. Enterprise: CNY 1,980 per user per year."
GIFTS = "Gifts to clients may not exceed CNY 200 per person per year."
KB_NAMES = Glossary(
    builtin().groups,
    [
        ["星河ERP", "xinghe erp"],
        ["星云CRM", "xingyun crm"],
        ["云帆CRM", "yunfan crm"],
        ["云帆", "yunfan"],
        ["标准版", "standard"],
    ],
)


def _answer(question: str, text: str) -> str:
    picks = pick_answer(question, [chunk(text, "YunFan CRM overview")], glossary=KB_NAMES)
    return " ".join(p.sentence for p in picks)


def test_another_company_is_not_answered_from_our_english_price_list() -> None:
    assert "1,680" in _answer("云帆CRM 标准版多少钱？", PRICES)
    assert _answer("华为的 CRM 报价是多少？", PRICES) == ""
    assert _answer("纷享销客一个用户一年多少钱？", PRICES) == ""
    assert _answer("星云CRM 标准版卖多少钱？", PRICES) == ""


def test_words_the_glossary_translates_are_found_in_english() -> None:
    assert "200" in _answer("送给客户的礼品，每人最多多少钱？", GIFTS)


def test_a_name_with_an_english_spelling_counts_as_held() -> None:
    text = "Xinghe ERP Standard costs CNY 2,000 per user per year."
    assert "2,000" in _answer("星河ERP 标准版多少钱？", text)


PEARL = Glossary(
    builtin().groups,
    [["太平洋明珠保险", "pacific pearl insurance", "pacific pearl"], ["云帆客服", "yunfan service"]],
)
ANONYMOUS_ROW = "某香港保险公司：上线云帆客服后，粤语语音机器人承接约 40% 来电，平均处理时长下降 27%。"


def test_a_chinese_source_answers_an_english_question_only_when_it_names_the_customer() -> None:
    question = "What results did Pacific Pearl Insurance get from YunFan Service?"
    anonymous = pick_answer(question, [chunk(ANONYMOUS_ROW, "客户成果（匿名版）")], glossary=PEARL)
    assert anonymous == []  # another Hong Kong insurer's figures are not Pacific Pearl's
    named = ANONYMOUS_ROW.replace("某香港保险公司", "太平洋明珠保险")
    picks = pick_answer(question, [chunk(named, "客户成果")], glossary=PEARL)
    assert picks and "27%" in picks[0].sentence
