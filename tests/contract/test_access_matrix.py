"""Role x document matrix on both backends: exactly the documents a role may read, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.access import AccessPolicy, Principal, SearchFilters
from assistant.index import VectorIndex
from tests.contract.conftest import EMBEDDER, ENCODER, put

DOCS = {
    # doc_id: (access_level, groups)
    "product-public": ("public", ["*"]),
    "talk-internal": ("internal", ["*"]),
    "case-east": ("confidential", ["east"]),
    "case-south": ("confidential", ["south"]),
    "battlecard": ("confidential", ["*"]),
    "pricing-floor": ("restricted", ["*"]),
    # Curated answers (assistant/curation) are indexed with the same stamping and filter.
    "curated-east": ("internal", ["east"]),
    "curated-battlecard": ("confidential", ["*"]),
}
CURATED = {"curated-east", "curated-battlecard"}

EXPECTED = {
    ("rep", "east"): {"product-public", "talk-internal", "curated-east"},
    ("rep", "south"): {"product-public", "talk-internal"},
    ("support", ""): {"product-public", "talk-internal"},
    ("manager", "east"): {"product-public", "talk-internal", "case-east", "battlecard", *CURATED},
    ("manager", "south"): {
        "product-public",
        "talk-internal",
        "case-south",
        "battlecard",
        "curated-battlecard",
    },
    ("curator", "east"): {"product-public", "talk-internal", "case-east", "battlecard", *CURATED},
    ("executive", ""): set(DOCS),
    ("admin", ""): set(DOCS),
    ("nobody", ""): {"product-public"},  # unknown role: public only
}


@pytest.mark.parametrize(("role", "group"), sorted(EXPECTED))
def test_role_sees_exactly_its_documents(
    index: VectorIndex, policy: AccessPolicy, role: str, group: str
) -> None:
    for doc_id, (level, groups) in DOCS.items():
        doc_type = "curated_answer" if doc_id in CURATED else "product"
        put(
            index,
            doc_id,
            [f"销售资料 {doc_id} 共同关键词"],
            access_level=level,
            groups=groups,
            doc_type=doc_type,
        )
    who = Principal.of("u", [role], [group] if group else [])
    hits = index.search(
        who, EMBEDDER.embed_query("销售资料 共同关键词"), ENCODER.query("销售资料 共同关键词"), 50
    )
    seen = {h.payload["doc_id"] for h in hits}
    assert seen == EXPECTED[(role, group)]
    assert index.stats(who) == len(EXPECTED[(role, group)])
    for doc_id in DOCS:
        assert bool(index.chunks_of(who, doc_id)) == (doc_id in EXPECTED[(role, group)])
        payload = {"access_level": DOCS[doc_id][0], "groups": DOCS[doc_id][1]}
        assert policy.can_read(who, payload) == (doc_id in EXPECTED[(role, group)])
    # The curated-answer lookup (doc_type filter) narrows inside the same access filter.
    only_curated = SearchFilters(doc_type=("curated_answer",))
    query = "销售资料 共同关键词"
    hits = index.search(who, EMBEDDER.embed_query(query), ENCODER.query(query), 50, only_curated)
    assert {h.payload["doc_id"] for h in hits} == EXPECTED[(role, group)] & CURATED


def test_channel_ceiling_limits_a_manager_to_public(index: VectorIndex, policy: AccessPolicy) -> None:
    for doc_id, (level, groups) in DOCS.items():
        put(index, doc_id, [f"销售资料 {doc_id}"], access_level=level, groups=groups)
    manager = Principal.of("m", ["manager"], ["east"])
    in_channel = policy.restrict(manager, "public", frozenset())
    hits = index.search(in_channel, EMBEDDER.embed_query("销售资料"), ENCODER.query("销售资料"), 50)
    assert {h.payload["doc_id"] for h in hits} == {"product-public"}
    east_room = policy.restrict(manager, "confidential", frozenset({"east"}))
    hits = index.search(east_room, EMBEDDER.embed_query("销售资料"), ENCODER.query("销售资料"), 50)
    assert {h.payload["doc_id"] for h in hits} == {
        "product-public",
        "talk-internal",
        "case-east",
        "battlecard",
        *CURATED,
    }


def test_search_demands_a_principal(tmp_path: Path, policy: AccessPolicy) -> None:
    from assistant.retrieval import SearchService

    with pytest.raises(TypeError):
        SearchService.search(object.__new__(SearchService), "x", None, 5)  # type: ignore[arg-type]
