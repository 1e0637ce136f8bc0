"""Both Qdrant backends behind one fixture: embedded qdrant-edge (both profiles) and qdrant-client (`:memory:`, or QDRANT_URL)."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from qdrant_client import QdrantClient
from sqlalchemy import Engine

from assistant.access import PENDING, AccessPolicy, Principal
from assistant.db import build_engine
from assistant.embedding.hashing import HashEmbedder
from assistant.index import IndexPoint, VectorIndex
from assistant.index.edge import EdgeIndex
from assistant.index.server import ServerIndex
from assistant.index.sparse import Bm25Encoder
from assistant.index.tuning import PROFILES

EMBEDDER = HashEmbedder()
ENCODER = Bm25Encoder()
T = TypeVar("T")
ADMIN = Principal.of("admin", ["admin"])


def backend_names() -> list[str]:
    names = ["edge", "edge-large", "memory"]
    if os.environ.get("QDRANT_URL"):
        names.append("server")
    return names


def open_backend(name: str, path: Path, policy: AccessPolicy) -> VectorIndex:
    """A new empty index of one backend (`backend_names()` names them)."""
    if name == "edge":
        return EdgeIndex(path, policy)
    if name == "edge-large":
        return EdgeIndex(path, policy, PROFILES["large"])
    if name == "memory":
        return ServerIndex(QdrantClient(location=":memory:"), "kb", policy)
    client = QdrantClient(url=os.environ["QDRANT_URL"], api_key=os.environ.get("QDRANT_API_KEY"))
    return ServerIndex(client, f"test_{uuid.uuid4().hex[:8]}", policy)


@pytest.fixture(params=backend_names())
def index(request: pytest.FixtureRequest, tmp_path: Path, policy: AccessPolicy) -> Iterator[VectorIndex]:
    ix = open_backend(request.param, tmp_path / "shard", policy)
    ix.ensure_model(EMBEDDER.model_id, EMBEDDER.dim)
    yield ix
    if request.param == "server":
        ix.client.delete_collection(ix.collection)  # type: ignore[attr-defined]
    ix.close()


def put(
    index: VectorIndex,
    doc_id: str,
    texts: list[str],
    version: str = "v1",
    publish: bool = True,
    **meta: object,
) -> None:
    payload = {
        "doc_id": doc_id,
        "version": version,
        "state": PENDING,
        "access_level": "internal",
        "groups": ["*"],
        "doc_type": "product",
        "source": f"{doc_id}.md",
        "title": doc_id,
    }
    payload.update(meta)
    points = [
        IndexPoint(
            str(uuid.uuid5(uuid.NAMESPACE_URL, f"{doc_id}/{version}/{n}")),
            EMBEDDER.embed_query(t),
            ENCODER.document(t),
            {**payload, "n": n, "text": t},
        )
        for n, t in enumerate(texts)
    ]
    index.upsert(points)
    if publish:
        index.publish(doc_id, version)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated engine on each database."""
    engine = build_engine(database_url)
    yield engine
    engine.dispose()


def as_processes(database_url: str, count: int, work: Callable[[Engine], T]) -> list[T]:
    """Run `work` at once from `count` threads, each with its own engine, as separate processes would."""
    engines = [build_engine(database_url) for _ in range(count)]
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = work(engines[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in engines:
        e.dispose()
    return results
