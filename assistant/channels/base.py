"""The Channel base: de-duplicate, answer in the background, deliver with bounded retries.

A platform subclass only translates: it builds `IncomingMessage`s from its events, says who
the sender is (`identify`), cuts `OutgoingMessage`s into platform messages (`render`) and posts
them (`post`, `notify`).
"""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from typing import Any

from assistant.channels.identity import Identity
from assistant.channels.messages import IncomingMessage, OutgoingMessage
from assistant.channels.notes import note
from assistant.channels.service import ChatService
from assistant.services import Services

log = logging.getLogger(__name__)
# A platform's Retry-After is honoured up to this many seconds per wait.
MAX_WAIT_S = 30.0


class DeliveryError(Exception):
    """A platform refused or failed a call; `retry_after` is its wait hint, if it gave one."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class RetryPolicy:
    """Waits before each retry (so 1 + len(delays) tries in all); `sleep` is injectable for tests."""

    delays: tuple[float, ...] = (0.5, 1.0, 2.0)
    sleep: Callable[[float], None] = time.sleep

    def wait(self, attempt: int, error: DeliveryError) -> bool:
        """Sleep before retry number `attempt` (0-based); False when the tries are used up."""
        if attempt >= len(self.delays):
            return False
        self.sleep(max(self.delays[attempt], min(error.retry_after or 0.0, MAX_WAIT_S)))
        return True


class Channel(ABC):
    """One chat platform. `receive` returns at once; the answer follows from a worker thread."""

    platform: str = ""

    def __init__(self, services: Services, retry: RetryPolicy | None = None, workers: int = 4) -> None:
        self.services = services
        self.chat = ChatService.from_services(services)
        self.retry = retry or RetryPolicy()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"{self.platform}-answer")
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    @abstractmethod
    def identify(self, msg: IncomingMessage) -> Identity:
        """The asker as a directory user, or a public-only identity when unknown."""

    @abstractmethod
    def render(self, msg: IncomingMessage, out: OutgoingMessage) -> list[Any]:
        """The platform messages for one reply, each within the platform's limits."""

    @abstractmethod
    def post(self, msg: IncomingMessage, part: Any) -> None:
        """Post one platform message; raise DeliveryError when the platform refuses it."""

    @abstractmethod
    def notify(self, msg: IncomingMessage, text: str) -> None:
        """Tell the asker something short (best effort, one try); raise DeliveryError on failure."""

    def receive(self, msg: IncomingMessage) -> bool:
        """Claim the delivery and queue the answer; False (and no work) for a repeat delivery."""
        if not self.services.events.claim(self.platform, msg.event_key, message=asdict(msg)):
            log.info("%s: skipping repeat delivery %s", self.platform, msg.event_key)
            return False
        self.submit(self._answer, msg)
        return True

    def resume(self) -> int:
        """Answer what a process that died left unfinished (its lease ran out); returns how many."""
        left = self.services.events.unfinished(self.platform)
        for message in left:
            self.submit(self._answer, IncomingMessage(**message))
        if left:
            log.warning(
                "%s: answering %d message(s) a stopped process left unanswered", self.platform, len(left)
            )
        return len(left)

    def submit(self, fn: Callable[..., None], *args: Any) -> None:
        """Run `fn` on the worker pool; failures are logged, never lost."""
        future = self._pool.submit(self._logged, fn, *args)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def drain(self, timeout: float = 30.0) -> None:
        """Wait until the answers queued so far are delivered (tests, shutdown)."""
        with self._lock:
            pending = set(self._pending)
        wait(pending, timeout=timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def deliver(self, msg: IncomingMessage, out: OutgoingMessage) -> bool:
        """Post each part with bounded retries (a retry never repeats a part already posted);
        past them, tell the asker if possible and log it."""
        for part in self.render(msg, out):
            attempt = 0
            while True:
                try:
                    self.post(msg, part)
                    break
                except DeliveryError as exc:
                    log.warning("%s: delivery try %d failed: %s", self.platform, attempt + 1, exc.reason)
                    if not self.retry.wait(attempt, exc):
                        self._undelivered(msg, exc)
                        return False
                    attempt += 1
        return True

    def _answer(self, msg: IncomingMessage) -> None:
        identity = self.identify(msg)
        for out in self.chat.replies(msg, identity):
            self.deliver(msg, out)
        # Only now is the event done: a process that dies before this leaves it for a retry to retake.
        self.services.events.finish(self.platform, msg.event_key)

    def _undelivered(self, msg: IncomingMessage, exc: DeliveryError) -> None:
        log.error(
            "%s: gave up delivering a reply to %s in %s after %d tries: %s",
            self.platform,
            msg.user_id,
            msg.chat_id,
            len(self.retry.delays) + 1,
            exc.reason,
        )
        try:
            self.notify(msg, note("undelivered", msg.text, reason=exc.reason))
        except DeliveryError as again:
            log.error("%s: could not tell %s either: %s", self.platform, msg.user_id, again.reason)

    def _logged(self, fn: Callable[..., None], *args: Any) -> None:
        try:
            fn(*args)
        except Exception:
            log.exception("%s: background work failed", self.platform)

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)
