"""Reciprocal rank fusion of the dense and BM25 lists, computed here for both backends.

The engine returns points of equal score in the order it stores them, and that order depends on when
its optimiser merged segments during an ingest: two builds of the same knowledge base ranked BM25 ties
(table rows with the same words and length) differently, which moved the fused scores of 33 of the
sample KB's 200 questions and flipped near-tie answers between evaluation runs. So each list is put in
order here, by score and then by point id, before it is fused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assistant.index.schema import PREFETCH_LIMIT, RRF_K

# Each list is fetched this much longer than it is used, so a tie at its cut is cut the same way
# whatever the engine's order (ties longer than this at the cut are left to the engine).
TIE_MARGIN = 10


def ranked(scored: Iterable[tuple[str, float]], limit: int) -> list[str]:
    """Ids by score, best first, equal scores by id, at most `limit`."""
    return [point_id for point_id, _ in sorted(scored, key=lambda s: (-s[1], s[0]))[:limit]]


def rrf(rankings: Sequence[Sequence[str]], k: int) -> list[tuple[str, float]]:
    """Ids by fused score, best first (equal scores by id): each list adds 1 / (k + position), the
    first at position 0, as the engine's `Fusion.Rrf` counts."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for position, point_id in enumerate(ranking):
            scores[point_id] = scores.get(point_id, 0.0) + 1.0 / (k + position)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def fuse(lists: Sequence[Iterable[tuple[str, float]]], limit: int) -> list[tuple[str, float]]:
    """The best `limit` (id, fused score) of the dense and BM25 lists (each PREFETCH_LIMIT + TIE_MARGIN
    long, as the engine returned them): each put in order and cut, then fused."""
    return rrf([ranked(scored, PREFETCH_LIMIT) for scored in lists], RRF_K)[:limit]
