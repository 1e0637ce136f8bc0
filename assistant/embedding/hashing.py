"""A deterministic hash embedder: for tests and scale benchmarks where the model is not the point."""

from __future__ import annotations

import hashlib
import math
import re

_TOKEN = re.compile(r"[\u4e00-\u9fff]|[a-z0-9]+", re.IGNORECASE)


class HashEmbedder:
    """Character/word hashing into a fixed space: similar texts share dimensions. Not semantic."""

    unrelated_similarity: float | None = None

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim
        self.model_id = f"hash-{dim}"

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        tokens = [t.lower() for t in _TOKEN.findall(text)]
        grams = tokens + [a + b for a, b in zip(tokens, tokens[1:], strict=False)]
        for gram in grams:
            h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little")
            vec[h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]
