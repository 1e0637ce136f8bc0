"""Document versions in the index, on both Qdrant backends: kept versions are never searchable."""

from __future__ import annotations

import pytest

from assistant.access import IN_REVIEW, SUPERSEDED, Principal
from assistant.index import VectorIndex
from tests.contract.conftest import ADMIN, EMBEDDER, ENCODER, put
from tests.contract.test_access_matrix import EXPECTED


def texts(index: VectorIndex, query: str, who: Principal = ADMIN) -> list[str]:
    hits = index.search(who, EMBEDDER.embed_query(query), ENCODER.query(query), 50)
    return sorted(h.payload["text"] for h in hits)


def three_versions(index: VectorIndex) -> None:
    """v1 superseded, v2 live, v3 waiting for review."""
    put(index, "price", ["报价单 第一版 每用户 99 元"], version="1")
    put(index, "price", ["报价单 第二版 每用户 129 元"], version="2", publish=False)
    index.publish("price", "2", keep=["1"])
    put(index, "price", ["报价单 第三版 每用户 159 元"], version="3", publish=False)
    index.stage("price", "3")


@pytest.mark.parametrize(("role", "group"), sorted(EXPECTED))
def test_only_the_live_version_is_searchable_for_every_role(
    index: VectorIndex, role: str, group: str
) -> None:
    three_versions(index)
    who = Principal.of("u", [role], [group] if group else [])
    assert texts(index, "报价单 每用户") == ["报价单 第二版 每用户 129 元"]
    visible = texts(index, "报价单 每用户", who)
    assert visible in ([], ["报价单 第二版 每用户 129 元"])  # public-only roles see no internal doc
    assert [c.payload["version"] for c in index.chunks_of(who, "price")] == (["2"] if visible else [])


def test_kept_versions_stay_in_the_index_not_live(index: VectorIndex) -> None:
    three_versions(index)
    states = {h.payload["version"]: h.payload["state"] for h in index._scroll(index._doc_filter("price"), 50)}
    assert states == {"1": SUPERSEDED, "2": "live", "3": IN_REVIEW}
    index.delete_pending()
    assert index.has_version("price", "3"), "a version in review is not a crash leftover"


def test_publishing_beyond_the_kept_versions_drops_the_oldest(index: VectorIndex) -> None:
    three_versions(index)
    index.publish("price", "3", keep=["2"])
    assert texts(index, "报价单 每用户") == ["报价单 第三版 每用户 159 元"]
    assert not index.has_version("price", "1")
    assert index.has_version("price", "2")


def test_a_copied_version_goes_live_with_the_old_text(index: VectorIndex) -> None:
    three_versions(index)
    assert index.copy_version("price", "1", "4", {}) == 1
    assert texts(index, "报价单 每用户") == ["报价单 第二版 每用户 129 元"], "copies are pending"
    index.publish("price", "4", keep=["1", "2", "3"])
    (hit,) = index.search(ADMIN, EMBEDDER.embed_query("报价单"), ENCODER.query("报价单 99"), 5)
    assert hit.payload["text"] == "报价单 第一版 每用户 99 元" and hit.payload["version"] == "4"
    assert index.has_version("price", "1"), "history is never rewritten"
    assert index.copy_version("price", "9", "5", {}) == 0


def test_retired_document_is_gone_from_search_but_kept(index: VectorIndex) -> None:
    put(index, "promo", ["双十一 促销 政策"], version="1")
    index.retire("promo")
    assert texts(index, "双十一 促销") == []
    assert index.copy_version("promo", "1", "2", {}) == 1
    index.publish("promo", "2", keep=["1"])
    assert texts(index, "双十一 促销") == ["双十一 促销 政策"]
