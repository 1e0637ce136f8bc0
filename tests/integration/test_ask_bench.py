"""`assistant bench`, answers over HTTP: the concurrent asks are new questions, so the embedder is timed."""

from __future__ import annotations

from pathlib import Path

from assistant.access import AccessPolicy
from assistant.bench.answers import bench_ask_http
from assistant.bench.scale import CORPORA, fill_synthetic
from assistant.config import Settings
from assistant.index.edge import EdgeIndex
from assistant.index.tuning import PROFILES
from tests.integration.recording_embedder import RecordingEmbedder


def test_every_concurrent_ask_embeds_its_question(
    tmp_path: Path, policy: AccessPolicy, settings: Settings
) -> None:
    corpus = CORPORA["zipf"](300)
    edge = EdgeIndex(tmp_path / "shard", policy, PROFILES["standard"])
    fill_synthetic(edge, corpus)
    embedder = RecordingEmbedder()
    try:
        result = bench_ask_http(edge, corpus.queries(30), embedder, policy, settings, sequential=10)
    finally:
        edge.close()
    assert result["ask_c20_requests"] == 20 and result["ask_c20_errors"] == 0
    # A repeated question is answered from the query-vector cache: it would time everything but the model.
    assert len(set(embedder.queries)) == len(embedder.queries) >= 30
