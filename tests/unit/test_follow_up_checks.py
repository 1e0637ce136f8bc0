"""The checks every follow-up draft gets: other parties named, notes copied, commitments and topics."""

from __future__ import annotations

from assistant.answer.follow_up import Draft, check_draft, draft_follow_up
from assistant.answer.mentions import case_customer, other_parties
from assistant.answer.models import FollowUpRequest
from assistant.answer.rep_notes import commitment, topics_in
from assistant.answer.sales_wording import join_list
from assistant.retrieval.search import RetrievedChunk


def test_other_customers_people_and_phones_are_flagged_but_not_the_addressee() -> None:
    text = "王总，您好！鲜达超市的数字化总监 李明辉（13812345678）也很认可。某华东连锁超市复购提升 18%。云帆CRM 欢迎您。"
    found = other_parties(text, ["华锐精密", "王总"], known_customers=["鲜达超市"])
    assert found == ["鲜达超市", "李明辉", "13812345678"]
    assert (
        other_parties(
            "Dear Ms. Chen, Pacific Pearl Insurance went live.", ["Pacific Pearl Insurance", "Ms. Chen"]
        )
        == []
    )
    assert other_parties("Mr. Lee at Harbour Bank agreed.", ["Pacific Pearl"]) == ["Mr. Lee", "Harbour Bank"]


def test_case_study_titles_name_their_customer() -> None:
    assert case_customer("客户案例：鲜达超市 云帆CRM 会员与导购数字化") == "鲜达超市"
    assert case_customer("Customer story: Pacific Pearl Insurance (Hong Kong)") == "Pacific Pearl Insurance"
    assert case_customer("鲜达超市 续约与扩容方案确认（邮件）") == "鲜达超市"
    assert case_customer("可对外引用的客户成果（匿名版）") is None
    assert case_customer("客户案例：某华东连锁超市") is None


def test_a_draft_that_names_another_customer_or_copies_notes_is_warned_about() -> None:
    req = FollowUpRequest(
        customer="华锐精密", contact="陈总", notes="老板比较难搞，预算大概50万。关心上线周期。"
    )
    draft = Draft(
        "陈总，您好！老板比较难搞，预算大概50万。鲜达超市数字化总监李明辉（13812345678）可以做参考。"
        "首年可优惠30%。"
    )
    warnings = check_draft(draft, req, ["鲜达超市"], "zh-Hans")
    assert any("老板比较难搞，预算大概50万" in w and "笔记" in w for w in warnings)
    assert sum("不是本次的收件人" in w for w in warnings) == 3
    assert any("13812345678" in w for w in warnings)
    assert any("50万" in w and "内部笔记" in w for w in warnings)  # a budget guess is no commitment
    assert any("30%" in w and "都找不到" in w for w in warnings)  # in neither the notes nor a source


def test_commitments_are_restated_and_asks_are_not_commitments() -> None:
    assert commitment("客户问续约能不能打85折。我答应下周三前发送续约方案。") == "下周三前发送续约方案"
    assert (
        commitment("I promised to send the security whitepaper by Friday.")
        == "send the security whitepaper by Friday"
    )
    assert commitment("客户问能不能打85折，老板比较难搞。") is None
    # A note's clause with no subject is the rep's own promise; the customer's promise is not.
    assert commitment("预算大概50万；答应下周二前发案例和报价单") == "下周二前发案例和报价单"
    assert commitment("客户答应下周签约。") is None
    assert [t.key for t in topics_in("关心门店数据同步和上线周期")] == ["timeline", "integration"]
    assert commitment("I'll send a 2.5 page summary. Their boss is tough.") == "send a 2.5 page summary"
    assert [t.key for t in topics_in("关心上线周期和会员复购，预算大概50万")] == ["timeline", "members"]
    assert topics_in("The ability to pay later") == []  # "bi" is a whole word, not part of "ability"


def test_a_draft_never_quotes_a_sentence_naming_a_customer_whose_case_it_may_not_quote() -> None:
    def case(title: str, text: str, level: str) -> RetrievedChunk:
        meta = {"doc_type": "case_study", "access_level": level}
        return RetrievedChunk(title, title, 1.0, text, text, title, [title], title + ".md", None, meta)

    anonymous = case(
        "某连锁零售客户案例",
        "上线三个月后，会员复购率提升 18%，比青禾的项目还快。上线后门店巡检效率提升 25%。",
        "public",
    )
    named = case("客户案例：青禾 会员数字化", "青禾上线后线索转化率提升 32%。", "internal")
    req = FollowUpRequest(
        customer="华锐精密", contact="王总", notes="客户关心会员复购和上线周期。", channel="email"
    )
    draft = draft_follow_up(req, [anonymous, named], "zh-Hans")
    assert "青禾" not in draft.text, draft.text


def test_english_topic_lists_keep_each_topic_whole() -> None:
    assert join_list(["data security and deployment", "data migration"], "en") == (
        "data security and deployment, and data migration"
    )
    assert join_list(["a trial", "lead conversion"], "en") == "a trial and lead conversion"
    assert join_list(["上线周期", "数据迁移", "试用安排"], "zh-Hans") == "上线周期、数据迁移和试用安排"


def test_a_price_never_becomes_a_proof_point_but_the_fact_beside_it_may() -> None:
    def product(text: str) -> RetrievedChunk:
        meta = {"doc_type": "product", "access_level": "public"}
        return RetrievedChunk("p", "p", 1.0, text, text, "产品说明", ["产品说明"], "p.md", None, meta)

    sheet = product(
        "标准实施服务费 ¥30,000 起，标准实施周期为 6 周上线。Standard: CNY 1,680 per user, live in 6 weeks."
    )
    req = FollowUpRequest(customer="华锐精密", contact="王总", notes="客户关心上线周期。", channel="email")
    draft = draft_follow_up(req, [sheet], "zh-Hans")
    assert "标准实施周期为 6 周上线[1]" in draft.text
    assert "30,000" not in draft.text and "30000" not in draft.text
    english = draft_follow_up(req.model_copy(update={"language": "en"}), [sheet], "en")
    assert "1,680" not in english.text  # a currency code is a price too
