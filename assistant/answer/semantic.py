"""Sentence-level meaning, for the evidence words cannot judge: an English question over a Chinese
source or the reverse shares no words with it, so the embedder compares question and sentence."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from assistant.embedding import Embedder
from assistant.text.normalize import normalize_for_matching

MEANING_CHARS = 80
MEANING_CACHE = 4096
# (question, sentences) -> each sentence's relevance 0..1 (0 = as unrelated text scores, 1 = identical)
Similarity = Callable[[str, list[str]], list[float]]


def sentence_similarity(
    embedder: Embedder, question_vector: Callable[[str], list[float]]
) -> Similarity | None:
    """The embedder's calibrated similarity, or None for an uncalibrated one (the hash embedder).
    `question_vector` is the search's (SearchService.query_vector): the question the search just
    embedded is not embedded again."""
    floor = embedder.unrelated_similarity
    if floor is None:
        return None
    scale = 1.0 - floor

    @lru_cache(maxsize=MEANING_CACHE)
    def embed(sentence: str) -> tuple[float, ...]:
        # The opening of a sentence carries its topic; the model's cost grows with the text's length.
        # One at a time: batching pads every sentence to the longest, slower for these short texts.
        return tuple(embedder.embed_passages([normalize_for_matching(sentence)[:MEANING_CHARS]])[0])

    def similarity(question: str, sentences: list[str]) -> list[float]:
        if not sentences:
            return []
        query = question_vector(question)
        vectors = [embed(s) for s in sentences]
        cosines = [sum(a * b for a, b in zip(query, v, strict=False)) for v in vectors]
        return [max(0.0, min(1.0, (c - floor) / scale)) for c in cosines]

    return similarity
