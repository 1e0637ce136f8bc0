"""Qdrant index: embedded (qdrant-edge) or server (qdrant-client), one schema."""

from assistant.index.base import IndexModelMismatch, IndexPoint, SearchHit, VectorIndex
from assistant.index.factory import build_index

__all__ = ["IndexModelMismatch", "IndexPoint", "SearchHit", "VectorIndex", "build_index"]
