"""The review queue as stored: items (questions of one meaning) and the signals that raised them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, distinct, func, select
from sqlalchemy.orm import Session

from assistant.db.engine import one_writer
from assistant.db.models import ReviewItemRow, ReviewSignalRow, utcnow

OPEN, ASSIGNED, RESOLVED, DISMISSED = "open", "assigned", "resolved", "dismissed"
ITEM_STATES = (OPEN, ASSIGNED, RESOLVED, DISMISSED)
ACTIVE_STATES = (OPEN, ASSIGNED)
SIGNAL_KINDS = ("feedback_down", "not_found", "expired_source", "repeated")
RESOLUTIONS = ("curated_answer", "document_fix", "content_gap")
# Bound parameters per IN (...) query: well under SQLite's and PostgreSQL's limits.
_IDS_PER_QUERY = 500


@dataclass(frozen=True)
class Signal:
    kind: str
    question: str
    user: str
    roles: tuple[str, ...]
    channel: str
    answer_id: str | None = None
    answer: str = ""
    grounded: bool = False
    doc_ids: tuple[str, ...] = ()
    comment: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class ReviewItem:
    id: int
    kinds: tuple[str, ...]
    state: str
    question: str
    vector: tuple[float, ...]
    groups: tuple[str, ...]
    count: int
    assignee: str | None
    notes: tuple[dict[str, Any], ...]
    resolution: str | None
    resolution_ref: str | None
    created_at: datetime
    updated_at: datetime
    signals: tuple[Signal, ...] = field(default_factory=tuple)


class ReviewStore:
    """Items grow by signals; state changes are the caller's rules (assistant/curation/review.py)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def active(self) -> list[tuple[int, tuple[str, ...]]]:
        """(id, groups) of the open and assigned items, oldest first: the ones a new signal may join."""
        query = (
            select(ReviewItemRow.id, ReviewItemRow.groups)
            .where(ReviewItemRow.state.in_(ACTIVE_STATES))
            .order_by(ReviewItemRow.id)
        )
        with Session(self.engine) as session:
            return [(item_id, tuple(groups)) for item_id, groups in session.execute(query)]

    def vectors(self, item_ids: list[int]) -> dict[int, list[float]]:
        """The question vectors of these items (a vector never changes once its item exists)."""
        found: dict[int, list[float]] = {}
        with Session(self.engine) as session:
            for start in range(0, len(item_ids), _IDS_PER_QUERY):
                ids = item_ids[start : start + _IDS_PER_QUERY]
                query = select(ReviewItemRow.id, ReviewItemRow.vector).where(ReviewItemRow.id.in_(ids))
                found.update((item_id, vector) for item_id, vector in session.execute(query))
        return found

    def add_signal(
        self, signal: Signal, item_id: int | None, vector: list[float], groups: list[str]
    ) -> ReviewItem:
        """Add the signal to `item_id`, or to a new item for its question when None. The item comes back
        without its signals (a question asked a thousand times has a thousand: `require` reads them)."""
        with one_writer(self.engine), Session(self.engine, expire_on_commit=False) as session:
            row = session.get(ReviewItemRow, item_id) if item_id is not None else None
            if row is None:
                row = ReviewItemRow(
                    kinds=[],
                    state=OPEN,
                    question=signal.question,
                    vector=vector,
                    groups=sorted(groups),
                    count=0,
                    notes=[],
                )
                session.add(row)
                session.flush()
            if not self._has_answer(session, row.id, signal.answer_id):
                row.count += 1  # times asked: a 👎 on an answer already here adds no question
            if signal.kind not in row.kinds:
                row.kinds = [*row.kinds, signal.kind]
            row.updated_at = utcnow()
            session.add(_signal_row(row.id, signal))
            session.commit()
            return _to_item(row, [])

    def unanswered(self, item_id: int) -> int:
        """How many of the item's answers found nothing (an answer with several signals counts once)."""
        query = select(func.count(distinct(ReviewSignalRow.answer_id))).where(
            ReviewSignalRow.item_id == item_id, ReviewSignalRow.grounded.is_(False)
        )
        with Session(self.engine) as session:
            return int(session.scalar(query) or 0)

    def add_kind(self, item_id: int, kind: str) -> None:
        with one_writer(self.engine), Session(self.engine) as session:
            row = session.get(ReviewItemRow, item_id)
            if row is not None and kind not in row.kinds:
                row.kinds = [*row.kinds, kind]
                session.commit()

    def get(self, item_id: int) -> ReviewItem | None:
        with Session(self.engine) as session:
            row = session.get(ReviewItemRow, item_id)
            return _to_item(row, self._signals(session, [item_id]).get(item_id, [])) if row else None

    def require(self, item_id: int) -> ReviewItem:
        item = self.get(item_id)
        if item is None:
            raise LookupError(f"no review item {item_id}")
        return item

    def items(self, state: str | None = None, since: datetime | None = None) -> list[ReviewItem]:
        """Items with their signals, most asked first, then newest."""
        query = select(ReviewItemRow).order_by(ReviewItemRow.count.desc(), ReviewItemRow.id.desc())
        if state is not None:
            query = query.where(ReviewItemRow.state == state)
        if since is not None:
            query = query.where(ReviewItemRow.updated_at >= since)
        with Session(self.engine) as session:
            rows = list(session.scalars(query))
            signals = self._signals(session, [r.id for r in rows])
            return [_to_item(row, signals.get(row.id, [])) for row in rows]

    def update(self, item_id: int, note: dict[str, Any] | None = None, **changes: Any) -> ReviewItem:
        """Set state/assignee/resolution fields and append a note, in one transaction."""
        with Session(self.engine) as session:
            row = session.get(ReviewItemRow, item_id)
            if row is None:
                raise LookupError(f"no review item {item_id}")
            for key, value in changes.items():
                setattr(row, key, value)
            if note is not None:
                row.notes = [*row.notes, note]
            row.updated_at = utcnow()
            session.commit()
        return self.require(item_id)

    @staticmethod
    def _has_answer(session: Session, item_id: int, answer_id: str | None) -> bool:
        if answer_id is None:
            return False
        query = select(ReviewSignalRow.id).where(
            ReviewSignalRow.item_id == item_id, ReviewSignalRow.answer_id == answer_id
        )
        return session.scalars(query).first() is not None

    @staticmethod
    def _signals(session: Session, item_ids: list[int]) -> dict[int, list[ReviewSignalRow]]:
        out: dict[int, list[ReviewSignalRow]] = {}
        if not item_ids:
            return out
        query = (
            select(ReviewSignalRow)
            .where(ReviewSignalRow.item_id.in_(item_ids))
            .order_by(ReviewSignalRow.at, ReviewSignalRow.id)
        )
        for row in session.scalars(query):
            out.setdefault(row.item_id, []).append(row)
        return out


