"""Rate limits counted in the database, so replicas sharing it share one budget per person."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from assistant.db.models import RateLimitBucketRow
from assistant.rate_limits import WINDOW_S, RateLimiter, SlidingWindowLimiter, retry_after_header

# The window slides in steps of one slot: a request leaves it 50 to 60 seconds after it was made.
SLOT_S = 10
SLOTS = int(WINDOW_S) // SLOT_S
T = RateLimitBucketRow


def build_limiter(engine: Engine, per_minute: int, scope: str) -> RateLimiter:
    """Counted in the database when it is shared (PostgreSQL); in this process's memory on SQLite."""
    if engine.dialect.name == "postgresql":
        return DatabaseLimiter(engine, per_minute, scope)
    return SlidingWindowLimiter(per_minute)


class DatabaseLimiter:
    """Allows `per_minute` requests per key in the last minute (six 10-second slots); 0: no limit.

    Race-safe across processes: the increment is an atomic upsert that holds the slot's row until
    the same transaction has read the window, and a refused request is rolled back, not counted.
    """

    def __init__(
        self, engine: Engine, per_minute: int, scope: str, clock: Callable[[], float] = time.time
    ) -> None:
        self.engine, self.per_minute, self.scope, self.clock = engine, per_minute, scope, clock
        self._last_prune = 0.0
        self._prune_lock = threading.Lock()

    def blocked(self, key: str) -> float | None:
        """Like `check`, without recording a request: None when one would be allowed."""
        if self.per_minute <= 0:
            return None
        now = self.clock()
        with self.engine.connect() as conn:
            counts = self._window(conn, key[:255], now)
        if sum(hits for _, hits in counts) < self.per_minute:
            return None
        return self._wait(counts, 1, now)

    def check(self, key: str, cost: int = 1) -> float | None:
        """Record a request worth `cost`; None when allowed, else the seconds until it would be."""
        if self.per_minute <= 0:
            return None
        now, key = self.clock(), key[:255]
        with self.engine.connect() as conn:
            conn.execute(self._increment(key, int(now // SLOT_S), cost))
            counts = self._window(conn, key, now)
            before = sum(hits for _, hits in counts) - cost
            if before > 0 and before + cost > self.per_minute:
                conn.rollback()  # a refused request does not count
                return self._wait(self._without(counts, int(now // SLOT_S), cost), cost, now)
            conn.commit()
        self._prune(now)
        return None

    def retry_after_header(self, wait_s: float) -> dict[str, str]:
        return retry_after_header(wait_s)

    def _increment(self, key: str, slot: int, cost: int) -> Any:
        insert = postgresql_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        stmt = insert(T).values(scope=self.scope, key=key, slot=slot, hits=cost)
        return stmt.on_conflict_do_update(
            index_elements=[T.scope, T.key, T.slot], set_={"hits": T.hits + stmt.excluded.hits}
        )

    def _window(self, conn: Connection, key: str, now: float) -> list[tuple[int, int]]:
        """(slot, hits) of this key in the last minute, oldest first."""
        first = int(now // SLOT_S) - SLOTS + 1
        query = (
            select(T.slot, T.hits)
            .where(T.scope == self.scope, T.key == key, T.slot >= first)
            .order_by(T.slot)
        )
        return [(int(slot), int(hits)) for slot, hits in conn.execute(query)]

    @staticmethod
    def _without(counts: list[tuple[int, int]], slot: int, cost: int) -> list[tuple[int, int]]:
        return [(s, hits - cost if s == slot else hits) for s, hits in counts]

    def _wait(self, counts: list[tuple[int, int]], cost: int, now: float) -> float:
        """Seconds until enough slots leave the window for `cost` more requests."""
        left = sum(hits for _, hits in counts)
        for slot, hits in counts:
            left -= hits
            if left + cost <= self.per_minute:
                return max(0.0, (slot + SLOTS) * SLOT_S - now)
        return WINDOW_S

    def _prune(self, now: float) -> None:
        # Old slots are deleted once a minute per process, so the table follows active keys only.
        with self._prune_lock:
            if now - self._last_prune < WINDOW_S:
                return
            self._last_prune = now
        with self.engine.begin() as conn:
            conn.execute(delete(T).where(T.slot < int(now // SLOT_S) - SLOTS + 1))
