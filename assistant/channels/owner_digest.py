"""The owners' digest: their documents due or overdue for verification, expired, or cited in 👎 answers.

At most one message per owner per day (claimed in the database before sending, released again if
every try failed, so the next run retries); delivered by Slack DM, else WeCom.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.access import Principal
from assistant.channels.base import RetryPolicy
from assistant.channels.direct_messages import Sender, build_dm_senders
from assistant.db import EventLedger, FeedbackStore, UserDirectory
from assistant.index import VectorIndex
from assistant.index.schema import is_unverified
from assistant.services import Services
from ingest.archive import Archiver
from ingest.lifecycle import SYSTEM

log = logging.getLogger(__name__)
DUE_WITHIN_DAYS = 14
DOWN_VOTES_DAYS = 7
LEDGER = "digest"


@dataclass
class DigestReport:
    sent: list[str] = field(default_factory=list)
    already_today: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # no linked Slack/WeCom identity
    failed: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["failed"] = [{"owner": o, "error": e} for o, e in self.failed]
        return data


def due_reason(payload: dict[str, Any], down: set[str], today: dt.date) -> str | None:
    """Why this document needs its owner now, or None."""
    if is_unverified(payload, today):
        return f"verification overdue (last verified {payload.get('verified_at')})"
    if payload.get("expires") and str(payload["expires"]) < today.isoformat():
        return f"expired on {payload['expires']}"
    if is_unverified(payload, today + dt.timedelta(days=DUE_WITHIN_DAYS)):
        return "verification due within two weeks"
    if payload.get("doc_id") in down:
        return "cited in a 👎 answer this week"
    return None


def compose(owner: str, items: list[tuple[str, str]]) -> str:
    lines = [f"{owner}，以下知识库文档需要您处理 / documents that need you:"]
    lines += [f"• {title}: {reason}" for title, reason in items]
    lines.append("核实后请点击文档页的“已核实”或调用 POST /v1/documents/{id}/verify。")
    return "\n".join(lines)


class DigestService:
    def __init__(
        self,
        index: VectorIndex,
        users: UserDirectory,
        feedback: FeedbackStore,
        ledger: EventLedger,
        senders: dict[str, Sender],
        retry: RetryPolicy | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.index, self.users, self.feedback, self.ledger = index, users, feedback, ledger
        self.senders = senders
        self.retry = retry or RetryPolicy()
        self.today = today

    def due(self) -> dict[str, list[tuple[str, str]]]:
        """Owner -> [(document title, reason)], only documents the owner may read."""
        today = self.today()
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=DOWN_VOTES_DAYS)
        down = {d for f in self.feedback.list("down", since=since) for d in f.doc_ids}
        per_owner: dict[str, list[tuple[str, str]]] = defaultdict(list)
        readers: dict[str, Principal | None] = {}
        for payload in self.index.documents(SYSTEM):
            reason, owner = due_reason(payload, down, today), str(payload.get("owner") or "")
            if not owner or not reason:
                continue
            reader = readers[owner] if owner in readers else readers.setdefault(owner, self._reader(owner))
            if reader is None or self.index.policy.can_read(reader, payload):
                per_owner[owner].append((str(payload.get("title", "")), reason))
        return dict(per_owner)

    def _reader(self, owner: str) -> Principal | None:
        user = self.users.get(owner)
        return user.principal() if user is not None and not user.disabled else None

    def run(self) -> DigestReport:
        report = DigestReport()
        for owner, items in sorted(self.due().items()):
            target = self._target(owner)
            if target is None:
                report.unreachable.append(owner)
                continue
            key = f"{owner}/{self.today().isoformat()}"
            if not self.ledger.claim(LEDGER, key):
                report.already_today.append(owner)
                continue
            error = self._deliver(*target, compose(owner, items))
            if error is None:
                self.ledger.finish(LEDGER, key)  # delivered: never retaken, whatever the lease
                report.sent.append(owner)
            else:
                self.ledger.release(LEDGER, key)  # the next run tries again
                log.error("digest for %s not delivered: %s", owner, error)
                report.failed.append((owner, error))
        return report

    def _target(self, owner: str) -> tuple[str, str] | None:
        user = self.users.get(owner)
        if user is None or user.disabled:
            return None
        for platform, ident in (("slack", user.slack_id), ("wecom", user.wecom_id)):
            if ident and platform in self.senders:
                return platform, ident
        return None

    def _deliver(self, platform: str, ident: str, text: str) -> str | None:
        error = ""
        for attempt in range(len(self.retry.delays) + 1):
            try:
                self.senders[platform](ident, text)
                return None
            except Exception as exc:  # platform errors and network failures alike are retried
                error = f"{platform}: {type(exc).__name__}: {exc}"
            if attempt < len(self.retry.delays):
                self.retry.sleep(self.retry.delays[attempt])
        return error


def run_lifecycle(services: Services, retry: RetryPolicy | None = None) -> dict[str, Any]:
    """The daily job: archive queue first (so the digest is current), then the owners' digest."""
    archive = Archiver(
        services.lifecycle, services.index, services.answers, services.settings.archive_after_days
    )
    done = archive.run()
    return {**build_digest(services, retry).run().as_dict(), **done.__dict__}


def build_digest(services: Services, retry: RetryPolicy | None = None) -> DigestService:
    """Senders for the configured platforms (none configured: every owner is unreachable)."""
    return DigestService(
        services.index,
        services.users,
        services.feedback,
        services.events,
        build_dm_senders(services.settings),
        retry,
    )
