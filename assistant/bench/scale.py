"""`assistant bench`: search latency at scale, the local-mode baseline, real embedder throughput, memory."""

from __future__ import annotations

import random
import resource
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qdrant_client import QdrantClient

from assistant.access import LIVE, AccessPolicy, Principal
from assistant.embedding import Embedder
from assistant.embedding.hashing import HashEmbedder
from assistant.index import IndexPoint, VectorIndex
from assistant.index.edge import EdgeIndex
from assistant.index.server import ServerIndex
from assistant.index.sparse import Bm25Encoder

WORDS = [
    "客户",
    "线索",
    "商机",
    "报价",
    "折扣",
    "合同",
    "续约",
    "回款",
    "拜访",
    "演示",
    "试用",
    "部署",
    "私有化",
    "集成",
    "数据",
    "安全",
    "权限",
    "报表",
    "漏斗",
    "转化率",
    "满意度",
    "工单",
    "客服",
    "营销",
    "渠道",
    "代理商",
    "零售",
    "制造",
    "金融",
    "医疗",
    "华东",
    "华南",
    "华北",
    "竞品",
    "价格",
    "预算",
    "决策人",
    "CRM",
    "BI",
    "API",
    "SaaS",
    "onboarding",
    "pricing",
    "discount",
    "renewal",
    "pipeline",
    "forecast",
    "dashboard",
    "integration",
    "security",
]
LEVELS = ("public", "internal", "internal", "confidential", "restricted")
GROUPS = (["*"], ["*"], ["*"], ["east"], ["south"], ["north"])
DOC_TYPES = ("product", "case_study", "talk_track", "competitor", "faq", "policy", "playbook")
BATCH = 512


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


@dataclass
class SyntheticCorpus:
    """Chunks with a realistic spread of access levels, groups and types; text from a sales vocabulary."""

    size: int
    seed: int = 7

    def points(self, embedder: Embedder, encoder: Bm25Encoder) -> Any:
        rng = random.Random(self.seed)
        for start in range(0, self.size, BATCH):
            texts, payloads = [], []
            for i in range(start, min(start + BATCH, self.size)):
                text = " ".join(rng.choices(WORDS, k=40))
                texts.append(text)
                payloads.append(
                    {
                        "doc_id": f"doc-{i // 8}",
                        "version": "v1",
                        "state": LIVE,
                        "n": i % 8,
                        "text": text,
                        "access_level": rng.choice(LEVELS),
                        "groups": rng.choice(GROUPS),
                        "doc_type": rng.choice(DOC_TYPES),
                        "source": f"synthetic/{i // 8}.md",
                        "title": f"doc {i // 8}",
                    }
                )
            dense = embedder.embed_passages(texts)
            yield [
                IndexPoint(str(uuid.UUID(int=i + 1)), vec, encoder.document(text), payload)
                for i, (vec, text, payload) in enumerate(zip(dense, texts, payloads, strict=True), start)
            ]

    def queries(self, n: int) -> list[str]:
        rng = random.Random(self.seed + 1)
        return [" ".join(rng.choices(WORDS, k=rng.randint(2, 5))) for _ in range(n)]


def _fill(index: VectorIndex, corpus: SyntheticCorpus, embedder: Embedder, encoder: Bm25Encoder) -> None:
    index.ensure_model(embedder.model_id, embedder.dim)
    for batch in corpus.points(embedder, encoder):
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


def bench_search(
    chunks: int,
    queries: int,
    baseline_queries: int,
    policy: AccessPolicy,
    then: Callable[[EdgeIndex, list[str]], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Scale test on the embedded engine, then the same queries on qdrant-client's local mode.

    `then` runs on the filled embedded index before it is closed (the answer benchmark).
    """
    embedder, encoder = HashEmbedder(), Bm25Encoder()
    corpus = SyntheticCorpus(chunks)
    workdir = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    extra: dict[str, Any] = {}
    try:
        edge = EdgeIndex(workdir / "shard", policy)
        t0 = time.perf_counter()
        _fill(edge, corpus, embedder, encoder)
        edge.optimize()
        build_s = time.perf_counter() - t0
        who = principals()
        qs = corpus.queries(queries)

        def run_edge(q: str, _n: list[int] = [0]) -> Any:  # noqa: B006 - rotating principal
            _n[0] += 1
            return edge.search(who[_n[0] % len(who)], embedder.embed_query(q), encoder.query(q), 10)

        time_queries(run_edge, qs[:20])  # warm caches
        edge_ms = time_queries(run_edge, qs)
        if then is not None:
            extra = then(edge, qs)
        edge.close()

        local = ServerIndex(QdrantClient(location=":memory:"), "bench", policy)
        _fill(local, corpus, embedder, encoder)
        base_qs = qs[:baseline_queries]
        local_ms = time_queries(
            lambda q: local.search(who[0], embedder.embed_query(q), encoder.query(q), 10), base_qs
        )
        local.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        "chunks": chunks,
        "scale_embedder": "synthetic hash embedder (not semantic; measures the engine, not the model)",
        "index_build_s": round(build_s, 1),
        "search_p50_ms": round(statistics.median(edge_ms), 2),
        "search_p95_ms": round(percentile(edge_ms, 95), 2),
        "search_queries": len(edge_ms),
        "baseline_qdrant_local_p50_ms": round(statistics.median(local_ms), 2),
        "baseline_qdrant_local_p95_ms": round(percentile(local_ms, 95), 2),
        "baseline_queries": len(local_ms),
        **extra,
    }