def _signal_row(item_id: int, s: Signal) -> ReviewSignalRow:
    return ReviewSignalRow(
        item_id=item_id,
        kind=s.kind,
        question=s.question,
        user_name=s.user,
        roles=list(s.roles),
        channel=s.channel,
        answer_id=s.answer_id,
        answer=s.answer,
        grounded=s.grounded,
        doc_ids=list(s.doc_ids),
        comment=s.comment,
        at=s.at or utcnow(),
    )


def _to_signal(row: ReviewSignalRow) -> Signal:
    return Signal(
        kind=row.kind,
        question=row.question,
        user=row.user_name,
        roles=tuple(row.roles),
        channel=row.channel,
        answer_id=row.answer_id,
        answer=row.answer,
        grounded=row.grounded,
        doc_ids=tuple(row.doc_ids),
        comment=row.comment,
        at=row.at,
    )


def _to_item(row: ReviewItemRow, signals: list[ReviewSignalRow]) -> ReviewItem:
    return ReviewItem(
        id=row.id,
        kinds=tuple(row.kinds),
        state=row.state,
        question=row.question,
        vector=tuple(row.vector),
        groups=tuple(row.groups),
        count=row.count,
        assignee=row.assignee,
        notes=tuple(row.notes),
        resolution=row.resolution,
        resolution_ref=row.resolution_ref,
        created_at=row.created_at,
        updated_at=row.updated_at,
        signals=tuple(_to_signal(s) for s in signals),
    )
