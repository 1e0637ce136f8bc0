"""The Embedder interface every backend implements."""

from __future__ import annotations

from typing import Protocol


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
