"""A question is answered only by evidence that gives the kind of fact it asks for, about the brand it
names: a topic mentioned in passing is "not found"."""

from __future__ import annotations

from assistant.answer.extractive import pick_answer
from assistant.answer.salience import analyse
from assistant.retrieval.search import RetrievedChunk
from assistant.text.glossary import Glossary


def chunk(text: str, title: str, rank: int = 0) -> RetrievedChunk:
    return RetrievedChunk(
        chunk_id=f"c{rank}",
        doc_id=title,
        score=1.0 / (rank + 1),
        text=text,
        snippet=text,
        title=title,
        title_path=[title],
        source=f"{title}.md",
        page=None,
    )


def answer(question: str, chunks: list[RetrievedChunk], glossary: Glossary | None = None) -> str:
    return " ".join(p.sentence for p in pick_answer(question, chunks, glossary=glossary))


INCENTIVES = chunk("激励机制应包括物质激励：如销售提成、奖金、绩效工资、年终奖等。", "激励机制设计原则")


def test_a_how_much_question_is_not_answered_by_a_sentence_without_a_number() -> None:
    assert answer("销售提成比例是多少？", [INCENTIVES]) == ""
    stated = chunk("销售提成比例为合同回款额的 3%，季度结算。", "提成制度")
    assert "3%" in answer("销售提成比例是多少？", [stated])


def test_how_it_is_calculated_wants_the_rule_not_the_name() -> None:
    assert answer("销售的年终奖怎么计算？", [INCENTIVES]) == ""


def test_where_wants_a_place() -> None:
    budget = chunk("今年公司预算已经用完，年会相关费用请走行政预算。", "预算说明")
    assert answer("今年公司年会在哪里开？", [budget]) == ""
    venue = chunk("今年公司年会在杭州国际会议中心举行。", "年会通知")
    assert "杭州" in answer("今年公司年会在哪里开？", [venue])


def test_a_competitors_product_is_not_answered_with_ours() -> None:
    assert analyse("星云CRM标准版卖多少钱？").names == ["星云"]
    ours = chunk("版本：标准版，标准价（每用户每年）¥1,680。", "云帆CRM 产品说明")
    assert answer("星云CRM标准版卖多少钱？", [ours]) == ""
    assert analyse("客户BI要再加10个分析师，多少钱一年？").names == []  # 客户 is no brand


def test_a_latin_brand_in_a_chinese_question_must_be_in_the_evidence() -> None:
    channels = chunk("云帆客服支持电话、企业微信、网页和 App 接入。", "云帆客服 产品说明")
    assert answer("云帆客服支持 Facebook Messenger 吗？", [channels]) == ""
    assert "App" in answer("云帆客服支持 App 接入吗？", [channels])


def test_an_english_question_is_answered_from_chinese_evidence_through_the_glossary() -> None:
    rule = chunk("折扣超过 10%、不超过 20%：区域经理审批。", "价格与折扣政策")
    glossary = Glossary([["审批", "approve"], ["折扣", "discount"]])
    assert "区域经理" in answer("A client wants a 12% discount. Who has to approve it?", [rule], glossary)
