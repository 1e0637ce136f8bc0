"""The Channel base: de-duplicate, answer in the background, deliver each part once.

A platform subclass only translates: it builds `IncomingMessage`s from its events, says who
the sender is (`identify`), cuts `OutgoingMessage`s into platform messages (`render`) and posts
them (`post`, `notify`), and says whether a post cut off by a crash arrived (`posted_before`).

The work is durable (assistant/db/events.py): the message is kept when claimed, the rendered parts
when answered, each part's state around its post. A re-run (after a crash, by any process) delivers
the stored parts that are not recorded as delivered; a periodic re-lease finds such work.
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
from assistant.db.events import DELIVERED, FAILED, SENDING, ReplyPart
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
        self._active: set[str] = set()  # event keys queued or being answered here
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._resumer: threading.Thread | None = None

    @abstractmethod
    def identify(self, msg: IncomingMessage) -> Identity:
        """The asker as a directory user, or a public-only identity when unknown."""

    @abstractmethod
    def render(self, msg: IncomingMessage, out: OutgoingMessage) -> list[Any]:
        """The platform messages for one reply, each within the platform's limits."""

    @abstractmethod
    def post(self, msg: IncomingMessage, part: Any, key: str | None = None) -> None:
        """Post one platform message; raise DeliveryError when the platform refuses it.

        `key` is the part's idempotency key: tag the message with it where the platform allows.
        """

    def posted_before(self, msg: IncomingMessage, part: Any, key: str) -> bool | None:
        """Did a post of this part, cut off by a crash, reach the platform? True: it did; False: it
        did not (or the platform drops a repeat itself); None: cannot tell, so it is posted again."""
        return None

    @abstractmethod
    def notify(self, msg: IncomingMessage, text: str) -> None:
        """Tell the asker something short (best effort, one try); raise DeliveryError on failure."""

    def receive(self, msg: IncomingMessage) -> bool:
        """Claim the delivery and queue the answer; False (and no work) for a repeat delivery."""
        if not self.services.events.claim(self.platform, msg.event_key, message=asdict(msg)):
            log.info("%s: skipping repeat delivery %s", self.platform, msg.event_key)
            return False
        self._queue(msg)
        return True

    def resume(self) -> int:
        """Take over work whose lease ran out (its process died, or stalled); returns how many."""
        left = [IncomingMessage(**m) for m in self.services.events.unfinished(self.platform)]
        with self._lock:
            left = [m for m in left if m.event_key not in self._active]  # still ours, just slow
        for msg in left:
            self._queue(msg)
        if left:
            log.warning(
                "%s: taking over %d message(s) a stopped worker left unfinished", self.platform, len(left)
            )
        return len(left)

    def start_resuming(self, every_s: float) -> None:
        """Call `resume` every `every_s` seconds in a thread until `close`, so a live replica finishes a
        dead one's work without a restart; 0 turns it off."""
        if every_s <= 0:
            return
        self._resumer = threading.Thread(
            target=self._resume_every, args=(every_s,), daemon=True, name=f"{self.platform}-resume"
        )
        self._resumer.start()

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
        self._stopping.set()
        if self._resumer is not None:
            self._resumer.join(timeout=30)
        self._pool.shutdown(wait=True)

    def deliver(self, msg: IncomingMessage, out: OutgoingMessage) -> bool:
        """Post a reply that is not an event's answer (a share, a private note) part by part with
        bounded retries; past them, tell the asker if possible and log it."""
        return all(self._post_retried(msg, part, None) for part in self.render(msg, out))

    def _queue(self, msg: IncomingMessage) -> None:
        with self._lock:
            self._active.add(msg.event_key)
        self.submit(self._answer, msg)

    def _answer(self, msg: IncomingMessage) -> None:
        try:
            events = self.services.events
            parts = events.parts(self.platform, msg.event_key)
            if parts is None:  # received, not answered yet: answer, and store what to send
                replies = self.chat.replies(msg, self.identify(msg))
                rendered = [self.render(msg, out) for out in replies]
                parts = events.answered(self.platform, msg.event_key, rendered)
            if self._deliver_parts(msg, parts):
                # Only now is the event done: a process that dies before this leaves it to be taken over.
                events.finish(self.platform, msg.event_key)
        finally:
            with self._lock:
                self._active.discard(msg.event_key)

    def _deliver_parts(self, msg: IncomingMessage, parts: list[ReplyPart]) -> bool:
        """Post the parts not yet delivered, in order; a reply given up on skips its remaining parts.
        False when another worker took a part over (the event is theirs to finish)."""
        given_up: set[int] = set()
        for part in parts:
            if part.state == FAILED:
                given_up.add(part.reply)
            if part.state in (DELIVERED, FAILED) or part.reply in given_up:
                continue
            if part.state == SENDING and self._arrived(msg, part):
                self.services.events.end_part(self.platform, msg.event_key, part.n, DELIVERED)
                continue
            if not self.services.events.start_part(self.platform, msg.event_key, part.n, part.state):
                log.info("%s: another worker is delivering %s", self.platform, part.key)
                return False
            ok = self._post_retried(msg, part.body, part.key)
            self.services.events.end_part(self.platform, msg.event_key, part.n, DELIVERED if ok else FAILED)
            if not ok:
                given_up.add(part.reply)
        return True

    def _arrived(self, msg: IncomingMessage, part: ReplyPart) -> bool:
        """A part was being posted when its worker stopped: ask the platform whether it arrived."""
        try:
            found = self.posted_before(msg, part.body, part.key)
        except DeliveryError as exc:
            log.warning("%s: could not look for %s: %s", self.platform, part.key, exc.reason)
            found = None
        if found is None:
            log.warning(
                "%s: %s was being posted when its worker stopped and the platform cannot tell whether it "
                "arrived; posting it again (the asker may see it twice)",
                self.platform,
                part.key,
            )
        return bool(found)

    def _post_retried(self, msg: IncomingMessage, part: Any, key: str | None) -> bool:
        attempt = 0
        while True:
            try:
                self.post(msg, part, key)
                return True
            except DeliveryError as exc:
                log.warning("%s: delivery try %d failed: %s", self.platform, attempt + 1, exc.reason)
                if not self.retry.wait(attempt, exc):
                    self._undelivered(msg, exc)
                    return False
                attempt += 1

    def _resume_every(self, every_s: float) -> None:
        while not self._stopping.wait(every_s):
            try:
                self.resume()
            except Exception:  # the database may be away for a moment: try again at the next tick
                log.exception("%s: taking over unfinished work failed", self.platform)

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
