"""The hash embedder, remembering the questions it was asked to embed (what a test counts or checks)."""

from __future__ import annotations

from assistant.embedding.hashing import HashEmbedder


class RecordingEmbedder(HashEmbedder):
    """The hash embedder, remembering what it was asked to embed (the model's input is the cost)."""

    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return super().embed_query(text)
