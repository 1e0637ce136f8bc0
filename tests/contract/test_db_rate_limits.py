"""Rate limits counted in the database behave the same on SQLite and PostgreSQL, and across processes."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from assistant.db.models import RateLimitBucketRow
from assistant.db.rate_limits import SLOT_S, DatabaseLimiter, build_limiter
from assistant.rate_limits import SlidingWindowLimiter
from tests.contract.conftest import as_processes

START = 1_800_000_000.0  # a slot boundary


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


def test_the_limit_holds_and_refusals_do_not_count(engine: Engine) -> None:
    clock = Clock()
    limiter = DatabaseLimiter(engine, 3, "requests", clock)
    assert [limiter.check("rep") for _ in range(3)] == [None, None, None]
    assert limiter.blocked("rep") is not None
    for _ in range(5):  # hammering while refused does not push the window further
        wait = limiter.check("rep")
        assert wait is not None and 50 <= wait <= 60
    assert limiter.check("manager") is None  # another person's budget
    clock.now += 60
    assert limiter.blocked("rep") is None and limiter.check("rep") is None


def test_the_window_slides_by_slots(engine: Engine) -> None:
    clock = Clock()
    limiter = DatabaseLimiter(engine, 2, "requests", clock)
    assert limiter.check("rep") is None
    clock.now += 30
    assert limiter.check("rep") is None
    wait = limiter.check("rep")
    assert wait == pytest.approx(30)  # the first request leaves the window 60 s after its slot began
    clock.now += 30
    assert limiter.check("rep") is None


def test_a_costly_request_needs_room_for_its_whole_cost(engine: Engine) -> None:
    clock = Clock()
    limiter = DatabaseLimiter(engine, 4, "requests", clock)
    assert limiter.check("rep", cost=3) is None
    assert limiter.check("rep", cost=3) is not None
    assert limiter.check("rep", cost=1) is None


def test_scopes_are_separate_budgets(engine: Engine) -> None:
    clock = Clock()
    requests = DatabaseLimiter(engine, 1, "requests", clock)
    failures = DatabaseLimiter(engine, 1, "auth_failures", clock)
    assert requests.check("127.0.0.1") is None and failures.check("127.0.0.1") is None


def test_no_limit_writes_nothing(engine: Engine) -> None:
    limiter = DatabaseLimiter(engine, 0, "requests")
    assert all(limiter.check("rep") is None for _ in range(100))
    assert _rows(engine) == 0


def test_old_slots_are_pruned(engine: Engine) -> None:
    clock = Clock()
    limiter = DatabaseLimiter(engine, 10, "requests", clock)
    for n in range(5):
        clock.now = START + n * SLOT_S
        limiter.check(f"user{n}")
    clock.now = START + 10 * 60  # minutes later: every slot above is out of the window
    limiter.check("late")
    assert _rows(engine) == 1


def test_processes_sharing_the_database_share_the_budget(database_url: str) -> None:
    def hammer(engine: Engine) -> int:
        limiter = DatabaseLimiter(engine, 20, "requests")
        return sum(limiter.check("rep") is None for _ in range(10))

    assert sum(as_processes(database_url, 6, hammer)) == 20


def test_the_database_counts_when_it_is_shared(engine: Engine) -> None:
    limiter = build_limiter(engine, 5, "requests")
    shared = engine.dialect.name == "postgresql"
    assert isinstance(limiter, DatabaseLimiter if shared else SlidingWindowLimiter)


def _rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(RateLimitBucketRow)).scalar_one())
