"""A question is answered only by evidence that gives the kind of fact it asks for, about the brand it
names: a topic mentioned in passing is "not found"."""

from __future__ import annotations

from assistant.answer.extractive import pick_answer
from assistant.answer.fact_kinds import offers, wanted_kinds
from assistant.answer.salience import analyse
from assistant.retrieval.search import RetrievedChunk
from assistant.text.glossary import Glossary, builtin
from tests.unit.test_answer_focus import chunk


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
    assert "星云" in analyse("星云CRM标准版卖多少钱？").names
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


AMOUNTS = [
    "1. 合同金额 50 万元以下：区域经理审批。",
    "2. 合同金额 50 万元（含）至 200 万元：销售副总裁审批，并经法务部审核。",
    "3. 合同金额 200 万元（含）以上：由 CEO 最终审批。",
]


def test_an_amount_on_a_band_edge_goes_to_the_band_that_includes_it() -> None:
    text = answer("合同金额正好 200 万，谁来批？", [chunk("\n".join(AMOUNTS), "合同审批制度")])
    assert "CEO" in text and "销售副总裁" not in text


def track(section: str, text: str, rank: int) -> RetrievedChunk:
    c = chunk(text, "话术：客户在用星云CRM，担心换系统麻烦", rank)
    c.title_path = [c.title, section]
    return c


def test_how_to_respond_quotes_the_recommended_words_not_the_situation() -> None:
    situation = track("场景", "需求挖掘阶段，客户的销售副总说：“星云用了三年了，换系统太折腾。”", 0)
    advice = track(
        "推荐说法", "“换系统确实有成本。我们的搬家助手可以一键导入星云CRM 的客户数据，2 周完成迁移。”", 1
    )
    text = answer("客户一直用星云，说换系统太折腾，怎么聊？", [situation, advice])
    assert text.startswith("“换系统确实有成本") and "需求挖掘阶段" not in text


def test_a_city_named_in_chinese_picks_its_tier_in_an_english_policy() -> None:
    hotels = chunk(
        "Tier-1 cities (Beijing, Shanghai, Guangzhou, Shenzhen): up to CNY 650 per night. "
        "All other mainland cities: up to CNY 450 per night.",
        "Travel and Expense Policy",
    )
    hotels.title_path = ["Travel and Expense Policy", "Hotels"]
    glossary = Glossary(
        [["上海", "shanghai"], ["酒店", "hotels"], ["一晚", "per night"], ["出差", "business trip"]]
    )
    text = answer("去上海出差，酒店一晚最多报多少？", [hotels], glossary)
    assert "650" in text and "450" not in text


def test_two_chunks_that_each_half_answer_do_not_make_an_answer() -> None:
    trial = chunk("新客户可申请 30 天免费试用，试用期内数据可直接转为正式环境。", "云帆CRM 产品说明", 0)
    approval = chunk("合同金额 50 万元（含）至 200 万元：销售副总裁审批，并经法务部审核。", "合同审批制度", 1)
    approval.score = 0.95  # retrieved about as well as the first (RRF scores sit close together)
    assert answer("销售试用期工资是多少？", [trial, approval]) == ""


def test_a_floor_price_question_is_not_answered_with_the_list_price() -> None:
    row = chunk("专业版：标准价 每坐席每年 ¥2,400，全渠道接入、智能工单。", "云帆客服 产品说明")
    assert answer("云帆客服专业版的底价是多少？", [row]) == ""
    policy = chunk("云帆客服专业版底价为每坐席每年 ¥1,560，低于底价须特批。", "价格与折扣政策")
    assert "1,560" in answer("云帆客服专业版的底价是多少？", [policy])


def test_a_floor_price_asked_in_english_is_not_answered_with_the_list_price() -> None:
    """Across languages few words can be compared: the kind of fact decides (a price is not the floor)."""
    kb = Glossary(builtin().groups, own=[["企业版", "enterprise"], ["云帆", "yunfan"]])
    row = chunk("企业版：标准价（每用户每年） ¥1,980，增加会员营销、开放 API。", "云帆CRM 产品介绍")
    assert answer("What is the floor price for YunFan CRM Enterprise?", [row], kb) == ""
    policy = chunk("云帆CRM 企业版底价为每用户每年 ¥1,380，低于底价须特批。", "价格与折扣政策")
    assert "1,380" in answer("What is the floor price for YunFan CRM Enterprise?", [policy], kb)


def test_an_edition_asked_about_must_be_the_one_quoted() -> None:
    card = chunk("星云CRM 标准版标价 ¥1,500/用户/年，企业微信集成需要另购插件。", "竞争对手作战卡：星云CRM")
    assert answer("星云CRM 企业版多少钱一个用户？", [card]) == ""
    assert "1,500" in answer("星云CRM 标准版多少钱一个用户？", [card])


