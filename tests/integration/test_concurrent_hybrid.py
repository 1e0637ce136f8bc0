"""The `large` profile's hybrid search: dense and BM25 searched at once, fused here as the engine fuses."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from assistant.access import AccessPolicy, Principal
from assistant.index.edge import EdgeIndex
from assistant.index.fusion import rrf
from assistant.index.tuning import PROFILES
from tests.contract.conftest import ADMIN, EMBEDDER, ENCODER, put

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


def _ranked(index: EdgeIndex, who: Principal, query: str) -> list[tuple[str, float]]:
    hits = index.search(who, EMBEDDER.embed_query(query), ENCODER.query(query), 10)
    return sorted(((h.id, round(h.score, 6)) for h in hits), key=lambda h: (-h[1], h[0]))


def test_rrf_counts_positions_from_zero_as_the_engine_does() -> None:
    fused = rrf([["a", "b"], ["b", "c"]], 60)
    assert fused[0] == ("b", 1 / 61 + 1 / 60)
    assert dict(fused) == {"a": 1 / 60, "b": 1 / 61 + 1 / 60, "c": 1 / 61}


def test_concurrent_search_ranks_as_the_engine_fuses(tmp_path: Path, policy: AccessPolicy) -> None:
    index = _filled(tmp_path / "shard", policy)
    concurrent = index.tuning
    in_engine = replace(concurrent, concurrent_hybrid=False)
    try:
        assert concurrent.concurrent_hybrid
        for who in (ADMIN, Principal.of("rep", ["rep"])):
            for query in QUERIES:
                index.tuning = concurrent
                ours = _ranked(index, who, query)
                index.tuning = in_engine
                theirs = _ranked(index, who, query)
                # The same scores; the same ids but where a tie straddles the cut (either may go).
                assert [s for _, s in ours] == [s for _, s in theirs] and ours
                last = ours[-1][1]
                assert {i for i, s in ours if s > last} == {i for i, s in theirs if s > last}
    finally:
        index.close()


def test_concurrent_search_keeps_the_access_filter(tmp_path: Path, policy: AccessPolicy) -> None:
    index = _filled(tmp_path / "shard", policy)
    try:
        rep = Principal.of("rep", ["rep"])
        for query in QUERIES:
            hits = index.search(rep, EMBEDDER.embed_query(query), ENCODER.query(query), 10)
            assert hits and all(h.payload["access_level"] != "restricted" for h in hits)
    finally:
        index.close()
