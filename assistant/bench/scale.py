"""`assistant bench`: search latency at scale, the local-mode baseline, real embedder throughput, memory."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from qdrant_client import QdrantClient

from assistant.access import AccessPolicy, Principal
from assistant.bench.halves import time_halves
from assistant.bench.synthetic import SyntheticCorpus
from assistant.bench.zipf import ZipfCorpus
from assistant.index import IndexPoint, VectorIndex
from assistant.index.edge import EdgeIndex
from assistant.index.server import ServerIndex
from assistant.index.sparse import Bm25Encoder
from assistant.index.tuning import PROFILES

EF_SWEEP = (64, 128, 256, 512)
BASELINE_CHUNKS = 20_000  # qdrant-client's local mode fills in Python: timed on a sample, never at scale


class BenchEmbedder(Protocol):
    dim: int
    model_id: str

    def embed_query(self, text: str) -> list[float]: ...


class Corpus(Protocol):
    """A synthetic knowledge base: `zipf` (realistic, the default) or `uniform` (the worst case)."""

    size: int
    name: str

    @property
    def embedder(self) -> BenchEmbedder: ...

    def describe(self) -> dict[str, object]: ...

    def points(self, encoder: Bm25Encoder) -> Iterator[list[IndexPoint]]: ...

    def queries(self, n: int) -> list[str]: ...


CORPORA: dict[str, Callable[[int], Corpus]] = {"zipf": ZipfCorpus, "uniform": SyntheticCorpus}


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def resident_mb() -> dict[str, float]:
    """Resident memory now, split: private (anonymous) and mapped files (page cache the kernel can drop)."""
    fields = {"RssAnon:": "rss_anon_mb", "RssFile:": "rss_file_mb"}
    found: dict[str, float] = {}
    with contextlib.suppress(OSError), open("/proc/self/status") as status:  # Linux only
        for line in status:
            name, *value = line.split()
            if name in fields:
                found[fields[name]] = round(int(value[0]) / 1024, 1)
    return found


def disk_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def fill_synthetic(index: VectorIndex, corpus: Corpus) -> float:
    """Write the corpus; returns the seconds spent making it (not indexing it)."""
    index.ensure_model(corpus.embedder.model_id, corpus.embedder.dim)
    batches, making = corpus.points(Bm25Encoder()), 0.0
    while True:
        t0 = time.perf_counter()
        batch = next(batches, None)
        making += time.perf_counter() - t0
        if batch is None:
            return making
        index.upsert(batch)


def time_queries(run: Callable[[str], Any], queries: list[str]) -> list[float]:
    samples = []
    for q in queries:
        t0 = time.perf_counter()
        run(q)
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def principals() -> list[Principal]:
    return [
        Principal.of("rep", ["rep"], ["east"]),
        Principal.of("manager", ["manager"], ["south"]),
        Principal.of("exec", ["executive"]),
    ]


class RoleSearch:
    """The bench's searches: hybrid, role-filtered, rotating principals; approximate or exact."""

    def __init__(self, index: VectorIndex, embedder: BenchEmbedder) -> None:
        self.index, self.embedder, self.encoder = index, embedder, Bm25Encoder()
        self.who = principals()
        self._exact: dict[tuple[int, str], set[str]] = {}

    def run(self, i: int, query: str, exact: bool = False) -> list[str]:
        dense, sparse = self.embedder.embed_query(query), self.encoder.query(query)
        hits = self.index.search(self.who[i % len(self.who)], dense, sparse, 10, exact=exact)
        return [h.id for h in hits]

    def timed(self, queries: list[str]) -> list[float]:
        count = iter(range(len(queries)))
        return time_queries(lambda q: self.run(next(count), q), queries)

    def recall_at_10(self, queries: list[str]) -> float:
        """Mean top-10 overlap with exact search (every vector compared) on the same filtered queries."""
        overlaps = []
        for i, q in enumerate(queries):
            if (i, q) not in self._exact:
                self._exact[i, q] = set(self.run(i, q, exact=True))
            exact = self._exact[i, q]
            overlaps.append(len(exact & set(self.run(i, q))) / len(exact) if exact else 1.0)
        return round(statistics.mean(overlaps), 4)

    def measure(self, queries: list[str], recall_queries: int) -> dict[str, float]:
        """Recall on the first queries, then p50/p95 over all and the load average while they ran.

        The recall pass goes first: its exact searches read every vector, so the timed searches
        find the shard in the page cache, as in a service that has been running a while.
        """
        recall = self.recall_at_10(queries[:recall_queries])
        ms = self.timed(queries)
        return {
            "p50_ms": round(statistics.median(ms), 2),
            "p95_ms": round(percentile(ms, 95), 2),
            "load_avg_1m": round(os.getloadavg()[0], 2),
            "recall_at_10": recall,
        }


