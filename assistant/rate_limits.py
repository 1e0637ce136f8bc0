"""Sliding one-minute rate limits, kept in this process's memory.

One limiter is shared by the HTTP API and the chat channels, keyed by the person (user name, or
the chat identity of someone unlinked), so a second token or another channel does not add budget.
This one counts in process memory; assistant/db/rate_limits.py counts in the database, so that
replicas sharing one database share one budget (build_limiter there picks).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

WINDOW_S = 60.0
# A request counts one more for every this many bytes of question: long ones cost more to answer.
BYTES_PER_EXTRA_REQUEST = 2048


def request_cost(size_bytes: int) -> int:
    """How many requests one of this size counts as (a 2,000-character Chinese question: 3)."""
    return 1 + max(0, size_bytes) // BYTES_PER_EXTRA_REQUEST


def retry_after_header(wait_s: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(wait_s)))}


class RateLimiter(Protocol):
    """What the API and the channels need of a limiter, wherever it counts."""

    per_minute: int

    def blocked(self, key: str) -> float | None: ...

    def check(self, key: str, cost: int = 1) -> float | None: ...

    def retry_after_header(self, wait_s: float) -> dict[str, str]: ...


class SlidingWindowLimiter:
    """Allows `per_minute` requests per key in any 60-second window; 0 or less means no limit."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def blocked(self, key: str) -> float | None:
        """Like `check`, without recording a request: None when one would be allowed."""
        if self.per_minute <= 0:
            return None
        now = self.clock()
        with self._lock:
            hits = self._hits.get(key)
            while hits and hits[0] <= now - WINDOW_S:
                hits.popleft()
            if hits and len(hits) >= self.per_minute:
                return max(0.0, hits[0] + WINDOW_S - now)
            return None

    def check(self, key: str, cost: int = 1) -> float | None:
        """Record a request worth `cost`; None when allowed, else the seconds until it would be."""
        if self.per_minute <= 0:
            return None
        now = self.clock()
        with self._lock:
            self._sweep(now)
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - WINDOW_S:
                hits.popleft()
            over = len(hits) + cost - self.per_minute
            if hits and over > 0:  # wait until enough earlier requests leave the window
                return max(0.0, hits[min(over, len(hits)) - 1] + WINDOW_S - now)
            hits.extend([now] * cost)
            return None

    def retry_after_header(self, wait_s: float) -> dict[str, str]:
        return retry_after_header(wait_s)

    def _sweep(self, now: float) -> None:
        # Forget idle keys now and then so memory follows active tokens, not all tokens ever seen.
        if now - self._last_sweep < WINDOW_S:
            return
        self._last_sweep = now
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - WINDOW_S]:
            del self._hits[key]
