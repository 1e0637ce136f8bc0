"""Dense text embeddings behind one interface."""

from assistant.embedding.base import Embedder, EmbedderMismatch, build_embedder

__all__ = ["Embedder", "EmbedderMismatch", "build_embedder"]
