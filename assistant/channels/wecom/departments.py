"""WeCom departments as groups: a member of department 2 counts as group "east" when so configured."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)
# Org charts change rarely; a member's departments are looked up again after this long.
CACHE_SECONDS = 600.0


class DepartmentGroups:
    """Adds groups to linked users from their WeCom departments; the directory's groups still apply."""

    def __init__(
        self, client: Any, mapping: dict[str, str], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.client = client
        self.mapping = {str(k): v for k, v in mapping.items()}
        self.clock = clock
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def groups_of(self, user_id: str) -> frozenset[str]:
        if not self.mapping:
            return frozenset()
        with self._lock:
            hit = self._cache.get(user_id)
        if hit and self.clock() - hit[0] < CACHE_SECONDS:
            return hit[1]
        try:
            departments = self.client.user_departments(user_id)
        except Exception as exc:  # the directory's groups still apply; never fail the answer for this
            log.warning("wecom: could not read departments of %s (%s)", user_id, type(exc).__name__)
            return hit[1] if hit else frozenset()
        groups = frozenset(self.mapping[d] for d in departments if d in self.mapping)
        with self._lock:
            self._cache[user_id] = (self.clock(), groups)
        return groups
