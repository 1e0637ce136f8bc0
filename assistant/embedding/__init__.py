"""Dense text embeddings behind one interface."""

from assistant.embedding.base import Embedder
from assistant.embedding.factory import build_embedder

__all__ = ["Embedder", "build_embedder"]
