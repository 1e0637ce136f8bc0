"""Both Qdrant backends behind one fixture: embedded qdrant-edge (both profiles) and qdrant-client (`:memory:`, or QDRANT_URL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from qdrant_client import QdrantClient

from assistant.access import PENDING, AccessPolicy, Principal
from assistant.embedding.hashing import HashEmbedder
from assistant.index import IndexPoint, VectorIndex
from assistant.index.edge import EdgeIndex
from assistant.index.server import ServerIndex
from assistant.index.sparse import Bm25Encoder
from assistant.index.tuning import PROFILES

EMBEDDER = HashEmbedder()
ENCODER = Bm25Encoder()
ADMIN = Principal.of("admin", ["admin"])


def _backends() -> list[str]:
    names = ["edge", "edge-large", "memory"]
    if os.environ.get("QDRANT_URL"):
        names.append("server")
    return names


@pytest.fixture(params=_backends())
def index(request: pytest.FixtureRequest, tmp_path: Path, policy: AccessPolicy) -> Iterator[VectorIndex]:
    if request.param == "edge":
        ix: VectorIndex = EdgeIndex(tmp_path / "shard", policy)
    elif request.param == "edge-large":
        ix = EdgeIndex(tmp_path / "shard", policy, PROFILES["large"])
    elif request.param == "memory":
        ix = ServerIndex(QdrantClient(location=":memory:"), "kb", policy)
    else:
        client = QdrantClient(url=os.environ["QDRANT_URL"], api_key=os.environ.get("QDRANT_API_KEY"))
        ix = ServerIndex(client, f"test_{uuid.uuid4().hex[:8]}", policy)
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
