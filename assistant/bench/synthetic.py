"""The scale test's synthetic knowledge base: chunks with realistic access metadata, fast to make.

A million chunks must be made in about a minute on two cores, so vectors come from a table
lookup (numpy) and BM25 vectors from per-word tokens computed once: the same numbers the
product's `Bm25Encoder` gives for the same text (tested), at a fraction of the cost.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.access import LIVE
from assistant.index import IndexPoint
from assistant.index.sparse import Bm25Encoder, Sparse

WORDS = [
    "客户",
    "线索",
    "商机",
    "报价",
    "折扣",
    "合同",
    "续约",
    "回款",
    "拜访",
    "演示",
    "试用",
    "部署",
    "私有化",
    "集成",
    "数据",
    "安全",
    "权限",
    "报表",
    "漏斗",
    "转化率",
    "满意度",
    "工单",
    "客服",
    "营销",
    "渠道",
    "代理商",
    "零售",
    "制造",
    "金融",
    "医疗",
    "华东",
    "华南",
    "华北",
    "竞品",
    "价格",
    "预算",
    "决策人",
    "CRM",
    "BI",
    "API",
    "SaaS",
    "onboarding",
    "pricing",
    "discount",
    "renewal",
    "pipeline",
    "forecast",
    "dashboard",
    "integration",
    "security",
]
LEVELS = ("public", "internal", "internal", "confidential", "restricted")
GROUPS = (["*"], ["*"], ["*"], ["east"], ["south"], ["north"])
DOC_TYPES = ("product", "case_study", "talk_track", "competitor", "faq", "policy", "playbook")
CHUNK_WORDS = 40
PAIR_BUCKETS = 512  # word pairs hash into this many extra directions, so chunks spread out
BATCH = 1024


class SyntheticEmbedder:
    """A text's vector: the normalised sum of fixed random vectors of its words and word pairs.

    Not semantic, but texts sharing words are near each other. Words outside the vocabulary
    are ignored.
    """

    unrelated_similarity: float | None = None

    def __init__(self, vocabulary: Sequence[str] = WORDS, dim: int = 384, seed: int = 11) -> None:
        self.dim = dim
        self.model_id = f"synthetic-{dim}"
        self._ids = {w: i for i, w in enumerate(vocabulary)}
        rng = np.random.default_rng(seed)
        self._table = rng.standard_normal((len(vocabulary) + PAIR_BUCKETS, dim), dtype=np.float32)

    def word_ids(self, text: str) -> list[int]:
        return [self._ids[w] for w in text.split() if w in self._ids]

    def embed_ids(self, ids: np.ndarray) -> np.ndarray:
        """Unit vectors (float32), one per row of word ids (all rows the same length)."""
        size, width = len(self._ids), len(self._table)
        pairs = size + (ids[:, :-1] * size + ids[:, 1:]) % PAIR_BUCKETS
        columns = np.concatenate([ids, pairs], axis=1)
        flat = (np.arange(len(ids))[:, None] * width + columns).ravel()
        counts = np.bincount(flat, minlength=len(ids) * width).reshape(len(ids), width)
        vectors = counts.astype(np.float32) @ self._table
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.asarray(vectors / np.where(norms == 0, 1, norms), dtype=np.float32)

    def embed_query(self, text: str) -> list[float]:
        return self.embed_passages([text])[0]

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_ids(np.array([self.word_ids(t)], dtype=np.int64))[0].tolist() for t in texts]


class SyntheticBm25:
    """BM25 document vectors for texts made of vocabulary words, equal to `Bm25Encoder.document`."""

    def __init__(self, encoder: Bm25Encoder, vocabulary: Sequence[str] = WORDS) -> None:
        self._tokens = [encoder.query(word).indices for word in vocabulary]
        config = encoder.config
        self._k, self._b, self._avg_len = config.k, config.b, config.avg_len

    def document(self, ids: Sequence[int]) -> Sparse:
        counts: dict[int, int] = {}
        for word, times in Counter(ids).items():
            for token in self._tokens[word]:
                counts[token] = counts.get(token, 0) + times
        norm = self._k * (1 - self._b + self._b * sum(counts.values()) / self._avg_len)
        return Sparse(list(counts), [tf * (self._k + 1) / (tf + norm) for tf in counts.values()])


@dataclass
class SyntheticCorpus:
    """The worst case: 40 words of 50, uniformly, and nearly random vectors (see `ZipfCorpus`).

    Chunks with a realistic spread of access levels, groups and types; text from a sales vocabulary.
    Each query word is in about half of the chunks, and random high-dimensional vectors are the
    hardest case for an HNSW graph.
    """

    size: int
    embedder: SyntheticEmbedder = field(default_factory=SyntheticEmbedder)
    seed: int = 7
    name = "uniform"

    def describe(self) -> dict[str, object]:
        return {"vocabulary": len(WORDS), "words": CHUNK_WORDS, "query_words": [2, 5]}

    def points(self, encoder: Bm25Encoder) -> Iterator[list[IndexPoint]]:
        rng, bm25 = np.random.default_rng(self.seed), SyntheticBm25(encoder)
        for start in range(0, self.size, BATCH):
            count = min(BATCH, self.size - start)
            ids = rng.integers(0, len(WORDS), size=(count, CHUNK_WORDS))
            dense = self.embedder.embed_ids(ids).tolist()
            picks = rng.integers(0, [len(LEVELS), len(GROUPS), len(DOC_TYPES)], size=(count, 3)).tolist()
            yield [
                IndexPoint(
                    str(uuid.UUID(int=i + 1)),
                    vector,
                    bm25.document(row),
                    payload(i, " ".join(WORDS[w] for w in row), *pick),
                )
                for i, row, vector, pick in zip(
                    range(start, start + count), ids.tolist(), dense, picks, strict=True
                )
            ]

    def queries(self, n: int) -> list[str]:
        rng = np.random.default_rng(self.seed + 1)
        return [" ".join(WORDS[w] for w in rng.integers(0, len(WORDS), rng.integers(2, 6))) for _ in range(n)]


def payload(i: int, text: str, level: int, group: int, doc_type: int) -> dict[str, object]:
    return {
        "doc_id": f"doc-{i // 8}",
        "version": "v1",
        "state": LIVE,
        "n": i % 8,
        "text": text,
        "access_level": LEVELS[level],
        "groups": GROUPS[group],
        "doc_type": DOC_TYPES[doc_type],
        "source": f"synthetic/{i // 8}.md",
        "title": f"doc {i // 8}",
    }
