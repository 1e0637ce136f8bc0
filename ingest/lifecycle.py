"""Document versions in the index: publish or stage each new version, rollback, two-person review.

The index keeps the chunks of a document's most recent versions (not live, so never searchable)
and the version store keeps the history. Every channel (HTTP API, CLI) goes through this service.
"""

from __future__ import annotations

import datetime as dt
import difflib
import threading
from dataclasses import dataclass, replace
from typing import Any

from assistant.access import CURATE, AccessPolicy, Principal
from assistant.db.models import utcnow
from assistant.db.versions import DocumentVersion, VersionStore
from assistant.index import VectorIndex

# Lifecycle jobs (digest, archiving) read every live document's metadata, whoever may read it.
SYSTEM = Principal.of("lifecycle", ["admin"])
# Set on a document's chunks when it is queued for archiving; a verification clears it.
ARCHIVE_QUEUED = "archive_queued_at"
_DIFF_EXCERPT = 80
# Versions no second person approved: their text is for curators only, never for readers.
UNAPPROVED = ("pending_review", "rejected")


class LifecycleError(Exception):
    """A version action that cannot be done; `status` is the HTTP status it maps to."""

    status = 409


class VersionNotFound(LifecycleError):
    status = 404


class NotAllowed(LifecycleError):
    status = 403


@dataclass(frozen=True)
class VersionDraft:
    """A version whose chunks are written (pending) in the index under `number`."""

    doc_id: str
    number: int
    content_hash: str
    source: str
    title: str
    access: dict[str, Any]
    text: str
    chunks: int
    submitted_by: str


def diff_summary(before: str, after: str) -> str:
    """ "+a −r lines" and the first new (else removed) line: enough to tell versions apart."""
    changes = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    added = [line[1:].strip() for line in changes if line.startswith("+")]
    removed = [line[1:].strip() for line in changes if line.startswith("-")]
    if not changes:
        return "no text change"
    first = next((line for line in added if line), "") or next((line for line in removed if line), "")
    excerpt = first if len(first) <= _DIFF_EXCERPT else first[:_DIFF_EXCERPT] + "…"
    return f"+{len(added)} −{len(removed)} lines: {excerpt}"


