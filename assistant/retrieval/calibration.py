"""Dense cosines made comparable across languages before they are ranked.

e5 rates a question's own language about 0.05-0.1 higher than a translation of the same words, so a
Chinese question's English source (found by BM25 through the glossary) sat 10th-70th on meaning, behind
Chinese chunks that only share its topic. For each question, each language group's cosines become
z-scores, (cos - mean) / std over that group's chunks: the mean is q·μ and the variance qᵀΣq, from the
group's mean vector μ and covariance Σ, taken from a sample of the index's vectors now and then.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assistant.index import VectorIndex
from assistant.index.base import DenseCalibration

# Chunks per language group the statistics are taken from: enough for the mean and the spread of one
# direction (the question's) to about 5%; scrolling them took ~0.3 s at 20,000 chunks on a busy 2-core.
GROUP_SAMPLE = 500
# A group with fewer chunks is not calibrated (a one-language knowledge base keeps one dense list).
MIN_GROUP = 5
# Statistics older than this are taken again in the background; questions meanwhile use the old ones.
REFRESH_S = 600.0
# While a group is missing (no English chunks yet), they are taken again this soon: another process
# (a second replica, `assistant ingest` beside the service) may be adding it. A change made through
# this process's index (an ingest, a removal) retakes them at the next question.
MISSING_GROUP_S = 60.0
log = logging.getLogger(__name__)

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class _GroupStats:
    mean: Matrix
    covariance: Matrix

    @classmethod
    def of(cls, vectors: list[list[float]]) -> _GroupStats | None:
        if len(vectors) < MIN_GROUP:
            return None
        data = np.asarray(vectors, dtype=np.float64)
        return cls(data.mean(axis=0), np.cov(data, rowvar=False, bias=True))

    def z(self, query: Matrix) -> tuple[float, float]:
        """(scale, offset) turning this query's cosine with the group's chunks into a z-score."""
        std = float(np.sqrt(max(float(query @ self.covariance @ query), 1e-12)))
        return 1.0 / std, -float(query @ self.mean) / std


class LanguageCalibration:
    """Per-language statistics of the index's dense vectors, taken again after the live chunks change
    in this process, after MISSING_GROUP_S while a group is missing, and after REFRESH_S."""

    def __init__(self, index: VectorIndex, clock: Callable[[], float] = time.monotonic) -> None:
        self.index = index
        self.clock = clock
        self._groups: tuple[_GroupStats | None, _GroupStats | None] = (None, None)
        self._taken: float | None = None
        self._changes = -1  # index.live_changes when the statistics were taken
        self._refreshing = False
        self._generation = 0  # statistics taken so far
        self._lock = threading.Lock()
        self._waiting = threading.Lock()  # questions waiting for statistics take them once

    def for_query(self, vector: list[float]) -> DenseCalibration | None:
        """The calibration for one question's vector; None while a group is (nearly) empty."""
        rest, separate = self._current()
        if rest is None or separate is None:
            return None
        query = np.asarray(vector, dtype=np.float64)
        return DenseCalibration(rest=rest.z(query), separate=separate.z(query))

    def refresh(self) -> None:
        """Take the statistics now."""
        changes = self.index.live_changes  # read first: a change while sampling is seen next time
        groups = (
            _GroupStats.of(self.index.dense_sample(False, GROUP_SAMPLE)),
            _GroupStats.of(self.index.dense_sample(True, GROUP_SAMPLE)),
        )
        with self._lock:
            self._groups, self._taken, self._changes = groups, self.clock(), changes
            self._generation += 1

    def _current(self) -> tuple[_GroupStats | None, _GroupStats | None]:
        """The statistics to use now. A question waits for new ones when there are none yet, or when
        a group was missing and the index has changed since (the English documents just ingested
        are calibrated at once); otherwise they are taken again in the background."""
        with self._lock:
            groups, taken = self._groups, self._taken
            missing = None in groups
            changed = self.index.live_changes != self._changes
            wait = taken is None or missing and changed
            age = self.clock() - taken if taken is not None else 0.0
            due = changed or age > (MISSING_GROUP_S if missing else REFRESH_S)
            background = not wait and due and not self._refreshing
            self._refreshing = self._refreshing or background
            seen = self._generation
        if wait:
            return self._taken_once(seen)
        if background:
            threading.Thread(target=self._refresh_quietly, name="language-calibration", daemon=True).start()
        return groups

    def _taken_once(self, seen: int) -> tuple[_GroupStats | None, _GroupStats | None]:
        """Questions arriving together that must all wait (the first ones after a start) take the
        statistics once: the first takes them, the others use what it took."""
        with self._waiting:
            if self._generation == seen:
                self.refresh()
            return self._groups

    def _refresh_quietly(self) -> None:
        try:
            self.refresh()
        except Exception:  # the index closing under it: keep the old statistics
            log.warning("language calibration refresh failed", exc_info=True)
        finally:
            with self._lock:
                self._refreshing = False
