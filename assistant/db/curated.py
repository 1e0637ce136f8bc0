"""Curated answers as stored: every version, its review state, who wrote and who reviewed it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from assistant.db.models import CuratedAnswerRow, utcnow

PENDING_REVIEW = "pending_review"
APPROVED = "approved"
REJECTED = "rejected"
SUPERSEDED = "superseded"  # an approved version a newer approved version replaced
RETIRED = "retired"  # an approved version a curator took out of answers
CURATED_STATES = (PENDING_REVIEW, APPROVED, REJECTED, SUPERSEDED, RETIRED)


class ReviewConflict(Exception):
    """The action does not fit the record's state (approving twice, approving your own answer...)."""


@dataclass(frozen=True)
class CuratedAnswer:
    id: int
    root_id: int  # the first version's id: the answer's identity across edits
    version: int
    question: str
    answer: str
    citations: tuple[str, ...]
    access_level: str
    groups: tuple[str, ...]
    state: str
    author: str
    reviewer: str | None
    reason: str | None
    item_id: int | None
    created_at: datetime
    reviewed_at: datetime | None

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "root_id": self.root_id,
            "version": self.version,
            "question": self.question,
            "answer": self.answer,
            "citations": list(self.citations),
            "access_level": self.access_level,
            "groups": list(self.groups),
            "state": self.state,
            "author": self.author,
            "reviewer": self.reviewer,
            "reason": self.reason,
            "item_id": self.item_id,
            "created_at": self.created_at.isoformat(),
            "reviewed_at": self.reviewed_at.isoformat() if self.reviewed_at else None,
        }


@dataclass(frozen=True)
class CuratedDraft:
    """What a curator writes; the store adds identity, version and state."""

    question: str
    answer: str
    citations: tuple[str, ...]
    access_level: str
    groups: tuple[str, ...]
    item_id: int | None = None


class CuratedStore:
    """Versions in, review decisions recorded; the index is the caller's business."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, draft: CuratedDraft, author: str, root_id: int | None = None) -> CuratedAnswer:
        """A new pending version: of a new answer, or of `root_id` (an edit)."""
        with Session(self.engine, expire_on_commit=False) as session:
            version = 1
            if root_id is not None:
                versions = select(CuratedAnswerRow.version).where(CuratedAnswerRow.root_id == root_id)
                version = max(session.scalars(versions), default=0) + 1
            row = CuratedAnswerRow(
                root_id=root_id,
                version=version,
                question=draft.question,
                answer=draft.answer,
                citations=list(draft.citations),
                access_level=draft.access_level,
                groups=list(draft.groups),
                state=PENDING_REVIEW,
                author=author,
                item_id=draft.item_id,
            )
            session.add(row)
            session.flush()
            if row.root_id is None:
                row.root_id = row.id
            session.commit()
            return _to_curated(row)

    def get(self, curated_id: int) -> CuratedAnswer | None:
        with Session(self.engine) as session:
            row = session.get(CuratedAnswerRow, curated_id)
            return _to_curated(row) if row else None

    def list(self, state: str | None = None) -> list[CuratedAnswer]:
        """Newest first."""
        query = select(CuratedAnswerRow).order_by(CuratedAnswerRow.id.desc())
        if state is not None:
            query = query.where(CuratedAnswerRow.state == state)
        with Session(self.engine) as session:
            return [_to_curated(row) for row in session.scalars(query)]

    def live_count(self) -> int:
        """How many answers are approved (live); one indexed count, cheap enough to ask every second."""
        query = select(func.count()).select_from(CuratedAnswerRow).where(CuratedAnswerRow.state == APPROVED)
        with Session(self.engine) as session:
            return int(session.scalar(query) or 0)

    def retire(self, curated_id: int, by: str) -> CuratedAnswer:
        """Take an approved (live) version out of answers; who did it goes in `reason`."""
        with Session(self.engine, expire_on_commit=False) as session:
            row = _locked(session, curated_id, APPROVED, "approved")
            row.state, row.reason = RETIRED, f"retired by {by}"
            session.commit()
            return _to_curated(row)

    def decide(
        self, curated_id: int, reviewer: str, approve: bool, reason: str | None = None
    ) -> CuratedAnswer:
        """Approve (older approved versions become superseded) or reject a pending version."""
        with Session(self.engine, expire_on_commit=False) as session:
            row = _locked(session, curated_id, PENDING_REVIEW, "pending review")
            if approve:
                live = select(CuratedAnswerRow).where(
                    CuratedAnswerRow.root_id == row.root_id, CuratedAnswerRow.state == APPROVED
                )
                for older in session.scalars(live):
                    if older.version > row.version:
                        raise ReviewConflict(
                            f"version {older.version} of this answer is already live; edit that one instead"
                        )
                    older.state = SUPERSEDED
            row.state = APPROVED if approve else REJECTED
            row.reviewer, row.reason, row.reviewed_at = reviewer, reason, utcnow()
            session.commit()
            return _to_curated(row)


def _locked(session: Session, curated_id: int, state: str, wording: str) -> CuratedAnswerRow:
    """The row, locked for this transaction, if it is in `state`."""
    row = session.get(CuratedAnswerRow, curated_id, with_for_update=True)
    if row is None:
        raise LookupError(f"no curated answer {curated_id}")
    if row.state != state:
        raise ReviewConflict(f"curated answer {curated_id} is {row.state}, not {wording}")
    return row


def _to_curated(row: CuratedAnswerRow) -> CuratedAnswer:
    return CuratedAnswer(
        id=row.id,
        root_id=row.root_id or row.id,
        version=row.version,
        question=row.question,
        answer=row.answer,
        citations=tuple(row.citations),
        access_level=row.access_level,
        groups=tuple(row.groups),
        state=row.state,
        author=row.author,
        reviewer=row.reviewer,
        reason=row.reason,
        item_id=row.item_id,
        created_at=row.created_at,
        reviewed_at=row.reviewed_at,
    )
