"""The append-only record of who asked what, where, and which documents the answer used."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from assistant.db.engine import one_writer
from assistant.db.models import AuditRow

CHANNELS = ("api", "web", "slack", "wecom", "cli")
ACTIONS = (
    "ask",
    "search",
    "talk_tracks",
    "follow_up",
    "document",
    "sign_in",
    "sign_in_failed",
    "role_change",
    "sign_out",
    "session_end",
)


def check_choice(kind: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {kind} {value!r}; expected one of: {', '.join(allowed)}")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    user: str
    channel: str
    action: str
    question: str
    doc_ids: tuple[str, ...]
    answer_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (ISO timestamp, lists)."""
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "user": self.user,
            "channel": self.channel,
            "action": self.action,
            "question": self.question,
            "doc_ids": list(self.doc_ids),
            "answer_id": self.answer_id,
            "extra": self.extra,
        }


class AuditLog:
    """Write and read audit entries. There is deliberately no update or delete; the database
    rejects them too (trigger), so a bug or a stray SQL session cannot rewrite history."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(
        self,
        user: str,
        channel: str,
        action: str,
        question: str,
        doc_ids: list[str],
        answer_id: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> AuditEntry:
        check_choice("channel", channel, CHANNELS)
        check_choice("action", action, ACTIONS)
        row = AuditRow(
            user_name=user,
            channel=channel,
            action=action,
            question=question,
            doc_ids=list(doc_ids),
            answer_id=answer_id,
            extra=dict(extra or {}),
        )
        with one_writer(self.engine), Session(self.engine, expire_on_commit=False) as session:
            session.add(row)
            session.commit()
            return _to_entry(row)

    def list(
        self,
        limit: int = 100,
        user: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
    ) -> list[AuditEntry]:
        """Newest first."""
        query = select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(max(limit, 0))
        if user is not None:
            query = query.where(AuditRow.user_name == user)
        if action is not None:
            check_choice("action", action, ACTIONS)
            query = query.where(AuditRow.action == action)
        if since is not None:
            query = query.where(AuditRow.at >= since)
        with Session(self.engine) as session:
            return [_to_entry(row) for row in session.scalars(query)]


def _to_entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        user=row.user_name,
        channel=row.channel,
        action=row.action,
        question=row.question,
        doc_ids=tuple(row.doc_ids),
        answer_id=row.answer_id,
        extra=dict(row.extra),
    )
