"""What every index backend offers."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import mul
from types import ModuleType
from typing import Any

from assistant.access import IN_REVIEW, LIVE, PENDING, SUPERSEDED, AccessPolicy, Principal, SearchFilters
from assistant.index.fusion import TIE_MARGIN, fuse
from assistant.index.schema import DENSE, PREFETCH_LIMIT, SEPARATE_LANGUAGES, chunk_point_id
from assistant.index.sparse import Sparse


class IndexModelMismatch(Exception):
    """The index was built with another embedding model than the one configured now."""


@dataclass
class IndexPoint:
    id: str
    dense: list[float]
    sparse: Sparse
    payload: dict[str, Any]


@dataclass
class SearchHit:
    id: str
    score: float  # the fused (RRF) rank score
    payload: dict[str, Any] = field(default_factory=dict)
    similarity: float | None = None  # cosine of the query and this chunk's dense vector


@dataclass(frozen=True)
class DenseCalibration:
    """One query's dense cosine mapped to a z-score per language group: cosine * scale + offset.

    `rest` applies to chunks outside SEPARATE_LANGUAGES, `separate` to those in it. The index adds the
    nearest chunks in SEPARATE_LANGUAGES to the nearest of all (a Chinese question's English sources).
    """

    rest: tuple[float, float]
    separate: tuple[float, float]


def cosine(query: list[float], vectors: Any) -> float | None:
    """Cosine of the query and a point's dense vector (both normalised: the dot product)."""
    vector = vectors.get(DENSE) if isinstance(vectors, dict) else None
    if not vector:
        return None
    return float(sum(map(mul, query, vector)))  # the generator's sum, in the same order, 3x faster


class VectorIndex(ABC):
    """A Qdrant collection (server) or shard (embedded) holding the knowledge base's chunks.

    Reads that return content always take a principal; the filter comes from the access policy.
    """

    models: ModuleType  # qdrant_edge or qdrant_client.models: same filter class names

    def __init__(self, policy: AccessPolicy) -> None:
        self.policy = policy
        # Counts the changes to what is live (searchable) made through this object: readers that keep
        # statistics of the live chunks (the language calibration) take them again after one.
        self.live_changes = 0

    def ensure_model(self, model_id: str, dim: int) -> None:
        """Create the schema for this model, or refuse if the index was built with another one."""
        if self.read_meta() is None:
            self.create(dim)
            self.write_meta(model_id, dim)
        self.check_model(model_id, dim)

    def check_model(self, model_id: str, dim: int) -> None:
        """Refuse to query or write with another embedding model than the one that built the index."""
        meta = self.read_meta()
        if meta is not None and (meta.get("model_id") != model_id or int(meta.get("dim", 0)) != dim):
            raise IndexModelMismatch(
                f"the index was built with embedding model {meta.get('model_id')} (dim {meta.get('dim')}), "
                f"but {model_id} (dim {dim}) is configured. Re-index: `assistant ingest --reindex PATH...`, "
                "or set ASSISTANT_EMBEDDER back."
            )

    def search(
        self,
        principal: Principal,
        dense: list[float],
        sparse: Sparse,
        limit: int,
        filters: SearchFilters | None = None,
        exact: bool = False,
        calibration: DenseCalibration | None = None,
    ) -> list[SearchHit]:
        """Hybrid search (dense + BM25 fused with RRF, fusion.py), inside the principal's filter.

        `exact` compares the query with every vector instead of walking the HNSW graph (slow; the
        reference a recall check measures the index against). With a `calibration`, the dense side
        takes the nearest chunks of each language group and ranks them by calibrated score.
        """
        query_filter = self.policy.build_filter(principal, filters or SearchFilters(), self.models)
        fetch = PREFETCH_LIMIT + TIE_MARGIN
        fused = fuse(self._ranked_lists(query_filter, dense, sparse, fetch, exact, calibration), limit)
        if not fused:
            return []
        records = self._read_back(query_filter, [point_id for point_id, _ in fused])
        return [  # an id read back no more (its document retired meanwhile) is left out
            SearchHit(point_id, score, dict(r.payload or {}), cosine(dense, r.vector))
            for point_id, score in fused
            if (r := records.get(point_id)) is not None
        ]

    def separate_language_filter(self, query_filter: Any) -> Any:
        """The principal's filter narrowed to chunks in SEPARATE_LANGUAGES."""
        m = self.models
        separate = m.FieldCondition(key="language", match=m.MatchAny(any=list(SEPARATE_LANGUAGES)))
        return m.Filter(must=[query_filter, separate])

    def dense_sample(self, separate: bool, limit: int) -> list[list[float]]:
        """Dense vectors of up to `limit` live chunks of one language group: for calibration statistics,
        never shown to anyone (no principal: no text leaves this method)."""
        m = self.models
        live = m.FieldCondition(key="state", match=m.MatchValue(value=LIVE))
        group = m.FieldCondition(key="language", match=m.MatchAny(any=list(SEPARATE_LANGUAGES)))
        query_filter = m.Filter(must=[live, group]) if separate else m.Filter(must=[live], must_not=[group])
        return [p.dense for p in self._points(query_filter, limit, payload=False) if p.dense]

    def chunks_of(self, principal: Principal, doc_id: str) -> list[SearchHit]:
        """A document's live chunks in order, if the principal may read them (else empty)."""
        query_filter = self.policy.build_filter(principal, SearchFilters(doc_id=(doc_id,)), self.models)
        hits = self._scroll(query_filter, limit=10_000)
        return sorted(hits, key=lambda h: h.payload.get("n", 0))

    def documents(self, principal: Principal) -> list[dict[str, Any]]:
        """The first live chunk's payload of every document the principal may read (metadata scans)."""
        query_filter = self.policy.build_filter(principal, SearchFilters(), self.models)
        first: dict[str, dict[str, Any]] = {}
        for hit in sorted(self._scroll(query_filter, limit=1_000_000), key=lambda h: h.payload.get("n", 0)):
            first.setdefault(str(hit.payload.get("doc_id")), hit.payload)
        return list(first.values())

    def stats(self, principal: Principal) -> int:
        """Live chunks the principal can see."""
        return self._count(self.policy.build_filter(principal, SearchFilters(), self.models))

    def _doc_filter(self, doc_id: str, version: str | None = None, state: str | None = None) -> Any:
        m = self.models
        must = [m.FieldCondition(key="doc_id", match=m.MatchValue(value=doc_id))]
        if version is not None:
            must.append(m.FieldCondition(key="version", match=m.MatchValue(value=version)))
        if state is not None:
            must.append(m.FieldCondition(key="state", match=m.MatchValue(value=state)))
        return m.Filter(must=must)

    def publish(self, doc_id: str, version: str, keep: Sequence[str] = ()) -> None:
        """Make one version of a document live; the one live before becomes superseded.

        Each step is one filtered update, so readers see the old version or the new one, never
        half of either. Versions in `keep` stay (never searchable) for rollback; others are removed.
        """
        self._set_payload(self._doc_filter(doc_id, version), {"state": LIVE})
        m = self.models
        earlier = m.Filter(
            must=[
                m.FieldCondition(key="doc_id", match=m.MatchValue(value=doc_id)),
                m.FieldCondition(key="state", match=m.MatchValue(value=LIVE)),
            ],
            must_not=[m.FieldCondition(key="version", match=m.MatchValue(value=version))],
        )
        self._set_payload(earlier, {"state": SUPERSEDED})
        self.prune(doc_id, [version, *keep])
        self.live_changes += 1

    def stage(self, doc_id: str, version: str) -> None:
        """A fully written version waits for review: kept, searchable by nobody."""
        self._set_payload(self._doc_filter(doc_id, version, PENDING), {"state": IN_REVIEW})

    def retire(self, doc_id: str) -> None:
        """Take a document out of search, keeping its chunks (a removal that rollback can undo)."""
        self._set_payload(self._doc_filter(doc_id, state=LIVE), {"state": SUPERSEDED})
        self.live_changes += 1

    def prune(self, doc_id: str, keep: Sequence[str]) -> None:
        """Remove every version of a document except those in `keep`."""
        m = self.models
        self._delete(
            m.Filter(
                must=[m.FieldCondition(key="doc_id", match=m.MatchValue(value=doc_id))],
                must_not=[m.FieldCondition(key="version", match=m.MatchAny(any=list(keep) or ["\x00"]))],
            )
        )

    def discard(self, doc_id: str, version: str) -> None:
        """Remove one version's chunks."""
        self._delete(self._doc_filter(doc_id, version))

    def has_version(self, doc_id: str, version: str) -> bool:
        """Whether a version's chunks are kept (in any state)."""
        return self._count(self._doc_filter(doc_id, version)) > 0

    def copy_version(self, doc_id: str, source: str, target: str, changes: dict[str, Any]) -> int:
        """Copy a kept version's chunks (vectors included) as a new pending version; returns the count."""
        points = self._points(self._doc_filter(doc_id, source), limit=10_000)
        for p in points:
            p.payload.update({**changes, "version": target, "state": PENDING})
            p.id = chunk_point_id(doc_id, target, int(p.payload.get("n", 0)))
        if points:
            self.upsert(points)
        return len(points)

    def update_document(self, doc_id: str, payload: dict[str, Any]) -> None:
        """Set payload fields (e.g. verified_at) on every kept chunk of a document."""
        self._set_payload(self._doc_filter(doc_id), payload)

    def delete_document(self, doc_id: str) -> None:
        self._delete(self._doc_filter(doc_id))
        self.live_changes += 1

    def delete_pending(self) -> None:
        """Drop chunks of documents whose ingest never finished (a crash mid-ingest)."""
        m = self.models
        self._delete(m.Filter(must=[m.FieldCondition(key="state", match=m.MatchValue(value=PENDING))]))

    # Backend primitives
    @abstractmethod
    def create(self, dim: int) -> None: ...
    @abstractmethod
    def reset(self) -> None:
        """Drop every point and the schema (re-indexing with another model)."""

    @abstractmethod
    def read_meta(self) -> dict[str, Any] | None: ...
    @abstractmethod
    def write_meta(self, model_id: str, dim: int) -> None: ...
    @abstractmethod
    def upsert(self, points: list[IndexPoint]) -> None: ...
    @abstractmethod
    def _ranked_lists(
        self,
        query_filter: Any,
        dense: list[float],
        sparse: Sparse,
        fetch: int,
        exact: bool,
        calibration: DenseCalibration | None,
    ) -> list[list[tuple[str, float]]]:
        """The dense list and, when the query has keywords, the BM25 list: (point id, score), `fetch`
        long, as the engine returned them, each inside `query_filter`. Fused in `search` (fusion.py)."""

    @abstractmethod
    def _read_back(self, query_filter: Any, point_ids: list[str]) -> dict[str, Any]:
        """The records (payload, dense vector) of `point_ids` that `query_filter` still admits, by id."""

    @abstractmethod
    def _scroll(self, query_filter: Any, limit: int) -> list[SearchHit]: ...
    @abstractmethod
    def _points(self, query_filter: Any, limit: int, payload: bool = True) -> list[IndexPoint]:
        """Points with their vectors (to copy a version); without payload, the dense vectors only."""

    @abstractmethod
    def _count(self, query_filter: Any) -> int: ...
    @abstractmethod
    def _set_payload(self, query_filter: Any, payload: dict[str, Any]) -> None: ...
    @abstractmethod
    def _delete(self, query_filter: Any) -> None: ...
    @abstractmethod
    def flush(self) -> None:
        """Make written data durable."""

    @abstractmethod
    def optimize(self) -> None:
        """Build indexes now (after a bulk load)."""

    @abstractmethod
    def close(self) -> None: ...
