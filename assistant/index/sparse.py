"""BM25 sparse vectors from qdrant-edge's model: one tokeniser for documents and queries, both backends."""

from __future__ import annotations

from dataclasses import dataclass

from qdrant_edge import Bm25, Bm25Config, TokenizerType


@dataclass(frozen=True)
class Sparse:
    indices: list[int]
    values: list[float]


class Bm25Encoder:
    """Multilingual tokenizer (segments Chinese into words); IDF is applied by the engine."""

    def __init__(self) -> None:
        self.config = Bm25Config(tokenizer=TokenizerType.Multilingual)
        self._model = Bm25(self.config)

    def load(self) -> None:
        """Load the tokenizer's dictionaries now (a quarter of a CPU-second, once per process), not
        at the first document or query."""
        self._model.embed_document("销售")

    def document(self, text: str) -> Sparse:
        vec = self._model.embed_document(text)
        return Sparse(list(vec.indices), list(vec.values))

    def query(self, text: str) -> Sparse:
        vec = self._model.embed_query(text)
        return Sparse(list(vec.indices), list(vec.values))
