"""The scale bench at a small size: the fields it reports, and a recall check that notices wrong results."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.access import AccessPolicy
from assistant.bench.scale import RoleSearch, bench_search, fill_synthetic
from assistant.bench.synthetic import SyntheticBm25, SyntheticCorpus, SyntheticEmbedder
from assistant.index.edge import EdgeIndex
from assistant.index.sparse import Bm25Encoder
from assistant.index.tuning import IndexTuning

# Graphs built from the first few kilobytes, so a 3,000-chunk shard is searched through HNSW.
SMALL_GRAPH = {"full_scan_kb": 1, "index_from_kb": 1}


def test_bench_reports_recall_size_and_the_baseline_sample(policy: AccessPolicy) -> None:
    result = bench_search(2000, queries=30, baseline_queries=5, policy=policy, recall_queries=10)
    assert result["search_recall_at_10"] == 1.0  # below the indexing threshold every search is exact
    assert result["recall_queries"] == 10 and result["search_queries"] == 30
    assert result["index_profile"] == "large" and result["disk_mb"] > 0
    assert 0 < result["index_rss_anon_mb"] <= result["index_rss_mb"]
    assert result["baseline_chunks"] == 2000 and result["baseline_queries"] == 5


def _recall(tmp: Path, policy: AccessPolicy, tuning: IndexTuning) -> float:
    embedder, corpus = SyntheticEmbedder(), SyntheticCorpus(3000)
    edge = EdgeIndex(tmp, policy, tuning)
    fill_synthetic(edge, corpus, embedder)
    edge.optimize()
    try:
        return RoleSearch(edge, embedder).recall_at_10(corpus.queries(30))
    finally:
        edge.close()


def test_recall_notices_a_poor_graph(tmp_path: Path, policy: AccessPolicy) -> None:
    poor = _recall(tmp_path / "poor", policy, IndexTuning(m=2, ef_construct=4, hnsw_ef=1, **SMALL_GRAPH))
    good = _recall(tmp_path / "good", policy, IndexTuning(m=32, ef_construct=200, hnsw_ef=500, **SMALL_GRAPH))
    assert poor < 0.9 <= good


def test_synthetic_bm25_equals_the_product_encoder() -> None:
    encoder, corpus = Bm25Encoder(), SyntheticCorpus(200)
    bm25 = SyntheticBm25(encoder)
    for point in next(corpus.points(SyntheticEmbedder(), encoder)):
        words = SyntheticEmbedder().word_ids(point.payload["text"])
        ours, product = bm25.document(words), encoder.document(point.payload["text"])
        assert dict(zip(ours.indices, ours.values, strict=True)) == pytest.approx(
            dict(zip(product.indices, product.values, strict=True)), rel=1e-5
        )
