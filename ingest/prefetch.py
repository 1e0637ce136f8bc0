"""Chunk batches embedded ahead of writing, while later files are still being parsed."""

from __future__ import annotations

import numpy as np

from assistant.embedding import Embedder

# Vectors held at most (float64, exact: 3 KB a chunk at dim 384); beyond it, batches embed at write time.
AHEAD_LIMIT = 50_000


class EmbeddingPrefetch:
    """Vectors keyed by the exact texts of a batch.

    A batch whose texts changed by the time it is written (the whole ingest's boilerplate was not
    known yet) is embedded again then, and only whole batches are reused: the ONNX embedder's
    results depend on the batch a text is in (by ~1e-8), so the vectors written are exactly those
    the batch would get if it were embedded at write time.
    """

    def __init__(self, embedder: Embedder, limit: int = AHEAD_LIMIT) -> None:
        self.embedder = embedder
        self.limit = limit
        self.embedded = 0  # chunks embedded, ahead or at write time (the progress bar's rate)
        self._ahead: dict[tuple[str, ...], np.ndarray] = {}
        self._held = 0

    def ahead(self, texts: list[str]) -> None:
        key = tuple(texts)
        if key in self._ahead or self._held + len(texts) > self.limit:
            return
        self._ahead[key] = np.asarray(self.embedder.embed_passages(texts), np.float64)
        self._held += len(texts)
        self.embedded += len(texts)

    def vectors(self, texts: list[str]) -> list[list[float]]:
        """The batch's vectors: embedded ahead if its texts are unchanged, else now."""
        hit = self._ahead.pop(tuple(texts), None)
        if hit is None:
            self.embedded += len(texts)
            return self.embedder.embed_passages(texts)
        self._held -= len(texts)
        vectors: list[list[float]] = hit.tolist()
        return vectors