class DocumentLifecycle:
    """Versions of documents: who may roll back, approve or reject, and what the index then holds."""

    def __init__(self, index: VectorIndex, store: VersionStore, policy: AccessPolicy, keep: int = 5) -> None:
        self.index = index
        self.store = store
        self.policy = policy
        self.keep = max(1, keep)
        self._lock = threading.RLock()

    # --- from ingest ------------------------------------------------------------------------------

    def next_number(self, doc_id: str) -> int:
        return self.store.next_number(doc_id)

    def last_rejected(self, doc_id: str) -> bool:
        """The newest version was turned down (`ingest --resubmit` stages the file again)."""
        history = self.store.history(doc_id)
        return bool(history) and history[0].state == "rejected"

    def record(self, draft: VersionDraft, needs_review: bool) -> DocumentVersion:
        """Publish a written version (or stage it for review, the current one staying live)."""
        with self._lock:
            current = self.store.current(draft.doc_id)
            version = self._version(draft, "pending_review" if needs_review else "live", "ingest", current)
            if not needs_review:
                self.index.publish(draft.doc_id, str(draft.number), self._kept(draft.doc_id, draft.number))
                return self.store.add(version)
            self.index.stage(draft.doc_id, str(draft.number))
            self.store.add(version)  # an earlier version still waiting is replaced by this one
            self.index.prune(draft.doc_id, self._kept(draft.doc_id))
            return version

    def remove(self, doc_id: str, source: str, submitted_by: str) -> DocumentVersion | None:
        """The document's file is gone: a "removed" version; rollback brings it back."""
        return self._retire(doc_id, source, submitted_by, "removed", "remove")

    def archive(self, doc_id: str, submitted_by: str) -> DocumentVersion | None:
        """A stale document leaves answers as an "archived" version; `restore` brings it back."""
        current = self.store.current(doc_id)
        source = current.source if current else doc_id
        return self._retire(doc_id, source, submitted_by, "archived", "archive")

    def _retire(
        self, doc_id: str, source: str, submitted_by: str, state: str, action: str
    ) -> DocumentVersion | None:
        with self._lock:
            current = self.store.current(doc_id)
            self.index.retire(doc_id)
            if current is None or current.state != "live":
                return None
            draft = VersionDraft(
                doc_id,
                self.next_number(doc_id),
                "",
                source,
                current.title,
                current.access,
                "",
                0,
                submitted_by,
            )
            return self.store.add(self._version(draft, state, action, current))

    # --- from people ------------------------------------------------------------------------------

    def history(self, principal: Principal, doc_id: str) -> list[DocumentVersion]:
        """The versions of a document this principal may read (each version has its own access)."""
        versions = [v for v in self.store.history(doc_id) if self._may_read(principal, v)]
        if not versions:
            raise VersionNotFound(f"no document {doc_id!r} that you may read")
        if self.policy.has_privilege(principal, CURATE):
            return versions
        return [replace(v, diff_summary="") if v.state in UNAPPROVED else v for v in versions]

    def version(self, principal: Principal, doc_id: str, number: int) -> DocumentVersion:
        """A version this principal may read; one not approved only for curators."""
        found = self.store.get(doc_id, number)
        if found is None or not self._may_read(principal, found) or not self._may_see_state(principal, found):
            raise VersionNotFound(f"no version {number} of document {doc_id!r} that you may read")
        return found

    def compare(
        self, principal: Principal, doc_id: str, newer: int, older: int | None
    ) -> tuple[DocumentVersion | None, DocumentVersion]:
        """Two versions to diff, both readable by this principal; `older` defaults to the current
        (live) version, none when `newer` is the current one or the document has none."""
        after = self.version(principal, doc_id, newer)
        if older is None:
            current = self.store.current(doc_id)
            if current is None or current.number == newer:
                return None, after
            older = current.number
        return self.version(principal, doc_id, older), after

    def pending(self, principal: Principal) -> list[DocumentVersion]:
        self.require_curator(principal)
        return [v for v in self.store.pending() if self._may_read(principal, v)]

    def restore(self, principal: Principal, doc_id: str) -> DocumentVersion:
        """Bring an archived document back: its last live version, live again (curator/admin)."""
        current = self.store.current(doc_id)
        if current is None or current.state != "archived":
            raise LifecycleError(f"document {doc_id!r} is not archived")
        last = next(v for v in self.store.history(doc_id) if v.state == "superseded" and v.chunks)
        return self.rollback(principal, doc_id, last.number, action="restore")

    def rollback(
        self, principal: Principal, doc_id: str, number: int, action: str = "rollback"
    ) -> DocumentVersion:
        """Make an earlier version live again as a new version (history is never rewritten)."""
        self.require_curator(principal)
        with self._lock:
            target = self.version(principal, doc_id, number)
            current = self.store.current(doc_id)
            if current is not None and current.number == number:
                raise LifecycleError(f"version {number} is already the live version")
            if target.state in ("pending_review", "rejected") or not target.chunks:
                raise LifecycleError(f"version {number} ({target.state}, {target.action}) cannot go live")
            new = self.next_number(doc_id)
            if not self.index.copy_version(doc_id, str(number), str(new), {}):
                raise LifecycleError(
                    f"version {number} is older than the kept versions (ASSISTANT_VERSIONS_KEPT={self.keep})"
                )
            self.index.publish(doc_id, str(new), self._kept(doc_id, new))
            draft = VersionDraft(
                doc_id, new, target.content_hash, target.source, target.title, target.access,
                target.text, target.chunks, principal.user,
            )  # fmt: skip
            version = self._version(draft, "live", action, current)
            summary = f"{action} to v{number}; {version.diff_summary}"
            return self.store.add(replace(version, diff_summary=summary))

    def approve(self, principal: Principal, doc_id: str, number: int) -> DocumentVersion:
        """A second curator publishes a version waiting for review, in one step."""
        with self._lock:
            self._reviewable(principal, doc_id, number)
            self.index.publish(doc_id, str(number), self._kept(doc_id, number))
            self.store.review(doc_id, number, True, principal.user, None)
            return self.version(principal, doc_id, number)

    def reject(self, principal: Principal, doc_id: str, number: int, reason: str) -> DocumentVersion:
        """A second curator turns a version down; the live version stays as it is."""
        if not reason.strip():
            raise LifecycleError("a rejection needs a reason")
        with self._lock:
            self._reviewable(principal, doc_id, number)
            self.store.review(doc_id, number, False, principal.user, reason.strip())
            self.index.prune(doc_id, self._kept(doc_id))
            return self.version(principal, doc_id, number)

    def verify(self, principal: Principal, doc_id: str) -> dict[str, str]:
        """The owner (or a curator) confirms the document is still right: verified as of today."""
        hits = self.index.chunks_of(principal, doc_id)
        if not hits:
            raise VersionNotFound(f"no document {doc_id!r} that you may read")
        owner = hits[0].payload.get("owner")
        if owner != principal.user and not self.policy.has_privilege(principal, CURATE):
            raise NotAllowed(f"only the document's owner ({owner or 'none set'}) or a curator may verify it")
        stamp = {"verified_at": dt.date.today().isoformat(), "verified_by": principal.user}
        self.index.update_document(doc_id, {**stamp, ARCHIVE_QUEUED: None})
        return {"doc_id": doc_id, **stamp}

    # --- rules ------------------------------------------------------------------------------------

    def _reviewable(self, principal: Principal, doc_id: str, number: int) -> DocumentVersion:
        self.require_curator(principal)
        version = self.version(principal, doc_id, number)
        if version.state != "pending_review":
            raise LifecycleError(f"version {number} is {version.state}, not waiting for review")
        current = self.store.current(doc_id)
        if current is not None and current.number > number:
            raise LifecycleError(f"version {current.number} went live after version {number} was staged")
        if version.submitted_by == principal.user:
            raise NotAllowed("you submitted this version: another curator must review it")
        return version

    def require_curator(self, principal: Principal) -> None:
        if not self.policy.has_privilege(principal, CURATE):
            raise NotAllowed("this needs the curator or admin role")

    def _may_read(self, principal: Principal, version: DocumentVersion) -> bool:
        return self.policy.can_read(principal, version.access)

    def _may_see_state(self, principal: Principal, version: DocumentVersion) -> bool:
        return version.state not in UNAPPROVED or self.policy.has_privilege(principal, CURATE)

    def _kept(self, doc_id: str, new: int | None = None) -> list[str]:
        """Versions whose chunks stay in the index: the newest `keep` with content (counting a new
        one about to go live), and any waiting for review."""
        history = [v for v in self.store.history(doc_id) if v.chunks and v.state != "rejected"]
        waiting = {v.number for v in history if v.state == "pending_review"}
        earlier = [v.number for v in history if v.number not in waiting and v.number != new]
        kept = {*earlier[: self.keep - (new is not None)], *waiting, *([new] if new else [])}
        return [str(n) for n in sorted(kept)]

    @staticmethod
    def _readable_before(current: DocumentVersion | None, draft: VersionDraft) -> str:
        """The previous text, only if whoever may read the new version could read it too."""
        return current.text if current is not None and current.access == draft.access else ""

    def _version(
        self, draft: VersionDraft, state: str, action: str, current: DocumentVersion | None
    ) -> DocumentVersion:
        return DocumentVersion(
            doc_id=draft.doc_id,
            number=draft.number,
            state=state,
            action=action,
            content_hash=draft.content_hash,
            source=draft.source,
            title=draft.title,
            access=draft.access,
            submitted_by=draft.submitted_by,
            created_at=utcnow(),
            chunks=draft.chunks,
            diff_summary=diff_summary(self._readable_before(current, draft), draft.text),
            text=draft.text,
        )
