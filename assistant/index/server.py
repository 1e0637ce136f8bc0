"""Server backend: a Qdrant server or cluster through qdrant-client (also its `:memory:` local mode)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import UnexpectedResponse

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

if TYPE_CHECKING:
    from assistant.config import Settings


def _index_point(record: models.Record) -> IndexPoint:
    vectors = record.vector if isinstance(record.vector, dict) else {}
    dense, sparse = vectors.get(DENSE), vectors.get(SPARSE)
    return IndexPoint(
        str(record.id),
        [float(x) for x in dense if isinstance(x, float | int)] if isinstance(dense, list) else [],
        Sparse(sparse.indices, sparse.values) if isinstance(sparse, models.SparseVector) else Sparse([], []),
        dict(record.payload or {}),
    )


def _calibrated(c: DenseCalibration) -> models.FormulaQuery:
    """scale * cosine + offset of the chunk's language group (a chunk in SEPARATE_LANGUAGES may be in
    both prefetches, with the same cosine)."""
    separate = models.FieldCondition(key="language", match=models.MatchAny(any=list(SEPARATE_LANGUAGES)))
    cos = models.MaxExpression(max=["$score[0]", "$score[1]"])
    shift = models.SumExpression(
        sum=[models.MultExpression(mult=[cos, c.separate[0] - c.rest[0]]), c.separate[1] - c.rest[1]]
    )
    return models.FormulaQuery(
        formula=models.SumExpression(
            sum=[
                models.MultExpression(mult=[cos, c.rest[0]]),
                c.rest[1],
                models.MultExpression(mult=[separate, shift]),
            ]
        ),
        defaults={"$score[0]": -1.0, "$score[1]": -1.0},
    )


@dataclass(frozen=True)
class Placement:
    """How a new collection spreads over a cluster: shards, copies of each, copies confirming a write."""

    shards: int = 1
    replicas: int = 1
    write_consistency: int = 1


class ServerIndex(VectorIndex):
    models = models

    def __init__(
        self,
        client: QdrantClient,
        collection: str,
        policy: AccessPolicy,
        placement: Placement | None = None,
    ) -> None:
        super().__init__(policy)
        self.client = client
        self.collection = collection
        self.placement = placement or Placement()

    @classmethod
    def from_settings(cls, settings: Settings, policy: AccessPolicy) -> ServerIndex:
        url = settings.qdrant_url or ":memory:"
        if url == ":memory:":
            client = QdrantClient(location=":memory:")
        else:
            key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
            client = QdrantClient(url=url, api_key=key, timeout=30)
        placement = Placement(
            settings.qdrant_shards, settings.qdrant_replicas, settings.qdrant_write_consistency
        )
        return cls(client, settings.qdrant_collection, policy, placement)

    def create(self, dim: int) -> None:
        try:
            self.client.create_collection(
                self.collection,
                vectors_config={DENSE: models.VectorParams(size=dim, distance=models.Distance.COSINE)},
                sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
                shard_number=self.placement.shards,
                replication_factor=self.placement.replicas,
                write_consistency_factor=self.placement.write_consistency,
            )
        except UnexpectedResponse:
            # Another replica or worker created it between our look and our create: use theirs (the
            # model check that follows refuses it if it was built for another model).
            if not self.client.collection_exists(self.collection):
                raise
        for key in KEYWORD_INDEXES:
            self.client.create_payload_index(self.collection, key, models.PayloadSchemaType.KEYWORD)

    def reset(self) -> None:
        if self.client.collection_exists(self.collection):
            self.client.delete_collection(self.collection)

    def read_meta(self) -> dict[str, Any] | None:
        if not self.client.collection_exists(self.collection):
            return None
        records = self.client.retrieve(self.collection, [META_ID], with_payload=True)
        return dict(records[0].payload or {}) if records else None

    def write_meta(self, model_id: str, dim: int) -> None:
        payload = {"state": META_STATE, "model_id": model_id, "dim": dim}
        point = models.PointStruct(id=META_ID, vector={DENSE: meta_vector(dim)}, payload=payload)
        self.client.upsert(self.collection, [point], wait=True)

    def upsert(self, points: list[IndexPoint]) -> None:
        batch = [
            models.PointStruct(
                id=p.id,
                vector={
                    DENSE: p.dense,
                    SPARSE: models.SparseVector(indices=p.sparse.indices, values=p.sparse.values),
                },
                payload=p.payload,
            )
            for p in points
        ]
        self.client.upsert(self.collection, batch, wait=True)

    def _ranked_lists(
        self,
        query_filter: Any,
        dense: list[float],
        sparse: Sparse,
        fetch: int,
        exact: bool,
        calibration: DenseCalibration | None,
    ) -> list[list[tuple[str, float]]]:
        """Both searches in one batch request."""
        requests = [self._dense_request(query_filter, dense, exact, calibration, fetch)]
        if sparse.indices:
            vec = models.SparseVector(indices=sparse.indices, values=sparse.values)
            requests.append(models.QueryRequest(query=vec, using=SPARSE, limit=fetch, filter=query_filter))
        responses = self.client.query_batch_points(self.collection, requests)
        return [[(str(p.id), float(p.score)) for p in r.points] for r in responses]

    def _read_back(self, query_filter: Any, point_ids: list[str]) -> dict[str, Any]:
        chosen = models.Filter(must=[query_filter, models.HasIdCondition(has_id=list(point_ids))])
        records, _ = self.client.scroll(
            self.collection,
            scroll_filter=chosen,
            limit=len(point_ids),
            with_payload=True,
            with_vectors=[DENSE],
        )
        return {str(r.id): r for r in records}

    def _dense_request(
        self,
        query_filter: Any,
        dense: list[float],
        exact: bool,
        calibration: DenseCalibration | None,
        limit: int,
    ) -> models.QueryRequest:
        """The nearest chunks; calibrated: with the nearest in SEPARATE_LANGUAGES, all ranked by
        calibrated score."""
        params = models.SearchParams(exact=True) if exact else None
        if calibration is None:
            return models.QueryRequest(
                query=dense, using=DENSE, limit=limit, filter=query_filter, params=params
            )
        other = self.separate_language_filter(query_filter)
        groups = [
            models.Prefetch(query=dense, using=DENSE, limit=PREFETCH_LIMIT, filter=part, params=params)
            for part in (query_filter, other)
        ]
        return models.QueryRequest(
            prefetch=groups, query=_calibrated(calibration), limit=limit, filter=query_filter
        )

    def _scroll(self, query_filter: Any, limit: int) -> list[SearchHit]:
        if not self.client.collection_exists(self.collection):
            return []
        records, _ = self.client.scroll(
            self.collection, scroll_filter=query_filter, limit=limit, with_payload=True
        )
        return [SearchHit(str(r.id), 0.0, dict(r.payload or {})) for r in records]

    def _points(self, query_filter: Any, limit: int, payload: bool = True) -> list[IndexPoint]:
        if not self.client.collection_exists(self.collection):
            return []
        vectors: Any = True if payload else [DENSE]
        records, _ = self.client.scroll(
            self.collection,
            scroll_filter=query_filter,
            limit=limit,
            with_payload=payload,
            with_vectors=vectors,
        )
        return [_index_point(r) for r in records]

    def _count(self, query_filter: Any) -> int:
        if not self.client.collection_exists(self.collection):
            return 0
        return int(self.client.count(self.collection, count_filter=query_filter, exact=True).count)

    def _set_payload(self, query_filter: Any, payload: dict[str, Any]) -> None:
        self.client.set_payload(self.collection, payload=payload, points=query_filter, wait=True)

    def _delete(self, query_filter: Any) -> None:
        if self.client.collection_exists(self.collection):
            self.client.delete(
                self.collection, points_selector=models.FilterSelector(filter=query_filter), wait=True
            )

    def flush(self) -> None:
        """Server writes are durable on return (wait=True)."""

    def optimize(self) -> None:
        """The server optimises in the background."""

    def close(self) -> None:
        self.client.close()
