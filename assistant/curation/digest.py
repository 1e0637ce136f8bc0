"""The curators' daily digest: new review items, answers waiting for their approval, new gaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from assistant.access import CURATE, AccessDenied, AccessPolicy, Principal
from assistant.curation.analytics import Analytics
from assistant.curation.curated import CuratedService
from assistant.curation.review import ReviewQueue
from assistant.db.digests import DigestSubscriptions
from assistant.db.models import utcnow
from assistant.db.users import User, UserDirectory

DIGEST_ITEMS = 5
DIGEST_GAPS = 3


@dataclass(frozen=True)
class Digest:
    user: User
    platform: str
    text: str


class Digests:
    """Opt-in and composition; the chat channels deliver (assistant/channels/digest.py)."""

    def __init__(
        self,
        store: DigestSubscriptions,
        review: ReviewQueue,
        curated: CuratedService,
        analytics: Analytics,
        users: UserDirectory,
        policy: AccessPolicy,
    ) -> None:
        self.store, self.review, self.curated, self.analytics = store, review, curated, analytics
        self.users, self.policy = users, policy

    def opt(self, principal: Principal, platform: str, on: bool) -> None:
        """Subscribe (or unsubscribe) a curator to the digest by direct message on this platform."""
        if on and not self.policy.has_privilege(principal, CURATE):
            raise AccessDenied("the digest is for curators")
        self.store.set(principal.user, platform, on)

    def compose(self, principal: Principal, since: datetime) -> str | None:
        """The digest text, or None when there is nothing new to tell."""
        # An item created since then was updated since then too: the query narrows, the date decides.
        opened = self.review.list(principal, "open", touched_since=since)
        items = [i for i in opened if i["created_at"] >= since.isoformat()]
        pending = [
            c for c in self.curated.list_visible(principal, "pending_review") if c.author != principal.user
        ]
        if not items and not pending:
            return None
        lines = [f"Review queue: {len(items)} new item(s) · Approvals waiting for you: {len(pending)}"]
        lines += [f"• #{i['id']} ×{i['count']} {i['question']}" for i in items[:DIGEST_ITEMS]]
        lines += [f"• approve #{c.id} by {c.author}: {c.question}" for c in pending[:DIGEST_ITEMS]]
        gaps = self.analytics.gaps(principal, 1)[:DIGEST_GAPS]
        lines += [f"• gap ({g['size']}, {g['trend']['direction']}): {g['label']}" for g in gaps]
        return "\n".join(lines)

    def due(self) -> list[Digest]:
        """Every subscriber's digest since their last one (a day back the first time)."""
        out = []
        for sub in self.store.all():
            user = self.users.get(sub.user)
            if user is None or user.disabled:
                continue
            since = sub.last_sent_at or utcnow() - timedelta(days=1)
            try:
                text = self.compose(user.principal(), since)
            except AccessDenied:  # no longer a curator
                continue
            if text is not None:
                out.append(Digest(user, sub.platform, text))
        return out

    def mark_sent(self, user: str) -> None:
        self.store.mark_sent(user, utcnow())
