"""What an answer is about must be what the question is about: a named day or contract term, the
brand's product asked, the thing whose price is asked. Otherwise "not found", never a neighbour's fact."""

from __future__ import annotations

from assistant.answer.extractive import pick_answer
from assistant.answer.salience import analyse, missing_names
from assistant.text.glossary import Glossary, builtin
from assistant.text.normalize import normalize_for_matching
from tests.unit.test_answer_focus import chunk


def _answered(question: str, text: str, title: str, glossary: Glossary | None = None) -> bool:
    return bool(pick_answer(question, [chunk(text, title)], glossary=glossary))


def test_a_named_day_must_be_in_the_evidence() -> None:
    """jieba splits 五一 (May Day) into numerals no check read: any promotion covered it."""
    question = "今年五一有什么促销活动？"
    spring = "春季促销活动：3 月 1 日至 4 月 30 日签约，标准版打九折。"
    assert not _answered(question, spring, "春季促销")
    assert _answered(question, spring.replace("春季", "五一"), "五一促销")


def test_a_contract_term_must_be_in_the_evidence() -> None:
    question = "签两年期合同可以再多给几个百分点的折扣？"
    legal = "使用标准合同模板以外的条款（例如违约金超过合同额 20%）时，必须提交法务部审核合同。"
    assert not _answered(question, legal, "合同审批")
    policy = "签两年期合同的客户，折扣可在审批权限之上再多给 3%。"
    assert _answered(question, policy, "价格与折扣政策")


def test_counting_numerals_are_no_names() -> None:
    """三级, 七五折, 十二个月 count: the evidence may say them with digits."""
    assert _answered("客户要打七五折，要谁审批？", "折扣低于 8 折需要销售总监审批。", "折扣审批")


def test_a_fact_about_another_brands_product_does_not_answer() -> None:
    """A battle card sets the competitor's product against ours in one sentence: the number is ours."""
    question = "星云CRM 免费版最多可以几个人用？"
    card = "客户说星云CRM 有免费版：免费版不支持审批流；云帆CRM 标准版 5 人起售（已覆盖 46 家门店）。"
    assert not _answered(question, card, "对手：星云CRM")
    own = "星云CRM 免费版：最多 3 个用户，不支持审批流。"
    assert _answered(question, own, "对手：星云CRM")


def test_a_fact_before_a_comparison_with_another_brand_still_answers() -> None:
    """What a sentence says after naming a product is about that product; before it, the document's."""
    sheet = "标准版标价 ¥1,500/用户/年，比云帆CRM 标准版便宜。"
    assert _answered("星云CRM 标准版卖多少钱？", sheet, "对手：星云CRM")


def test_an_amount_must_be_the_price_of_what_is_asked() -> None:
    """A talk track about a competitor's cheaper seats quotes what integration costs, not the seat."""
    question = "蓝鲸客服一个坐席报价多少？"
    track = "承认对方坐席单价更低，然后算总拥有成本：蓝鲸客服工单不能和 CRM 打通，二次开发一般 ¥80,000 起。"
    assert not _answered(question, track, "应对蓝鲸客服低价")
    sheet = "蓝鲸客服标准版：每坐席每年 ¥1,800，最少 10 个坐席。"
    assert _answered(question, sheet, "蓝鲸客服报价")


def test_an_english_name_with_a_glossary_spelling_is_checked_in_chinese_evidence() -> None:
    """ "Aurora" is 极光BI in a Chinese document: our own BI's price row does not name it."""
    kb = Glossary(builtin().groups, own=[["极光bi", "aurora bi", "aurora"], ["云帆bi", "yunfan bi"]])
    question = "What does Aurora BI charge per analyst account?"
    focus = analyse(question)
    spellings = kb.alternatives(question, [*focus.names, *focus.acronyms])
    ours = normalize_for_matching("云帆BI 分析师扩展包：每 10 个分析师账号每年 18000 元").lower()
    theirs = normalize_for_matching("极光BI 分析师账号每年 2000 元").lower()
    assert missing_names(focus, ours, False, spellings) == ["aurora"]
    assert missing_names(focus, theirs, False, spellings) == []
    assert missing_names(focus, ours, False, {}) == []  # without a spelling it cannot be checked
