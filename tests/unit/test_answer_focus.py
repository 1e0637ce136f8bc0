"""What the extractive composer quotes: the tier holding the number, the entity asked about,
rows as sentences, and nothing when the evidence does not cover the question."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from assistant.answer.extractive import evidence, pick_answer
from assistant.answer.ranges import coverage, quantities
from assistant.answer.rendering import answer_units
from assistant.answer.salience import analyse
from assistant.retrieval.search import RetrievedChunk
from assistant.text.normalize import normalize_for_matching

TIERS = [
    "折扣在标准价 10% 以内（含 10%）：销售代表可自行决定。",
    "折扣超过 10%、不超过 20%：区域经理审批。",
    "折扣超过 20%、不超过 30%：销售副总裁陈思远审批。",
    "折扣超过 30%，或成交价低于底价：必须 CEO 和 CFO 双签特批。",
]
AMOUNTS = [
    "1. 合同金额 50 万元以下：区域经理审批。",
    "2. 合同金额 50 万元（含）至 200 万元：销售副总裁审批，并经法务部审核。",
    "3. 合同金额 200 万元（含）以上：由 CEO 最终审批。",
]


def chunk(text: str, title: str, rank: int = 0, fields: dict[str, str] | None = None) -> RetrievedChunk:
    meta: dict[str, Any] = {"fields": fields} if fields else {}
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
        metadata=meta,
    )


def answer(question: str, chunks: list[RetrievedChunk]) -> str:
    return " ".join(p.sentence for p in pick_answer(question, chunks))


def test_a_percentage_finds_the_tier_that_contains_it() -> None:
    text = answer("打 25% 的折扣需要谁批？", [chunk("\n".join(TIERS), "价格与折扣政策")])
    assert text.startswith("折扣超过 20%、不超过 30%") and "陈思远" in text
    assert "区域经理" not in text  # the 10–20% tier is never quoted beside it


def test_an_amount_finds_the_approval_band_that_contains_it() -> None:
    text = answer("一个 80 万的合同要谁审批？", [chunk("\n".join(AMOUNTS), "合同审批制度")])
    assert text.startswith("合同金额 50 万元（含）至 200 万元") and "CEO" not in text
    text = answer("300万的合同谁审批", [chunk("\n".join(AMOUNTS), "合同审批制度")])
    assert "CEO" in text and "销售副总裁" not in text


def test_ranges_parse_open_and_closed_bounds() -> None:
    asked = quantities(normalize_for_matching("折扣 25%"))
    assert coverage(asked, "折扣超过 20%、不超过 30%") == (1, 0)
    assert coverage(asked, "折扣超过 10%、不超过 20%") == (1, 1)  # 超过 10% holds 25, 不超过 20% does not
    assert coverage(quantities("300 万"), "合同金额 200 万元（含）以上") == (1, 0)
    assert [q.kind for q in quantities("2027 年的价格政策")] == ["year"]


def test_a_contact_question_answers_with_the_company_asked_about_or_not_at_all() -> None:
    xianda = chunk("鲜达超市数字化总监 李明辉，手机 13812345678。", "鲜达超市案例", 0)
    huarui = chunk("华锐精密上线云帆客服后，工单响应时间从 6 小时缩短到 45 分钟。", "华锐精密案例", 1)
    assert answer("华锐精密的联系人电话是多少？", [xianda, huarui]) == ""
    assert "李明辉" in answer("鲜达超市的联系人电话是多少？", [xianda, huarui])


def test_a_result_question_prefers_the_sentence_with_the_outcome() -> None:
    case = chunk(
        "鲜达超市是上海的区域连锁超市，拥有 120 家门店。上线半年后，线索转化率提升 32%，会员复购率提升 18%。",
        "鲜达超市案例",
    )
    assert answer("鲜达超市上线后效果怎么样？", [case]).startswith("上线半年后，线索转化率提升 32%")


def test_questions_about_what_the_evidence_does_not_mention_are_not_answered() -> None:
    prices = chunk("云帆CRM 企业版每用户每年 ¥1,980，含会员营销、AI 线索评分。", "云帆CRM 产品介绍")
    assert answer("云帆CRM 企业版多少钱？", [prices]).startswith("云帆CRM 企业版每用户每年 ¥1,980")
    for question in ("华为的 CRM 报价是多少？", "云帆CRM 企业版的底价是多少？", "云帆CRM能跟SAP ERP集成吗？"):
        assert answer(question, [prices]) == "", question
    policy = chunk("云帆科技 价格与折扣政策（2026 年版）：企业版底价每用户每年 ¥1,180。", "价格政策")
    assert answer("2027 年的价格政策出来了吗？", [policy]) == ""


def test_a_price_question_needs_an_amount_in_the_answer() -> None:
    track = chunk("蓝鲸客服是云帆客服在中小客户中最常见的对手，主打低价。", "蓝鲸客服对比")
    assert analyse("蓝鲸客服一个坐席报价多少？").wants == {"price"}
    assert answer("蓝鲸客服一个坐席报价多少？", [track]) == ""


def test_prices_written_in_words_count_as_amounts() -> None:
    nimbus = chunk("The Nimbus list price is 20 dollars per store per month.", "Nimbus product overview")
    assert answer("What is the Nimbus list price?", [nimbus]).startswith(
        "The Nimbus list price is 20 dollars"
    )
    euro = chunk("Aurora kostet 15 euros pro Monat; the Aurora list price is 15 euros a month.", "Aurora")
    assert answer("What is the Aurora list price?", [euro]) != ""


def test_a_contact_question_answers_with_the_contact_not_the_company_background() -> None:
    title = "客户案例：美好生活药局"
    background = chunk("美好生活药局是台中起家的连锁药局，全台共有 85 家门市。", f"{title} 客户背景", 0)
    contact = chunk("营运副总 林雅婷，手机 0912-345-678。", f"{title} 客户联络人", 1)
    assert answer("美好生活藥局要找誰聯絡？", [background, contact]).startswith("营运副总 林雅婷")
    assert answer("美好生活藥局要找誰聯絡？", [background]) == ""  # no contact in the evidence


def test_when_asks_for_a_date_only_as_the_question_word() -> None:
    assert analyse("When is v6.2 released?").wants == {"date"}
    assert analyse("Do you know when v6.2 ships?").wants == {"date"}
    assert analyse("How do I update the CRM?").wants == set()  # "date" inside "update" is no cue
    question = "What does McKinsey say happens to loyalty when satisfaction rises by 10%?"
    assert analyse(question).wants == set()
    study = chunk("根据McKinsey研究，客户满意度每提升10%，客户忠诚度将提升20%以上。", "客户满意度")
    assert "20%以上" in answer(question, [study])


def test_an_answer_across_languages_stating_the_asked_acronym_is_confident() -> None:
    # Cross-lingual sentence scores sit near the unrelated floor (e5-small), right sentence or not.
    def faint(question: str, sentences: list[str]) -> list[float]:
        return [0.1] * len(sentences)

    plan = [
        replace(chunk("通过OCR技术识别合同或名片信息，快速生成客户档案。", "知识库规划"), relevance=0.05),
        replace(
            chunk("需组建跨职能技术团队，包括项目经理1名、开发工程师3-5名。", "项目团队"), relevance=0.05
        ),
    ]
    for question, confident in (
        ("How can OCR be used with the sales knowledge base?", True),
        ("How can SAP be used with the sales knowledge base?", False),  # not stated: meaning decides
        ("How big should the dedicated project team be?", False),  # nothing to compare: meaning decides
    ):
        picks = pick_answer(question, plan, similarity=faint)
        assert (evidence(question, plan, picks) >= 0.3) is confident, question


def test_table_rows_read_as_sentences_without_field_labels() -> None:
    faq = chunk(
        "question: 支持私有化部署吗？\nanswer: 支持。",
        "FAQ",
        fields={"question": "支持私有化部署吗？", "answer": "支持。云帆CRM 企业版及以上版本支持私有化部署。"},
    )
    assert answer_units(faq) == ["支持私有化部署吗？——支持。云帆CRM 企业版及以上版本支持私有化部署。"]
    track = chunk(
        "",
        "话术库",
        fields={
            "situation": "客户拿蓝鲸客服的低价来压价",
            "stage": "negotiation",
            "persona": "客服总监",
            "script": "承认对方坐席单价更低，然后算总拥有成本。",
            "proof_points": "某制造企业一次解决率 87%",
        },
    )
    (text,) = answer_units(track)
    assert (
        text
        == "客户拿蓝鲸客服的低价来压价：承认对方坐席单价更低，然后算总拥有成本（某制造企业一次解决率 87%）。"
    )
    price = chunk("", "价目表", fields={"产品": "云帆CRM", "版本": "企业版", "标准价（元/年）": "1980"})
    assert answer_units(price) == ["云帆CRM 企业版：标准价（元/年） 1980。"]


def test_contents_lines_and_repeated_sentences_are_not_quoted() -> None:
    doc = chunk("目录\n1.1 产品概述 ........ 3\n工单平均响应时间从 6 小时缩短到 45 分钟。", "案例")
    assert answer_units(doc) == ["工单平均响应时间从 6 小时缩短到 45 分钟。"]
    again = chunk("华锐精密：工单平均响应时间从 6 小时缩短到 45 分钟。", "案例", 1)
    picked = pick_answer("工单响应时间缩短了多少？", [doc, again])
    assert len(picked) == 1


def test_a_contents_page_run_into_one_line_is_not_quoted() -> None:
    toc = "销售部工作流程图Contents目录01销售线索管理02客户接触流程03销售提案制定04成交阶段管理"
    doc = chunk(f"{toc}。线索来源渠道涵盖行业展会和客户转介绍。", "销售部工作流程")
    assert answer_units(doc) == ["线索来源渠道涵盖行业展会和客户转介绍。"]


def test_two_copies_of_a_sentence_extracted_differently_are_quoted_once() -> None:
    """A document in two formats: "2023 年" in one, "2023年" and a damaged character in the other."""
    pdf = chunk("2023 年我国零售业线上销售占比已超过 35%，其中电商平台成为主要增长点。", "零售报告")
    txt = chunk("2023年我国零售业线上销售占比已超过35%,其中电商平台成为主要增长点?", "零售报告", 1)
    picked = pick_answer("2023 年零售业线上销售占比多少？", [pdf, txt])
    assert len(picked) == 1


SUPPORT = (
    "企业应建立多层级支持体系，包括：-一线支持：如客服代表，负责处理常见问题。\n"
    "-二线支持：如高级技术支持、产品专家，负责复杂问题的诊断与解决。\n"
    "-三线支持：如客户成功经理，负责长期客户关系维护。\n"
    "-四线支持：如研发团队，负责修复产品缺陷。\n"
    "企业应建立问题解决流程，包括问题分类和响应机制。"
)


def test_a_question_asking_for_a_list_gets_every_item_of_it() -> None:
    """ "分成哪几线" is answered with all four lines, not the three best-scoring sentences."""
    said = answer("客户支持体系分成哪几线？", [chunk(SUPPORT, "客户支持")])
    assert all(line in said for line in ("一线支持", "二线支持", "三线支持", "四线支持"))
    assert "问题解决流程" not in said


def test_list_items_without_bullets_are_a_list_too() -> None:
    """Parsers drop the bullets: "内容营销：…" lines after one another are still one list."""
    ways = chunk(
        "通过市场推广活动，提升平台的知名度。\n内容营销：定期发布优质内容，吸引目标用户。\n"
        "合作伙伴推广：与合作伙伴共同推广平台，提升品牌知名度。",
        "推广",
    )
    assert "内容营销" in answer("平台推广可以用哪些办法提高知名度？", [ways])
    assert "内容营销" not in answer("合作伙伴推广怎么提升知名度？", [ways])


def test_what_features_asks_for_the_list_of_them() -> None:
    features = chunk(
        "全渠道接入：电话、网页和 App 统一排队。\n智能工单：工单自动分类派单。\n"
        "客服机器人：旗舰版支持粤语语音机器人。\n智能质检：旗舰版可对全部通话做质检。",
        "云帆客服 核心能力",
    )
    said = answer("云帆客服旗舰版比专业版多了什么功能？", [features])
    assert "粤语语音机器人" in said and "智能质检" in said
