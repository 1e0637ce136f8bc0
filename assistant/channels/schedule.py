"""The lifecycle job inside the running service: archiving and owners' digests, checked periodically.

Running it often is safe: the ledger keeps each owner to one digest a day, and archiving only acts
on dates. `assistant lifecycle run` does the same from cron.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)
FIRST_RUN_DELAY_S = 60.0  # let the service finish starting first


class LifecycleScheduler:
    def __init__(
        self, job: Callable[[], Any], every_s: float, first_delay_s: float = FIRST_RUN_DELAY_S
    ) -> None:
        self.job = job
        self.every_s = every_s
        self.first_delay_s = min(first_delay_s, every_s)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="lifecycle")

    def start(self) -> LifecycleScheduler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        wait = self.first_delay_s
        while not self._stop.wait(wait):
            try:
                report = self.job()
                log.info("lifecycle: %s", report)
            except Exception:  # a failed run is logged and retried at the next tick, never fatal
                log.exception("lifecycle run failed; retrying in %.0f s", self.every_s)
            wait = self.every_s
