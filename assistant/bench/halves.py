"""The two halves of a hybrid search timed apart: what bounds the hybrid search's latency.

Each half is the engine query the hybrid search makes (EdgeIndex.dense_request / keyword_request:
same filter, same limit, the profile's search parameters), run alone. CPU time per search (all threads of this process) is steadier
than wall time on a shared machine: it is the work a search costs, whatever else runs.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import qdrant_edge as qe

from assistant.access import Principal, SearchFilters
from assistant.index.edge import EdgeIndex
from assistant.index.fusion import TIE_MARGIN
from assistant.index.schema import PREFETCH_LIMIT
from assistant.index.sparse import Bm25Encoder


def _timed(run: Callable[[int], Any], n: int) -> dict[str, float]:
    wall, cpu = [], []
    for i in range(n):
        w0, c0 = time.perf_counter(), time.process_time()
        run(i)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    ordered = sorted(wall)
    return {
        "p50_ms": round(statistics.median(wall), 2),
        "p95_ms": round(ordered[min(n - 1, round(0.95 * (n - 1)))], 2),
        "cpu_ms_mean": round(statistics.mean(cpu), 2),
    }


def time_halves(
    edge: EdgeIndex,
    queries: list[str],
    who: list[Principal],
    embed: Callable[[str], list[float]],
    hybrid: Callable[[int, str], Any],
) -> dict[str, Any]:
    """Dense alone, BM25 alone and the whole hybrid search (`hybrid(i, query)`), over the same
    queries, the i-th searched as `who[i % len(who)]`."""
    encoder = Bm25Encoder()
    filters = [edge.policy.build_filter(p, SearchFilters(), qe) for p in who]
    dense = [embed(q) for q in queries]
    sparse = [encoder.query(q) for q in queries]
    fetch = PREFETCH_LIMIT + TIE_MARGIN  # as long as the search fetches each list (fusion.py)

    def dense_half(i: int) -> Any:
        return edge.shard.query(edge.dense_request(filters[i % len(who)], dense[i], False, None, fetch))

    def bm25_half(i: int) -> Any:
        return edge.shard.query(edge.keyword_request(filters[i % len(who)], sparse[i], fetch))

    n = len(queries)
    measured = {
        "dense": _timed(dense_half, n),
        "bm25": _timed(bm25_half, n),
        "hybrid": _timed(lambda i: hybrid(i, queries[i]), n),
    }
    return {**measured, "load_avg_1m": round(os.getloadavg()[0], 2)}
