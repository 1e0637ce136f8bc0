"""Qdrant index: embedded (qdrant-edge) or server (qdrant-client), one schema."""

from assistant.index.base import IndexPoint, SearchHit, VectorIndex, build_index

__all__ = ["IndexPoint", "SearchHit", "VectorIndex", "build_index"]
