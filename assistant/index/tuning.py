"""How the embedded shard stores, indexes and searches vectors: the engine's knobs in one place.

The profiles were chosen by measurement (README, *Benchmark*): `standard` suits knowledge bases
up to a few hundred thousand chunks; `large` is what `assistant bench` measures at a million.
Storage choices are fixed when a shard is created; the search ones apply to every query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import qdrant_edge as qe


@dataclass(frozen=True)
class IndexTuning:
    m: int = 16  # HNSW links per vector
    ef_construct: int = 100  # candidates while building the graph
    hnsw_ef: int | None = None  # candidates while searching (None: the engine's default)
    int8: bool = False  # an int8 copy of the vectors in RAM, searched first, rescored with the originals
    oversampling: float = 2.0  # int8 candidates per wanted result before rescoring
    vectors_on_disk: bool = False  # originals memory-mapped from disk (with int8, only rescoring reads them)
    # Extra HNSW links per payload value, so a narrow filter keeps the graph connected. Deciding
    # which values need them walks the whole graph once per value, single-threaded: at a million
    # chunks with broad access filters, the build's longest step for nothing (README, Benchmark).
    payload_links: bool = True
    full_scan_kb: int = 10_000  # a filter leaving fewer vectors than this is answered by a full scan
    index_from_kb: int | None = None  # segment size from which a graph is built (None: the engine's)

    def edge_config(self, dim: int, dense: str, sparse: str) -> qe.EdgeConfig:
        quantization = qe.ScalarQuantizationConfig(
            type=qe.ScalarType.Int8, quantile=0.99, memory=qe.Memory.Pinned
        )
        return qe.EdgeConfig(
            vectors={
                dense: qe.EdgeVectorParams(
                    size=dim,
                    distance=qe.Distance.Cosine,
                    memory=qe.Memory.Cold if self.vectors_on_disk else None,
                )
            },
            sparse_vectors={sparse: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
            payload_memory=qe.Memory.Cached,
            hnsw_config=qe.HnswIndexConfig(
                m=self.m,
                ef_construct=self.ef_construct,
                full_scan_threshold=self.full_scan_kb,
                payload_m=None if self.payload_links else 0,
            ),
            quantization_config=quantization if self.int8 else None,
            optimizers=qe.EdgeOptimizersConfig(indexing_threshold=self.index_from_kb),
        )

    def search_params(self, exact: bool = False) -> Any:
        """Per-query parameters; `exact` scans every vector (the recall check's reference)."""
        if exact:
            return qe.SearchParams(exact=True, quantization=qe.QuantizationSearchParams(ignore=True))
        quantization = qe.QuantizationSearchParams(rescore=True, oversampling=self.oversampling)
        return qe.SearchParams(hnsw_ef=self.hnsw_ef, quantization=quantization if self.int8 else None)


PROFILES = {
    "standard": IndexTuning(),
    "large": IndexTuning(
        m=32,
        ef_construct=100,
        hnsw_ef=128,
        int8=True,
        vectors_on_disk=True,
        payload_links=False,
    ),
}
