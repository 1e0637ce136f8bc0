"""A question that asks several things gets each of them answered, and a count question the
sentence stating the count it asks for."""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.asks import split_asks
from assistant.answer.counted import asked_units
from assistant.answer.ranges import Quantity, coverage, quantities
from assistant.retrieval.search import RetrievedChunk
from assistant.text.normalize import normalize_for_matching
from tests.unit.test_answer_focus import AMOUNTS, answer, chunk

BACKUP = chunk(
    "每日全量备份，备份保留 30 天。恢复点目标（RPO）为 1 小时，恢复时间目标（RTO）为 4 小时。"
    "SaaS 服务月度可用性承诺为 99.9%。",
    "备份与恢复",
)
SPECIAL_PRICE = chunk(
    "特批申请需在 CRM 中提交“特价申请单”，写明客户三年预计收入，特批编号格式为 SP-2026-序号。"
    "特批价格有效期 30 天。",
    "特批流程",
)


def test_a_two_part_question_gets_both_parts() -> None:
    said = answer("我们的备份留多久？RPO和RTO分别是多少？", [BACKUP])
    assert "30 天" in said and "1 小时" in said and "4 小时" in said
    assert "99.9%" not in said  # a sentence no ask wants is not added


def test_one_sentence_answers_one_ask_so_the_other_ask_gets_its_own() -> None:
    said = answer("特价申请批下来以后多久有效？编号什么格式？", [SPECIAL_PRICE])
    assert "SP-2026" in said and "有效期 30 天" in said


def test_the_scene_before_a_question_belongs_to_the_ask_after_it() -> None:
    assert split_asks("客户要 75 天账期，可以吗？最长能给多少？") == [
        "客户要 75 天账期 可以吗",
        "最长能给多少",
    ]
    assert split_asks("RPO和RTO分别是多少？") == ["RPO和RTO分别是多少"]
    assert split_asks("Can they get a free trial, and for how long?") == [
        "Can they get a free trial",
        "for how long",
    ]


def test_a_count_question_quotes_the_sentence_with_that_count() -> None:
    case = chunk(
        "北辰乳业是总部位于呼和浩特的乳制品企业，年营收约 38 亿元，在华北有 260 家经销商。"
        "经销商月度对账时间缩短到 1 天。",
        "客户案例：北辰乳业",
    )
    first = answer("北辰乳業經銷商對帳現在要幾天？", [case]).split("。")[0]
    assert "1 天" in first


def test_how_many_of_something_prefers_the_count_in_its_measure_word() -> None:
    editions = chunk(
        "标准版：标准价 ¥1,680，线索、商机、移动端，10 用户起购。所有版本最少购买 10 个用户，按年预付。",
        "版本与账号",
    )
    first = answer("标准版最少得买几个账号啊？", [editions]).split("。")[0]
    assert "10 个用户" in first


def test_a_contact_question_is_not_answered_with_the_headquarters() -> None:
    case = chunk(
        "汇通城市银行是总部位于天津的城市商业银行，共有 46 家支行。客户联系人信息科技部副总经理 赵敏。",
        "客户案例：汇通城市银行",
    )
    said = answer("汇通城市银行的对接人是谁？", [case])
    assert "赵敏" in said and "总部" not in said


def test_an_english_amount_in_millions_finds_its_band() -> None:
    asked = quantities(normalize_for_matching("A 1.5 million yuan contract: who approves it?").lower())
    assert asked == [Quantity("money", 1_500_000.0)]
    bands = [normalize_for_matching(s).lower() for s in AMOUNTS]
    assert [coverage(asked, band) for band in bands] == [(0, 1), (1, 0), (0, 1)]


def _section(text: str, heading: str, rank: int) -> RetrievedChunk:
    base = chunk(text, "话术：银行客户担心数据安全与合规", rank)
    return replace(base, chunk_id=f"c{rank}", title_path=[base.title, heading])


def test_what_to_say_quotes_the_recommendation_not_the_situation_that_restates_the_question() -> None:
    situation = _section(
        "方案演示阶段，银行信息科技部说：“客户数据不能上公有云，你们这个过不了我们的合规。”", "场景", 0
    )
    script = _section(
        "“您的顾虑非常合理。云帆平台通过了等保三级和 ISO/IEC 27001 认证；如果行里要求数据不出机房，"
        "企业版支持私有化部署，数据完全留在行内。我们可以安排一次安全评审会，把架构和渗透测试报告给信息科技部逐项过一遍。”",
        "推荐说法",
        1,
    )
    said = answer("银行信息科技部说客户数据不能上公有云，我怎么接？", [situation, script])
    assert "过不了我们的合规" not in said
    assert "私有化部署" in said and "等保三级" in said


def test_how_many_levels_prefers_the_sentence_stating_the_levels() -> None:
    flow = chunk("订单审批步骤 05：订单审批通过后同步至仓储部门。三级审批权限管控。", "订单审批流程")
    first = answer("订单审批是几级？", [flow]).split("。")[0]
    assert "三级审批" in first


def test_the_recommended_script_is_quoted_whole_in_its_own_order() -> None:
    card = chunk(
        "星云常在季度末给出 7 折。不要跟进价格战；强调总拥有成本和 6 周上线。需要特殊价格时按价格政策走审批。",
        "竞争对手作战卡：星云CRM",
    )
    card = replace(card, title_path=[card.title, "应对星云降价"])
    said = answer("星云季度末常给几折？我们该怎么应对？", [card])
    assert said.startswith("星云常在季度末给出 7 折")
    assert "6 周上线" in said and said.index("价格战") < said.index("6 周上线")


def test_a_word_starting_with_a_unit_is_not_a_count() -> None:
    assert asked_units("三年期合同还能再多给多少折扣") == ()  # a discount, not "N 折"
    assert asked_units("多少人民币") == ()
    assert asked_units("几个人能用") == ("人", "个")


def test_a_clause_cut_at_a_semicolon_is_completed_but_a_lists_next_item_is_not() -> None:
    deck = chunk(
        "Pass the YunFan Certified Seller exam; the pass mark is 80 out of 100. Run your own first demo.",
        "New Sales Hire Onboarding",
    )
    assert "80 out of 100" in answer("What's the pass mark for the YunFan Certified Seller exam?", [deck])
    regions = chunk(
        "华南区负责广东、福建、海南以及港澳台（港台团队归华南区管理）；华北区负责北京、天津、河北、山东。",
        "销售区域划分",
    )
    said = answer("港台团队归哪个区管理？", [regions])
    assert "华南区" in said and "华北区" not in said
