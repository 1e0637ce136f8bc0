"""Retrieval as a user of the library sees it: ranked chunks, snippets, expiry, the LangChain adapter."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.access import AccessPolicy, Principal, SearchFilters
from assistant.index import SearchHit
from assistant.index.schema import RRF_K
from assistant.retrieval.langchain import KnowledgeBaseRetriever
from assistant.retrieval.search import SearchService, build_snippet
from tests.fakes.kb import build_kb

REP = Principal.of("rep", ["rep"], ["east"])
MANAGER = Principal.of("mgr", ["manager"], ["east"])


@pytest.fixture
def search(tmp_path: Path, policy: AccessPolicy) -> SearchService:
    return build_kb(tmp_path, policy)


def test_results_have_everything_a_citation_needs(search: SearchService) -> None:
    top = search.search("云帆CRM 标准版多少钱", REP, 3)[0]
    assert top.doc_id == "crm-price" and "1200 元" in top.text
    assert top.title == "云帆CRM 产品介绍" and top.title_path and top.source
    assert top.snippet and top.score > 0
    assert top.as_of == "2026-01-01" and not top.expired


def test_traditional_question_finds_simplified_and_back(search: SearchService) -> None:
    assert search.search("雲帆CRM 標準版價格", REP, 1)[0].doc_id == "crm-price"
    assert search.search("香港数据中心在哪里", REP, 1)[0].doc_id == "hk-service"


def test_filters_only_narrow(search: SearchService) -> None:
    only_tracks = search.search("价格太贵", MANAGER, 10, SearchFilters(doc_type=("talk_track",)))
    assert only_tracks and {c.metadata["doc_type"] for c in only_tracks} == {"talk_track"}
    assert all(c.doc_id != "floor-price" for c in search.search("最低折扣", REP, 10))


def test_expired_sources_are_flagged_and_rank_lower(search: SearchService) -> None:
    hits = search.search("双十一 促销 优惠", REP, 5)
    promo = next(c for c in hits if c.doc_id == "promo-2024")
    assert promo.expired and promo.as_of


def test_snippet_centres_on_the_query_terms() -> None:
    text = "无关内容。" * 60 + "云帆BI 每十五分钟刷新一次仪表盘。" + "其他内容。" * 60
    snippet = build_snippet(text, "仪表盘 刷新")
    assert "仪表盘" in snippet and len(snippet) < 260 and snippet.startswith("…")


def test_langchain_retriever_is_role_filtered(search: SearchService) -> None:
    rep = KnowledgeBaseRetriever(service=search, principal=REP, k=5)
    docs = rep.invoke("最低折扣 审批")
    assert all("7 折" not in d.page_content for d in docs)
    manager = KnowledgeBaseRetriever(service=search, principal=MANAGER, k=5)
    found = manager.invoke("最低折扣 审批")
    assert any("7 折" in d.page_content for d in found)
    assert {"source", "title_path", "score", "doc_id"} <= set(found[0].metadata)


def test_an_expired_source_ranks_below_a_current_one_only_when_about_as_relevant(
    search: SearchService,
) -> None:
    """Last year's promotion, ranked first by both dense and keyword search, stays in the few chunks an
    answer is built from (above a current document both rank 4th-5th): the expiry is flagged, the
    answer is not buried."""
    expired = {"expires": "2024-12-31", "text": "2024 年双十一期间新签客户享受 85 折优惠。"}
    first_in_both = search.to_chunk(SearchHit("a", 2 / (RRF_K + 1), expired), "双十一")
    fourth_fifth = search.to_chunk(SearchHit("b", 1 / (RRF_K + 4) + 1 / (RRF_K + 5), {}), "双十一")
    tied = search.to_chunk(SearchHit("c", 2 / (RRF_K + 1), {}), "双十一")
    assert first_in_both.expired and first_in_both.score > fourth_fifth.score
    assert tied.score > first_in_both.score