def sweep_ef(edge: EdgeIndex, search: RoleSearch, queries: list[str], recall_queries: int) -> dict[str, Any]:
    """The same searches at other search-time ef values on the same graph (what ef buys)."""
    tuning, sweep = edge.tuning, {}
    try:
        for ef in EF_SWEEP:
            edge.tuning = replace(tuning, hnsw_ef=ef)
            sweep[str(ef)] = search.measure(queries, recall_queries)
    finally:
        edge.tuning = tuning
    return sweep


def bench_search(
    chunks: int,
    queries: int,
    baseline_queries: int,
    policy: AccessPolicy,
    then: Callable[[EdgeIndex, Callable[[int], list[str]]], dict[str, Any]] | None = None,
    recall_queries: int = 100,
    profile: str = "large",
    corpus_name: str = "zipf",
) -> dict[str, Any]:
    """Scale test on the embedded engine, then a sample of it on qdrant-client's local mode.

    `then` runs on the filled embedded index before it is closed (the answer benchmark), with the
    corpus's question maker (`n` -> the first n questions; the timed searches are the first ones).
    """
    started, corpus = time.perf_counter(), CORPORA[corpus_name](chunks)
    workdir = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    try:
        edge = EdgeIndex(workdir / "shard", policy, PROFILES[profile])
        t0 = time.perf_counter()
        making_s = fill_synthetic(edge, corpus)
        edge.optimize()
        build_s = time.perf_counter() - t0 - making_s
        qs, search = corpus.queries(queries), RoleSearch(edge, corpus.embedder)
        main = search.measure(qs, recall_queries)
        measured = {
            "index_profile": profile,
            "hnsw_ef": edge.tuning.hnsw_ef,
            "synthetic_corpus_s": round(making_s, 1),
            "index_build_s": round(build_s, 1),
            **{f"search_{key}": value for key, value in main.items()},
            "search_queries": len(qs),
            "recall_queries": min(recall_queries, len(qs)),
            "index_rss_mb": rss_mb(),
            **{f"index_{key}": value for key, value in resident_mb().items()},
            "ef_sweep": sweep_ef(edge, search, qs, recall_queries),
            "search_halves": time_halves(edge, qs, search.who, corpus.embedder.embed_query, search.run),
        }
        if then is not None:
            measured.update(then(edge, corpus.queries))
        edge.close()
        measured["disk_mb"] = disk_mb(workdir / "shard")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    measured["scale_test_s"] = round(time.perf_counter() - started, 1)
    return {
        "chunks": chunks,
        "scale_embedder": "synthetic embedder (not semantic; measures the engine, not the model)",
        "corpus": corpus.name,
        "corpus_params": corpus.describe(),
        **measured,
        **bench_local_mode(min(chunks, BASELINE_CHUNKS), qs[:baseline_queries], policy, corpus_name),
    }


def bench_local_mode(
    chunks: int, queries: list[str], policy: AccessPolicy, corpus_name: str
) -> dict[str, Any]:
    """The same searches on qdrant-client's local mode (pure Python), on a sample of the same kind of corpus."""
    corpus = CORPORA[corpus_name](chunks)
    corpus.queries(len(queries))  # the same queries, with the same vectors
    local = ServerIndex(QdrantClient(location=":memory:"), "bench", policy)
    try:
        fill_synthetic(local, corpus)
        local_ms = RoleSearch(local, corpus.embedder).timed(queries)
    finally:
        local.close()
    return {
        "baseline_chunks": chunks,
        "baseline_qdrant_local_p50_ms": round(statistics.median(local_ms), 2),
        "baseline_qdrant_local_p95_ms": round(percentile(local_ms, 95), 2),
        "baseline_queries": len(local_ms),
    }
