"""The knowledge base's own words steer the answer check: a customer named in its glossary must be in
the evidence whole, not as the common words jieba splits it into."""

from __future__ import annotations

from assistant.answer.extractive import pick_answer
from assistant.text.glossary import Glossary, builtin
from tests.unit.test_answer_focus import chunk

KB = Glossary(builtin().groups, own=[["美好生活药局", "meihao pharmacy"], ["企业微信", "wecom"]])
ANOTHER_PHARMACY = "某台湾连锁药局导入后会员回购率提升 21%，上线时共开通 120 个使用者。"


def test_the_glossary_gives_the_kb_names_a_question_uses() -> None:
    assert KB.names_in("美好生活藥局導入了多少個使用者？") == ("美好生活药局",)
    assert KB.names_in("Meihao 导入了多少人") == ()  # latin spellings are checked as words already


def test_a_customer_the_evidence_does_not_name_is_not_answered_from_another() -> None:
    question = "美好生活藥局導入了多少個使用者？"
    assert pick_answer(question, [chunk(ANOTHER_PHARMACY, "案例：连锁药局")], glossary=KB) == []
    named = ANOTHER_PHARMACY.replace("某台湾连锁药局", "美好生活药局")
    picks = pick_answer(question, [chunk(named, "案例：美好生活药局")], glossary=KB)
    assert picks and "120 个使用者" in picks[0].sentence


def test_without_the_kb_glossary_the_common_words_decided_as_before() -> None:
    question = "美好生活藥局導入了多少個使用者？"
    assert pick_answer(question, [chunk(ANOTHER_PHARMACY, "案例：连锁药局")], glossary=builtin())


ONBOARDING = [
    "New sales reps shadow at least 5 customer demos in their first 30 days.",
    "Sales reps submit expense claims within 30 days of the trip, with official invoices.",
]


def test_an_english_question_whose_subject_is_absent_is_not_answered_from_its_common_words() -> None:
    """ "sales reps" is one glossary word said twice, "days" the unit counted: neither is the subject."""
    chunks = [chunk(" ".join(ONBOARDING), "Onboarding")]
    assert pick_answer("How many days of annual leave do sales reps get?", chunks, glossary=builtin()) == []
    picks = pick_answer(
        "How many days do sales reps have to submit expense claims?", chunks, glossary=builtin()
    )
    assert picks and "within 30 days" in picks[0].sentence
