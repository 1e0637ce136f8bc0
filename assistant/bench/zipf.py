"""The scale test's realistic corpus: Zipfian words, chunk-sized texts, clustered vectors.

A knowledge base is not random. Its words follow Zipf's law (a few words everywhere, most
words rare), so most query words narrow BM25 to a small share of the chunks; and its
embeddings cluster by topic, so a question lands near the passages about it. This corpus
has both, at the speed the scale test needs:

- text: `VOCABULARY` pseudo-words drawn with probability ∝ 1/rank^`ZIPF_S`; a chunk's length
  is log-normal around `MEDIAN_WORDS` words (the sample KB's chunks have a median of 25 BM25
  tokens, 10% above 60; full 450-character chunks reach about 200), clipped to
  `MIN_WORDS`..`MAX_WORDS`. Queries are 2-6 words from the same distribution.
- vectors: `TOPICS` random unit centroids; a chunk is a centroid plus Gaussian noise of norm
  about `NOISE` (cosine about 0.8 to its centroid, 0.64 to a chunk of its topic, 0 to other
  topics), normalised. A query's vector is drawn the same way from a random topic, so it sits
  near that topic's chunks as a real question sits near the passages that answer it.

The vector of a query is planted by `ZipfCorpus.queries` (the text cannot carry its topic);
texts nobody planted get a vector from a topic chosen by their hash.
"""

from __future__ import annotations

import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from assistant.bench.synthetic import BATCH, DOC_TYPES, GROUPS, LEVELS, SyntheticBm25, payload
from assistant.index import IndexPoint
from assistant.index.sparse import Bm25Encoder

VOCABULARY = 30_000
ZIPF_S = 1.05
MEDIAN_WORDS, WORDS_SIGMA, MIN_WORDS, MAX_WORDS = 40, 0.6, 8, 200
TOPICS = 2_000
NOISE = 0.75
SYLLABLES = [c + v for c in "bdfghjklmnprstvz" for v in "aeiou"]


def pseudo_words(n: int) -> list[str]:
    """n distinct lower-case words of three or four syllables, each one BM25 token."""
    s, words = len(SYLLABLES), []
    for i in range(n):
        parts, rest = [], i
        for _ in range(3):
            parts.append(SYLLABLES[rest % s])
            rest //= s
        words.append("".join(parts) + (SYLLABLES[rest] if rest else ""))
    return words


WORDS = pseudo_words(VOCABULARY)
WORD_IDS = {w: i for i, w in enumerate(WORDS)}
_CDF = np.cumsum(1 / np.arange(1, VOCABULARY + 1) ** ZIPF_S)
_CDF /= _CDF[-1]


def zipf_words(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.minimum(np.searchsorted(_CDF, rng.random(n)), VOCABULARY - 1)


def word_ids(text: str) -> list[int]:
    return [WORD_IDS[w] for w in text.split() if w in WORD_IDS]


class ClusteredEmbedder:
    """Vectors near `TOPICS` centroids; queries get the vector their corpus planted for them."""

    unrelated_similarity: float | None = None

    def __init__(self, dim: int = 384, seed: int = 13) -> None:
        self.dim, self.model_id = dim, f"synthetic-clustered-{dim}"
        centroids = np.random.default_rng(seed).standard_normal((TOPICS, dim), dtype=np.float32)
        self.centroids = centroids / np.linalg.norm(centroids, axis=1, keepdims=True)
        self.planted: dict[str, list[float]] = {}

    def near(self, topics: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Unit vectors, one per topic: the centroid plus noise of norm about `NOISE`."""
        noise = rng.standard_normal((len(topics), self.dim), dtype=np.float32) * (NOISE / self.dim**0.5)
        vectors = self.centroids[topics] + noise
        return np.asarray(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), dtype=np.float32)

    def embed_query(self, text: str) -> list[float]:
        if text in self.planted:
            return self.planted[text]
        seed = zlib.crc32(text.encode())
        vector: list[float] = self.near(np.array([seed % TOPICS]), np.random.default_rng(seed))[0].tolist()
        return vector

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(t) for t in texts]


@dataclass
class ZipfCorpus:
    """Realistic text and vectors (module docstring) with the uniform corpus's access metadata."""

    size: int
    embedder: ClusteredEmbedder = field(default_factory=ClusteredEmbedder)
    seed: int = 7
    name = "zipf"

    def describe(self) -> dict[str, object]:
        return {
            "vocabulary": VOCABULARY,
            "zipf_exponent": ZIPF_S,
            "median_words": MEDIAN_WORDS,
            "words_range": [MIN_WORDS, MAX_WORDS],
            "topics": TOPICS,
            "noise_norm": NOISE,
            "query_words": [2, 6],
        }

    def points(self, encoder: Bm25Encoder) -> Iterator[list[IndexPoint]]:
        rng, bm25 = np.random.default_rng(self.seed), SyntheticBm25(encoder, WORDS)
        for start in range(0, self.size, BATCH):
            count = min(BATCH, self.size - start)
            lengths = np.clip(
                np.rint(MEDIAN_WORDS * np.exp(WORDS_SIGMA * rng.standard_normal(count))), MIN_WORDS, MAX_WORDS
            ).astype(np.int64)
            flat = zipf_words(rng, int(lengths.sum())).tolist()
            bounds = np.concatenate([[0], np.cumsum(lengths)]).tolist()
            dense = self.embedder.near(rng.integers(0, TOPICS, count), rng).tolist()
            picks = rng.integers(0, [len(LEVELS), len(GROUPS), len(DOC_TYPES)], size=(count, 3)).tolist()
            batch = []
            for k, (vector, pick) in enumerate(zip(dense, picks, strict=True)):
                row = flat[bounds[k] : bounds[k + 1]]
                text = " ".join(WORDS[w] for w in row)
                point_id = str(uuid.UUID(int=start + k + 1))
                batch.append(
                    IndexPoint(point_id, vector, bm25.document(row), payload(start + k, text, *pick))
                )
            yield batch

    def queries(self, n: int) -> list[str]:
        """2-6 Zipfian words each; their vectors are planted in the embedder.

        Each query is drawn whole before the next, so the first k of n are the k queries of `queries(k)`.
        """
        rng, texts = np.random.default_rng(self.seed + 1), []
        for _ in range(n):
            text = " ".join(WORDS[w] for w in zipf_words(rng, int(rng.integers(2, 7))))
            self.embedder.planted[text] = self.embedder.near(rng.integers(0, TOPICS, 1), rng)[0].tolist()
            texts.append(text)
        return texts
