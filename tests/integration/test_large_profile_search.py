"""The `large` profile's hybrid search: dense and BM25 lists fused here as the engine fuses, inside the filter."""

from __future__ import annotations

from pathlib import Path

from assistant.access import AccessPolicy, Principal
from assistant.index.edge import EdgeIndex
from assistant.index.fusion import rrf
from assistant.index.tuning import PROFILES
from tests.contract.conftest import EMBEDDER, ENCODER, put

COMMON = "客户 报价 合同 续约 回款"
QUERIES = ["客户 报价", "合同 续约 演示", "回款 私有化 部署", "pricing renewal 客户"]


def _filled(path: Path, policy: AccessPolicy) -> EdgeIndex:
    index = EdgeIndex(path, policy, PROFILES["large"])
    index.ensure_model(EMBEDDER.model_id, EMBEDDER.dim)
    extra = ["演示", "私有化", "部署", "pricing", "renewal", "试用"]
    for n in range(60):
        words = f"{COMMON} {extra[n % len(extra)]} 资料{n} " + " ".join(extra[: n % 4])
        level = "restricted" if n % 5 == 0 else "internal"
        put(index, f"doc{n}", [words], access_level=level)
    return index


def test_rrf_counts_positions_from_zero_as_the_engine_does() -> None:
    fused = rrf([["a", "b"], ["b", "c"]], 60)
    assert fused[0] == ("b", 1 / 61 + 1 / 60)
    assert dict(fused) == {"a": 1 / 60, "b": 1 / 61 + 1 / 60, "c": 1 / 61}


def test_large_profile_search_keeps_the_access_filter(tmp_path: Path, policy: AccessPolicy) -> None:
    index = _filled(tmp_path / "shard", policy)
    try:
        rep = Principal.of("rep", ["rep"])
        for query in QUERIES:
            hits = index.search(rep, EMBEDDER.embed_query(query), ENCODER.query(query), 10)
            assert hits and all(h.payload["access_level"] != "restricted" for h in hits)
    finally:
        index.close()
