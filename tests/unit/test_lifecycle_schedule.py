"""The in-service lifecycle scheduler: runs the job on its interval, survives a failed run, stops."""

from __future__ import annotations

import threading
import time

from assistant.channels.schedule import LifecycleScheduler


def test_runs_repeatedly_survives_a_failure_and_stops() -> None:
    runs: list[int] = []
    enough = threading.Event()

    def job() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("slack down")
        if len(runs) >= 3:
            enough.set()

    scheduler = LifecycleScheduler(job, every_s=0.01, first_delay_s=0.0).start()
    assert enough.wait(10), "the loop must go on after a failed run"
    scheduler.stop()
    count = len(runs)
    assert not scheduler._thread.is_alive()
    time.sleep(0.05)
    assert len(runs) == count, "no run after stop"
