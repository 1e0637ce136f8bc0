"""Curated answers: written by a curator, approved by another, then indexed and answered from first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant.access import ALL_GROUPS, CURATE, AccessDenied, AccessPolicy, Principal, SearchFilters
from assistant.curation.live import LiveCurated
from assistant.curation.meaning import Meaning
from assistant.db.curated import APPROVED, CuratedAnswer, CuratedDraft, CuratedStore, ReviewConflict
from assistant.index import SearchHit, VectorIndex
from assistant.index.sparse import Bm25Encoder
from assistant.text.normalize import normalize_for_matching
from ingest.metadata import DocumentMeta
from ingest.pipeline import IngestService

CURATED_TYPE = "curated_answer"
MATCH_CANDIDATES = 5


@dataclass(frozen=True)
class CuratedMatch:
    """A live curated answer the principal may read, close enough in meaning to the question."""

    curated_id: int
    answer: str
    citations: tuple[str, ...]
    approved_by: str
    approved_at: str
    similarity: float


def curated_doc_id(root_id: int) -> str:
    return f"curated-{root_id}"


def require_curator(policy: AccessPolicy, principal: Principal) -> None:
    if not policy.has_privilege(principal, CURATE):
        raise AccessDenied("this needs the curator or admin role")


def access_payload(level: str, groups: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {"access_level": level, "groups": list(groups) or [ALL_GROUPS]}


class CuratedService:
    """Every channel's one door to curated answers: rules for writing, reviewing and matching them."""

    def __init__(
        self,
        store: CuratedStore,
        ingest: IngestService,
        encoder: Bm25Encoder,
        meaning: Meaning,
        policy: AccessPolicy,
        on_approved: Callable[[CuratedAnswer], None] | None = None,
        live: LiveCurated | None = None,
    ) -> None:
        self.store, self.ingest, self.encoder = store, ingest, encoder
        self.meaning, self.policy = meaning, policy
        self.on_approved = on_approved  # closes the review item the answer was written from
        self.live = live or LiveCurated(store.live_count)

    @property
    def index(self) -> VectorIndex:
        return self.ingest.index

    def submit(self, principal: Principal, draft: CuratedDraft, revises: int | None = None) -> CuratedAnswer:
        """A new answer, or a new version of `revises` (the approved one stays live), pending review."""
        require_curator(self.policy, principal)
        self._check_draft(principal, draft)
        root = self.visible(principal, revises).root_id if revises is not None else None
        return self.store.add(draft, principal.user, root_id=root)

    def approve(self, principal: Principal, curated_id: int) -> CuratedAnswer:
        """Approve someone else's pending answer and make it live in the index."""
        require_curator(self.policy, principal)
        pending = self.visible(principal, curated_id)
        if pending.author == principal.user:
            raise AccessDenied("you wrote this curated answer; another curator must approve it")
        approved = self.store.decide(curated_id, principal.user, approve=True)
        self._index(approved)
        self.live.changed()
        if self.on_approved is not None:
            self.on_approved(approved)
        return approved

    def reject(self, principal: Principal, curated_id: int, reason: str) -> CuratedAnswer:
        """Send a pending answer back to its author with the reason."""
        require_curator(self.policy, principal)
        if not reason.strip():
            raise ValueError("a rejection needs a reason for the author")
        self.visible(principal, curated_id)
        return self.store.decide(curated_id, principal.user, approve=False, reason=reason.strip())

    def retire(self, principal: Principal, curated_id: int) -> CuratedAnswer:
        """Take a live answer out of answers (its history stays); a new version may go live later."""
        require_curator(self.policy, principal)
        live = self.visible(principal, curated_id)
        if live.state != APPROVED:
            raise ReviewConflict(f"curated answer {curated_id} is {live.state}, not approved")
        self.index.retire(curated_doc_id(live.root_id))
        retired = self.store.retire(curated_id, principal.user)
        self.live.changed()
        return retired

    def list_visible(self, principal: Principal, state: str | None = None) -> list[CuratedAnswer]:
        require_curator(self.policy, principal)
        return [c for c in self.store.list(state) if self._may_read(principal, c)]

    def visible(self, principal: Principal, curated_id: int) -> CuratedAnswer:
        """The answer, if this principal may read it; otherwise it does not exist for them."""
        found = self.store.get(curated_id)
        if found is None or not self._may_read(principal, found):
            raise LookupError(f"no curated answer {curated_id}")
        return found

    def approved(self) -> list[CuratedAnswer]:
        return self.store.list(APPROVED)

    def match(self, question: str, principal: Principal) -> CuratedMatch | None:
        """The live curated answer closest in meaning to the question, inside the principal's filter."""
        if not self.live.any():  # no index query (nor question embedding) while none is live
            return None
        norm = normalize_for_matching(question)
        hits = self.index.search(
            principal,
            self.meaning.vector(question),
            self.encoder.query(norm),
            MATCH_CANDIDATES,
            SearchFilters(doc_type=(CURATED_TYPE,)),
        )
        scored = [(self.meaning.calibrate(h.similarity), h) for h in hits if h.similarity is not None]
        if not scored:
            return None
        score, best = max(scored, key=lambda pair: pair[0])
        if score < self.meaning.threshold:
            return None
        p = best.payload
        return CuratedMatch(
            curated_id=int(p["curated_id"]),
            answer=str(p.get("text", "")),
            citations=tuple(p.get("citations") or ()),
            approved_by=str(p.get("approved_by", "")),
            approved_at=str(p.get("approved_at", "")),
            similarity=round(score, 4),
        )

    def cited(self, principal: Principal, doc_ids: tuple[str, ...]) -> list[SearchHit]:
        """The first chunk of each cited document this principal may read, in citation order."""
        firsts = [self.index.chunks_of(principal, doc_id)[:1] for doc_id in doc_ids]
        return [chunks[0] for chunks in firsts if chunks]

    def _may_read(self, principal: Principal, curated: CuratedAnswer) -> bool:
        return self.policy.can_read(principal, access_payload(curated.access_level, curated.groups))

    def _check_draft(self, principal: Principal, draft: CuratedDraft) -> None:
        """Known level; the author is in its audience; no citation more protected than the answer."""
        self.policy.check_level(draft.access_level)
        if not self.policy.can_read(principal, access_payload(draft.access_level, draft.groups)):
            raise ValueError("you could not read this answer yourself: choose a level and groups you have")
        level = self.policy.levels.index(draft.access_level)
        for doc_id in draft.citations:
            chunks = self.index.chunks_of(principal, doc_id)
            if not chunks:
                raise ValueError(f"citation {doc_id!r}: no such document you may read")
            self._check_citation(doc_id, chunks[0].payload, level, draft.groups)

    def _check_citation(
        self, doc_id: str, payload: dict[str, Any], level: int, groups: tuple[str, ...]
    ) -> None:
        doc_level = str(payload.get("access_level"))
        if self.policy.levels.index(doc_level) > level:
            raise ValueError(
                f"citation {doc_id!r} is {doc_level}: the answer's access_level must be at least that"
            )
        doc_groups = set(payload.get("groups") or [ALL_GROUPS])
        if ALL_GROUPS not in doc_groups and (not groups or not set(groups) <= doc_groups):
            raise ValueError(
                f"citation {doc_id!r} is only for groups {sorted(doc_groups)}: limit the answer's groups to them"
            )

    def _index(self, curated: CuratedAnswer) -> None:
        meta = DocumentMeta(
            title=curated.question,
            doc_type=CURATED_TYPE,
            access_level=curated.access_level,
            groups=list(curated.groups),
        )
        approved_at = curated.reviewed_at.isoformat() if curated.reviewed_at else ""
        extra = {
            "curated_id": curated.root_id,
            "curated_version": curated.version,
            "approved_by": curated.reviewer or "",
            "approved_at": approved_at,
            "citations": list(curated.citations),
            "author": curated.author,
        }
        doc_id, version = curated_doc_id(curated.root_id), f"v{curated.version}"
        self.ingest.index_record(doc_id, version, meta, curated.answer, curated.question, extra)
