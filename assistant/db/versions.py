"""Document versions: each ingest, rollback or removal of a document, and its review."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from assistant.db.models import DocumentVersionRow, utcnow

# A document's current version is "live" (searchable), "removed" (its file was deleted) or
# "archived" (stale: out of answers, restorable).
CURRENT_STATES = ("live", "removed", "archived")
VERSION_STATES = (*CURRENT_STATES, "superseded", "pending_review", "rejected")
VERSION_ACTIONS = ("ingest", "rollback", "remove", "archive", "restore")


@dataclass(frozen=True)
class DocumentVersion:
    doc_id: str
    number: int
    state: str
    action: str
    content_hash: str
    source: str
    title: str
    access: dict[str, Any]
    submitted_by: str
    created_at: datetime
    chunks: int
    diff_summary: str
    text: str
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_note: str | None = None

    def summary(self) -> dict[str, Any]:
        """Everything but the text and the access stamp, JSON-ready."""
        data = asdict(self)
        del data["text"], data["access"]
        for key in ("created_at", "reviewed_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def _version(row: DocumentVersionRow) -> DocumentVersion:
    return DocumentVersion(
        doc_id=row.doc_id,
        number=row.number,
        state=row.state,
        action=row.action,
        content_hash=row.content_hash,
        source=row.source,
        title=row.title,
        access=dict(row.access),
        submitted_by=row.submitted_by,
        created_at=row.created_at,
        chunks=row.chunks,
        diff_summary=row.diff_summary,
        text=row.text,
        reviewed_by=row.reviewed_by,
        reviewed_at=row.reviewed_at,
        review_note=row.review_note,
    )


class VersionStore:
    """The version history of every document; the index holds the chunks of the kept versions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def next_number(self, doc_id: str) -> int:
        with Session(self.engine) as session:
            latest = session.scalar(
                select(DocumentVersionRow.number)
                .where(DocumentVersionRow.doc_id == doc_id)
                .order_by(DocumentVersionRow.number.desc())
                .limit(1)
            )
        return (latest or 0) + 1

    def add(self, version: DocumentVersion) -> DocumentVersion:
        """Record a version; when it is current (live or removed) the previous current one is superseded."""
        if version.state not in VERSION_STATES or version.action not in VERSION_ACTIONS:
            raise ValueError(f"unknown version state {version.state!r} or action {version.action!r}")
        with Session(self.engine) as session, session.begin():
            if version.state in CURRENT_STATES:
                self._supersede_current(session, version.doc_id)
            if version.state == "pending_review":  # a newer draft replaces one still waiting
                session.execute(
                    update(DocumentVersionRow)
                    .where(DocumentVersionRow.doc_id == version.doc_id)
                    .where(DocumentVersionRow.state == "pending_review")
                    .values(state="superseded")
                )
            session.add(DocumentVersionRow(**asdict(version)))
        return version

    def review(self, doc_id: str, number: int, approved: bool, reviewer: str, note: str | None) -> None:
        """Approve (the version becomes current) or reject a version waiting for review."""
        with Session(self.engine) as session, session.begin():
            if approved:
                self._supersede_current(session, doc_id)
            session.execute(
                update(DocumentVersionRow)
                .where(DocumentVersionRow.doc_id == doc_id, DocumentVersionRow.number == number)
                .values(
                    state="live" if approved else "rejected",
                    reviewed_by=reviewer,
                    reviewed_at=utcnow(),
                    review_note=note,
                )
            )

    def get(self, doc_id: str, number: int) -> DocumentVersion | None:
        with Session(self.engine) as session:
            row = session.scalar(
                select(DocumentVersionRow).where(
                    DocumentVersionRow.doc_id == doc_id, DocumentVersionRow.number == number
                )
            )
            return _version(row) if row else None

    def history(self, doc_id: str) -> list[DocumentVersion]:
        """Every version of a document, newest first."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(DocumentVersionRow)
                .where(DocumentVersionRow.doc_id == doc_id)
                .order_by(DocumentVersionRow.number.desc())
            )
            return [_version(r) for r in rows]

    def current(self, doc_id: str) -> DocumentVersion | None:
        """The newest version in a current state (one row, not the whole history)."""
        with Session(self.engine) as session:
            row = session.scalars(
                select(DocumentVersionRow)
                .where(DocumentVersionRow.doc_id == doc_id, DocumentVersionRow.state.in_(CURRENT_STATES))
                .order_by(DocumentVersionRow.number.desc())
                .limit(1)
            ).first()
            return _version(row) if row is not None else None

    def by_action(self, action: str, since: datetime, until: datetime) -> list[DocumentVersion]:
        """Versions made by one action in a period (the archive report), oldest first."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(DocumentVersionRow)
                .where(DocumentVersionRow.action == action)
                .where(DocumentVersionRow.created_at >= since, DocumentVersionRow.created_at < until)
                .order_by(DocumentVersionRow.created_at, DocumentVersionRow.id)
            )
            return [_version(r) for r in rows]

    def pending(self) -> list[DocumentVersion]:
        """Versions waiting for review, oldest first."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(DocumentVersionRow)
                .where(DocumentVersionRow.state == "pending_review")
                .order_by(DocumentVersionRow.created_at, DocumentVersionRow.id)
            )
            return [_version(r) for r in rows]

    @staticmethod
    def _supersede_current(session: Session, doc_id: str) -> None:
        session.execute(
            update(DocumentVersionRow)
            .where(DocumentVersionRow.doc_id == doc_id)
            .where(DocumentVersionRow.state.in_(CURRENT_STATES))
            .values(state="superseded")
        )
