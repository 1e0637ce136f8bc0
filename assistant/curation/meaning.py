""" "Same meaning" for two questions: the embedder's cosine, calibrated against unrelated text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import mul

import numpy as np
import numpy.typing as npt

from assistant.embedding import Embedder
from assistant.text.normalize import normalize_for_matching


class Meaning:
    """Embeds questions the way search does and says when two of them ask the same thing.

    Scores run 0..1: 0 is what unrelated texts score with this embedder (`unrelated_similarity`; raw
    cosine for an uncalibrated embedder), 1 is identical. `threshold` is
    `ASSISTANT_SAME_QUESTION_SIMILARITY`.
    """

    def __init__(
        self, embedder: Embedder, threshold: float, embed: Callable[[str], list[float]] | None = None
    ) -> None:
        self.embedder = embedder
        self.threshold = threshold
        # SearchService.query_vector: one embedding per question for search, curated lookup and queue.
        self.embed = embed

    def vector(self, question: str) -> list[float]:
        if self.embed is not None:
            return self.embed(question)
        return self.embedder.embed_query(normalize_for_matching(question.strip()))

    def score(self, a: Sequence[float], b: Sequence[float]) -> float:
        return self.calibrate(sum(map(mul, a, b)))  # the generator's sum, same order, faster

    def closest(
        self, vector: Sequence[float], candidates: Sequence[Sequence[float] | npt.NDArray[np.float64]]
    ) -> tuple[int, float] | None:
        """(position, score) of the candidate closest in meaning to `vector` (the first on a tie)."""
        if not candidates:
            return None
        cosines = np.asarray(candidates, dtype=np.float64) @ np.asarray(vector, dtype=np.float64)
        best = int(np.argmax(cosines))
        return best, self.calibrate(float(cosines[best]))

    def calibrate(self, cosine: float) -> float:
        floor = self.embedder.unrelated_similarity or 0.0
        return max(0.0, min(1.0, (cosine - floor) / (1.0 - floor)))

    def same(self, a: Sequence[float], b: Sequence[float]) -> bool:
        return self.score(a, b) >= self.threshold
