"""Embedded backend: qdrant-edge, the real Qdrant engine in-process, persisted under the data dir."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import qdrant_edge as qe

from assistant.access import AccessPolicy
from assistant.index.base import DenseCalibration, IndexPoint, SearchHit, VectorIndex
from assistant.index.schema import (
    DENSE,
    KEYWORD_INDEXES,
    META_ID,
    META_STATE,
    PREFETCH_LIMIT,
    SEPARATE_LANGUAGES,
    SPARSE,
    meta_vector,
)
from assistant.index.sparse import Sparse
from assistant.index.tuning import PROFILES, IndexTuning


def _index_point(record: Any) -> IndexPoint:
    vectors = record.vector or {}
    sparse = vectors.get(SPARSE)
    return IndexPoint(
        str(record.id),
        list(vectors.get(DENSE) or []),
        Sparse(list(sparse.indices), list(sparse.values)) if sparse else Sparse([], []),
        dict(record.payload or {}),
    )


def _calibrated(c: DenseCalibration) -> qe.Formula:
    """scale * cosine + offset of the chunk's language group (a chunk in SEPARATE_LANGUAGES may be in
    both prefetches, with the same cosine)."""
    e = qe.Expression
    separate = qe.FieldCondition(key="language", match=qe.MatchAny(any=list(SEPARATE_LANGUAGES)))
    cos = e.Max([e.Variable("$score[0]"), e.Variable("$score[1]")])
    formula = e.Sum(
        [
            e.Mult([cos, e.Constant(c.rest[0])]),
            e.Constant(c.rest[1]),
            e.Mult(
                [
                    e.Condition(separate),
                    e.Sum(
                        [
                            e.Mult([cos, e.Constant(c.separate[0] - c.rest[0])]),
                            e.Constant(c.separate[1] - c.rest[1]),
                        ]
                    ),
                ]
            ),
        ]
    )
    return qe.Formula(formula, defaults={"$score[0]": -1.0, "$score[1]": -1.0})


class EdgeIndex(VectorIndex):
    """One qdrant-edge shard. A shard has one owner process; the service holds it while running."""

    models = qe

    def __init__(self, path: Path, policy: AccessPolicy, tuning: IndexTuning = PROFILES["standard"]) -> None:
        super().__init__(policy)
        self.path = Path(path)
        self.tuning = tuning
        self._shard: qe.EdgeShard | None = None
        self._write_lock = threading.Lock()
        if (self.path / "edge_config.json").exists() or any(self.path.glob("segments*")):
            self._shard = qe.EdgeShard.load(str(self.path))

    @property
    def shard(self) -> qe.EdgeShard:
        if self._shard is None:
            raise RuntimeError("the index is empty: run `assistant ingest PATH` first")
        return self._shard

    def create(self, dim: int) -> None:
        # A shard already loaded here has no schema record: the process creating it was killed
        # before it wrote one (the first ingest's job is run again). Finish creating it.
        if self._shard is None:
            self.path.mkdir(parents=True, exist_ok=True)
            config = self.tuning.edge_config(dim, DENSE, SPARSE)
            self._shard = qe.EdgeShard.create(str(self.path), config)
        for key in KEYWORD_INDEXES:
            self.shard.update(qe.UpdateOperation.create_field_index(key, qe.PayloadSchemaType.Keyword))

    def reset(self) -> None:
        if self._shard is not None:
            self._shard.close()
            self._shard = None
        shutil.rmtree(self.path, ignore_errors=True)

    def read_meta(self) -> dict[str, Any] | None:
        if self._shard is None:
            return None
        records = self.shard.retrieve([META_ID], with_payload=True, with_vector=False)
        return dict(records[0].payload or {}) if records else None

    def write_meta(self, model_id: str, dim: int) -> None:
        payload = {"state": META_STATE, "model_id": model_id, "dim": dim}
        point = qe.Point(META_ID, {DENSE: meta_vector(dim)}, payload)
        self._apply(qe.UpdateOperation.upsert_points([point]))

    def upsert(self, points: list[IndexPoint]) -> None:
        batch = [
            qe.Point(
                p.id,
                {DENSE: p.dense, SPARSE: qe.SparseVector(p.sparse.indices, p.sparse.values)},
                p.payload,
            )
            for p in points
        ]
        self._apply(qe.UpdateOperation.upsert_points(batch))

    def _ranked_lists(
        self,
        query_filter: Any,
        dense: list[float],
        sparse: Sparse,
        fetch: int,
        exact: bool,
        calibration: DenseCalibration | None,
    ) -> list[list[tuple[str, float]]]:
        """The dense list and the BM25 list, in one engine call (one batch: planned together, one pass
        over the segments). qdrant-edge keeps the GIL while it searches, so two threads would only take
        turns (measured: README, Benchmark)."""
        if self._shard is None:
            return []  # nothing ingested yet
        requests = [self.dense_request(query_filter, dense, exact, calibration, fetch)]
        if sparse.indices:
            requests.append(self.keyword_request(query_filter, sparse, fetch))
        lists = self.shard.query_batch(qe.QueryBatchRequest(requests))
        return [[(str(p.id), float(p.score)) for p in found] for found in lists]

    def _read_back(self, query_filter: Any, point_ids: list[str]) -> dict[str, Any]:
        chosen = qe.Filter(must=[query_filter, qe.HasIdCondition(set(point_ids))])
        request = qe.ScrollRequest(
            limit=len(point_ids), filter=chosen, with_payload=True, with_vector=[DENSE]
        )
        return {str(r.id): r for r in self.shard.scroll(request)[0]}

    def keyword_request(self, query_filter: Any, sparse: Sparse, limit: int) -> qe.QueryRequest:
        """The BM25 half of a hybrid search."""
        query = qe.Query.Nearest(qe.SparseVector(sparse.indices, sparse.values), using=SPARSE)
        return qe.QueryRequest(limit=limit, query=query, filter=query_filter)

    def dense_request(
        self,
        query_filter: Any,
        dense: list[float],
        exact: bool,
        calibration: DenseCalibration | None,
        limit: int,
    ) -> qe.QueryRequest:
        """The dense half of a hybrid search: the nearest chunks; calibrated: with the nearest in
        SEPARATE_LANGUAGES, all ranked by calibrated score."""
        params = self.tuning.search_params(exact)
        nearest = qe.Query.Nearest(dense, using=DENSE)
        if calibration is None:
            return qe.QueryRequest(limit=limit, query=nearest, filter=query_filter, params=params)
        other = self.separate_language_filter(query_filter)
        groups = [
            qe.Prefetch(PREFETCH_LIMIT, query=nearest, filter=part, params=params)
            for part in (query_filter, other)
        ]
        return qe.QueryRequest(
            limit=limit, query=_calibrated(calibration), prefetches=groups, filter=query_filter
        )

    def _scroll(self, query_filter: Any, limit: int) -> list[SearchHit]:
        if self._shard is None:
            return []
        records, _ = self.shard.scroll(qe.ScrollRequest(limit=limit, filter=query_filter, with_payload=True))
        return [SearchHit(str(r.id), 0.0, dict(r.payload or {})) for r in records]

    def _points(self, query_filter: Any, limit: int, payload: bool = True) -> list[IndexPoint]:
        if self._shard is None:
            return []
        vectors: Any = True if payload else [DENSE]
        request = qe.ScrollRequest(
            limit=limit, filter=query_filter, with_payload=payload, with_vector=vectors
        )
        records, _ = self.shard.scroll(request)
        return [_index_point(r) for r in records]

    def _count(self, query_filter: Any) -> int:
        if self._shard is None:
            return 0
        return int(self.shard.count(qe.CountRequest(filter=query_filter, exact=True)))

    def _set_payload(self, query_filter: Any, payload: dict[str, Any]) -> None:
        self._apply(qe.UpdateOperation.set_payload_by_filter(query_filter, payload))

    def _delete(self, query_filter: Any) -> None:
        if self._shard is not None:
            self._apply(qe.UpdateOperation.delete_points_by_filter(query_filter))

    def _apply(self, operation: Any) -> None:
        with self._write_lock:
            self.shard.update(operation)

    def flush(self) -> None:
        if self._shard is not None:
            with self._write_lock:
                self._shard.flush()

    def optimize(self) -> None:
        if self._shard is not None:
            with self._write_lock:
                self._shard.optimize()

    def close(self) -> None:
        if self._shard is not None:
            self._shard.flush()
            self._shard.close()
            self._shard = None
