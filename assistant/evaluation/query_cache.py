"""Query embeddings remembered across evaluation runs: the same model, each distinct text encoded once.

The eval asks the same texts many times (every role, every endpoint) and the real embedder takes
about a second per query on a small CPU, so without this a run would be dominated by re-encoding.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.embedding import Embedder


class CachedQueryEmbedder:
    """Wraps an embedder; passages go straight through, queries are looked up first."""

    def __init__(self, inner: Embedder, path: Path | None = None) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.unrelated_similarity = inner.unrelated_similarity
        self.path = path
        self._vectors: dict[str, list[float]] = {}
        if path is not None and path.exists():
            self._vectors = json.loads(path.read_text(encoding="utf-8"))
        self._dirty = False

    @classmethod
    def in_folder(cls, inner: Embedder, folder: Path) -> CachedQueryEmbedder:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", inner.model_id)
        return cls(inner, folder / f"queries-{name}.json")

    def embed_query(self, text: str) -> list[float]:
        vector = self._vectors.get(text)
        if vector is None:
            vector = self._vectors[text] = self.inner.embed_query(text)
            self._dirty = True
        return vector

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_passages(texts)

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._vectors, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.path)
        self._dirty = False
