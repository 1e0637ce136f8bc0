"""Whether any curated answer is live, known without asking the index on every question.

Most of the time none is, and the curated-answer lookup is a second index query per answer (one that
holds Python's GIL in qdrant-edge). The count comes from the database, which every process and
replica shares: an approval or retirement elsewhere is seen within `check_every_s`, one made through
this process at once (`changed()`).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

# As stale as another replica's view of the curated answers may be (the glossary's recheck is the same).
CHECK_EVERY_S = 2.0


class LiveCurated:
    """The number of live curated answers, re-counted at most every `check_every_s` seconds."""

    def __init__(self, count: Callable[[], int], check_every_s: float = CHECK_EVERY_S) -> None:
        self.count = count
        self.check_every_s = check_every_s
        self._lock = threading.Lock()
        self._checked = -math.inf
        self._live = 0

    def any(self) -> bool:
        now = time.monotonic()
        with self._lock:
            if now - self._checked >= self.check_every_s:
                self._live = self.count()
                self._checked = now
            return self._live > 0

    def changed(self) -> None:
        """An answer went live or was retired here: the next `any()` counts again."""
        with self._lock:
            self._checked = -math.inf
