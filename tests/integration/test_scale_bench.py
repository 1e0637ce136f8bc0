"""The scale bench at a small size: the fields it reports, and a recall check that notices wrong results."""

from __future__ import annotations

import statistics
from pathlib import Path

import numpy as np
import pytest

from assistant.access import AccessPolicy
from assistant.bench.scale import CORPORA, RoleSearch, bench_search, fill_synthetic
from assistant.bench.synthetic import SyntheticBm25, SyntheticEmbedder
from assistant.bench.zipf import WORDS, word_ids
from assistant.index.edge import EdgeIndex
from assistant.index.sparse import Bm25Encoder
from assistant.index.tuning import IndexTuning

# Graphs built from the first few kilobytes, so a 3,000-chunk shard is searched through HNSW.
SMALL_GRAPH = {"full_scan_kb": 1, "index_from_kb": 1}


@pytest.mark.parametrize("corpus", ["zipf", "uniform"])
def test_bench_reports_recall_size_corpus_and_the_baseline_sample(policy: AccessPolicy, corpus: str) -> None:
    result = bench_search(
        2000, queries=30, baseline_queries=5, policy=policy, recall_queries=10, corpus_name=corpus
    )
    # Below the indexing threshold no graph is searched: only the int8 first pass (rescored) differs
    # from exact search, on the realistic corpus's near-equal scores within a topic.
    assert result["search_recall_at_10"] >= 0.95
    assert (
        result["corpus"] == corpus
        and result["corpus_params"]["vocabulary"] == {"zipf": 30_000, "uniform": 50}[corpus]
    )
    assert result["recall_queries"] == 10 and result["search_queries"] == 30
    assert result["index_profile"] == "large" and result["disk_mb"] > 0
    assert 0 < result["index_rss_anon_mb"] <= result["index_rss_mb"]
    assert result["baseline_chunks"] == 2000 and result["baseline_queries"] == 5
    # The halves of the hybrid search are timed apart, beside the whole search.
    halves = result["search_halves"]
    assert {"dense", "bm25", "hybrid"} <= set(halves)
    assert all(halves[h]["p95_ms"] > 0 and halves[h]["cpu_ms_mean"] >= 0 for h in ("dense", "bm25", "hybrid"))


def test_the_realistic_corpus_is_the_default(policy: AccessPolicy) -> None:
    result = bench_search(500, queries=5, baseline_queries=2, policy=policy, recall_queries=2)
    assert result["corpus"] == "zipf"


def _recall(tmp: Path, policy: AccessPolicy, tuning: IndexTuning, corpus_name: str) -> float:
    corpus = CORPORA[corpus_name](3000)
    edge = EdgeIndex(tmp, policy, tuning)
    fill_synthetic(edge, corpus)
    edge.optimize()
    try:
        queries = corpus.queries(30)
        return RoleSearch(edge, corpus.embedder).recall_at_10(queries)
    finally:
        edge.close()


@pytest.mark.parametrize("corpus", ["zipf", "uniform"])
def test_recall_notices_a_poor_graph(tmp_path: Path, policy: AccessPolicy, corpus: str) -> None:
    poor_tuning = IndexTuning(m=2, ef_construct=4, hnsw_ef=1, **SMALL_GRAPH)
    good_tuning = IndexTuning(m=32, ef_construct=200, hnsw_ef=500, **SMALL_GRAPH)
    poor = _recall(tmp_path / "poor", policy, poor_tuning, corpus)
    good = _recall(tmp_path / "good", policy, good_tuning, corpus)
    assert poor < 0.9 <= good


@pytest.mark.parametrize("corpus", ["zipf", "uniform"])
def test_synthetic_bm25_equals_the_product_encoder(corpus: str) -> None:
    encoder = Bm25Encoder()
    vocabulary, ids = (WORDS, word_ids) if corpus == "zipf" else (None, SyntheticEmbedder().word_ids)
    bm25 = SyntheticBm25(encoder, vocabulary) if vocabulary else SyntheticBm25(encoder)
    for point in next(CORPORA[corpus](200).points(encoder)):
        text = str(point.payload["text"])
        ours, product = bm25.document(ids(text)), encoder.document(text)
        assert ours == point.sparse
        assert dict(zip(ours.indices, ours.values, strict=True)) == pytest.approx(
            dict(zip(product.indices, product.values, strict=True)), rel=1e-5
        )


def test_the_realistic_corpus_has_rare_words_and_queries_near_their_topic() -> None:
    """Query words match fewer chunks (Zipf), a query's nearest chunk is close (topics); not so in the worst case."""
    stats = {}
    for name in ("zipf", "uniform"):
        corpus = CORPORA[name](8 * 1024)  # about four chunks per topic of the realistic corpus
        batch = [p for b in corpus.points(Bm25Encoder()) for p in b]
        texts = [set(str(p.payload["text"]).split()) for p in batch]
        vectors = np.array([p.dense for p in batch])
        queries = corpus.queries(50)
        share = [sum(w in t for t in texts) / len(texts) for q in queries for w in q.split()]
        nearest = [max(vectors @ np.array(corpus.embedder.embed_query(q))) for q in queries]
        stats[name] = statistics.median(share), statistics.median(nearest)
    assert stats["zipf"][0] < 0.15 and stats["uniform"][0] > 0.3
    assert stats["zipf"][1] > 0.5 > stats["uniform"][1]


@pytest.mark.parametrize("corpus", ["zipf", "uniform"])
def test_the_baseline_sample_searches_the_same_queries_with_the_same_vectors(corpus: str) -> None:
    big, sample = CORPORA[corpus](1000), CORPORA[corpus](10)
    queries = big.queries(50)
    assert sample.queries(5) == queries[:5]
    for q in queries[:5]:
        assert sample.embedder.embed_query(q) == big.embedder.embed_query(q)
