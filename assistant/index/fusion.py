"""Reciprocal rank fusion, computed as the engine computes it (`Fusion.Rrf`): one formula for both."""

from __future__ import annotations

from collections.abc import Sequence


def rrf(rankings: Sequence[Sequence[str]], k: int) -> list[tuple[str, float]]:
    """Ids by fused score, best first: each list adds 1 / (k + position), the first at position 0.

    Ties keep the order in which the ids were first seen (the caller breaks them as it must).
    """
    scores: dict[str, float] = {}
    for ranking in rankings:
        for position, point_id in enumerate(ranking):
            scores[point_id] = scores.get(point_id, 0.0) + 1.0 / (k + position)
    return sorted(scores.items(), key=lambda item: -item[1])
