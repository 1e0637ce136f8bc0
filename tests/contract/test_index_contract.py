"""One suite, both Qdrant backends: embedded qdrant-edge and qdrant-client (`:memory:`, or QDRANT_URL)."""

from __future__ import annotations

import pytest

from assistant.access import Principal, SearchFilters
from assistant.index import IndexModelMismatch, VectorIndex
from tests.contract.conftest import ADMIN, EMBEDDER, ENCODER, put


def find(index: VectorIndex, query: str, who: Principal = ADMIN, **filters: tuple[str, ...]) -> list[str]:
    hits = index.search(who, EMBEDDER.embed_query(query), ENCODER.query(query), 10, SearchFilters(**filters))
    return [h.payload["doc_id"] for h in hits]


def test_hybrid_search_finds_chinese_and_english(index: VectorIndex) -> None:
    put(index, "crm", ["云帆CRM 支持线索管理和销售漏斗分析"])
    put(index, "bi", ["Yunfan BI dashboards show revenue by region"])
    assert find(index, "销售漏斗")[0] == "crm"
    assert find(index, "revenue dashboards")[0] == "bi"


def test_pending_chunks_are_invisible_until_published(index: VectorIndex) -> None:
    put(index, "draft", ["半成品文档 尚未提交"], publish=False)
    assert "draft" not in find(index, "半成品文档")
    index.delete_pending()
    index.publish("draft", "v1")
    assert "draft" not in find(index, "半成品文档"), "a crash leftover must not come back"


def test_publishing_a_new_version_replaces_the_old_one(index: VectorIndex) -> None:
    put(index, "price", ["旧版 报价单 第一版"], version="v1")
    put(index, "price", ["新版 报价单 第二版", "新版 附录"], version="v2")
    chunks = index.chunks_of(ADMIN, "price")
    assert [c.payload["text"] for c in chunks] == ["新版 报价单 第二版", "新版 附录"]


def test_delete_document(index: VectorIndex) -> None:
    put(index, "gone", ["将被删除的文档"])
    index.delete_document("gone")
    assert find(index, "将被删除的文档") == []


def test_metadata_filters_narrow_results(index: VectorIndex) -> None:
    put(index, "faq", ["常见问题 部署方式"], doc_type="faq")
    put(index, "sheet", ["产品手册 部署方式"], doc_type="product")
    assert find(index, "部署方式", doc_type=("faq",)) == ["faq"]


def test_refuses_a_different_embedding_model(index: VectorIndex) -> None:
    with pytest.raises(IndexModelMismatch, match="re-index|Re-index"):
        index.ensure_model("another-model", EMBEDDER.dim)
    index.ensure_model(EMBEDDER.model_id, EMBEDDER.dim)  # same model: fine


def test_meta_point_never_returned(index: VectorIndex) -> None:
    put(index, "a", ["任何内容"])
    assert all(
        h.payload.get("state") == "live"
        for h in index.search(ADMIN, EMBEDDER.embed_query("x"), ENCODER.query("任何"), 50)
    )


def test_hits_carry_their_dense_similarity(index: VectorIndex) -> None:
    put(index, "same", ["云帆CRM 支持线索管理"])
    put(index, "other", ["Yunfan BI dashboards"])
    hits = index.search(ADMIN, EMBEDDER.embed_query("云帆CRM 支持线索管理"), ENCODER.query("线索"), 10)
    by_doc = {h.payload["doc_id"]: h.similarity for h in hits}
    assert by_doc["same"] is not None and abs(by_doc["same"] - 1.0) < 1e-3
    assert by_doc["other"] is not None and by_doc["other"] < 0.5


def test_exact_search_keeps_the_access_filter(index: VectorIndex) -> None:
    put(index, "open", ["公开的 报价 说明"], access_level="public")
    put(index, "secret", ["机密的 报价 底价"], access_level="restricted")
    rep = Principal.of("rep", ["rep"])
    query = "报价"
    exact = index.search(rep, EMBEDDER.embed_query(query), ENCODER.query(query), 10, exact=True)
    assert [h.payload["doc_id"] for h in exact] == find(index, query, rep) == ["open"]