def test_a_rule_for_all_editions_answers_for_each_edition() -> None:
    rule = chunk("所有版本最少购买 10 个用户，按年预付。", "云帆CRM 产品说明")
    assert "10 个用户" in answer("标准版最少要买几个用户？", [rule])


def test_a_results_section_answers_for_the_product_its_case_study_names_elsewhere() -> None:
    title = "Customer story: Pacific Pearl Insurance"
    solution = chunk("Pacific Pearl rolled out YunFan Service Ultimate with 300 seats.", title, 0)
    results = chunk(
        "The voice bot now handles about 40% of calls. Average handling time fell by 27%.", title, 1
    )
    solution.title_path, results.title_path = [title, "Solution"], [title, "Results"]
    results.doc_id = solution.doc_id
    text = answer("What results did Pacific Pearl Insurance get from YunFan Service?", [solution, results])
    assert "27%" in text


def test_ok_in_capitals_is_no_name_the_evidence_must_hold() -> None:
    assert analyse("Is a client dinner for 1,500 yuan OK without approval?").acronyms == []


def test_the_acronym_asked_about_outranks_sentences_sharing_only_the_topic() -> None:
    plan = chunk(
        "销售知识库的建立首先需要明确其核心目标与功能定位。通过OCR技术识别合同或名片信息，快速生成客户档案。",
        "销售知识库建立与维护方案",
    )
    glossary = Glossary([["销售", "sales"], ["知识库", "knowledge base"]])
    text = answer("How can OCR be used with the sales knowledge base?", [plan], glossary)
    assert text.startswith("通过OCR技术")


def test_a_section_number_run_into_its_heading_is_no_number_the_question_asks_for() -> None:
    """Damaged documents glue a heading's number to its text ("4.3财务预算规划…"): the outline number
    does not answer "预算是多少", the stated amount does."""
    glued = chunk(
        "4.3财务预算规划与投资回报分析销售部的财务预算规划需全面考虑直接成本和间接成本。", "四、资源需求"
    )
    assert answer("销售部年会的预算是多少？", [glued]) == ""
    party = chunk("销售部年会预算为 15 万元，由行政部统一管理。", "行政通知")
    assert "15 万元" in answer("销售部年会的预算是多少？", [glued, party])
    budget = chunk("项目总预算预计在200-300万元之间，分阶段投入。", "4.3 财务预算")
    assert "200-300万元" in answer("项目总预算大概多少？", [budget])


def test_numbers_with_a_unit_after_them_stay_quantities() -> None:
    assert offers("number", "团队规模建议控制在8.5人以内")
    assert offers("number", "市场规模达43.5万亿元")
    assert not offers("number", "4.2人力资源配置与团队建设")
    assert not offers("number", "01销售线索管理02客户接触流程")
    assert offers("number", "v6.2是哪天发布的")


def test_each_part_of_a_two_part_question_is_answered() -> None:
    """Nothing named and no quantity asked: the sentence for the other part joins the answer."""
    workflow = chunk(
        "区域总监审批折扣权限，财务部终审付款条款与信用额度。三级审批权限管控，生成采购单同步至仓储部门。",
        "订单处理",
    )
    said = answer("订单审批是几级？折扣由谁批？", [workflow])
    assert "区域总监" in said and "三级审批" in said


def test_a_named_tier_still_keeps_out_the_neighbouring_tier() -> None:
    hotels = chunk("上海：酒店住宿每晚最多报销 650 元。其他城市：酒店住宿每晚最多报销 450 元。", "差旅制度")
    said = answer("去上海出差，酒店一晚最多报多少？", [hotels])
    assert "650" in said and "450" not in said


def test_a_percentage_of_something_else_is_no_answer_to_a_share_question() -> None:
    """An HR question about the commission rate, over a KB that only states a sales target: not found."""
    target = chunk(
        "销售团队的月度销售额应达到目标值的 80% 以上，且需与公司整体销售目标保持一致。", "绩效评估"
    )
    assert answer("公司今年的销售提成比例是多少？", [target, INCENTIVES]) == ""
    rate = chunk("公司销售提成比例为合同回款额的 3%，按季度结算。", "提成制度")
    assert "3%" in answer("公司今年的销售提成比例是多少？", [target, rate])


def test_what_a_vendor_charges_is_a_price_question_and_a_free_edition_is_no_price() -> None:
    assert "price" in wanted_kinds("what does aurora bi charge per user for its cloud edition?")
    assert "price" not in wanted_kinds("who is in charge of the east region?")
    assert not offers("price", "客户说极光bi 有免费版：免费版不支持私有化部署")
    assert offers("price", "企业微信集成免费，不另收费") and offers("price", "the first year is free")


def test_how_a_product_is_charged_answers_how_it_is_priced() -> None:
    assert offers("price", "极光bi 企业版按 cpu 核收费，总价往往更高")
    assert offers("price", "seats are billed per month")
