"""What the assistant answered, and what people thought of it (thumbs up/down per answer)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.db.audit import CHANNELS, check_choice
from assistant.db.engine import one_writer
from assistant.db.models import AnswerRow, FeedbackRow, utcnow

RATINGS = ("up", "down")
_TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class StoredAnswer:
    answer_id: str
    user: str
    channel: str
    question: str
    answer: str
    doc_ids: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class Feedback:
    answer_id: str
    user: str
    rating: str
    comment: str | None
    question: str
    answer: str
    doc_ids: tuple[str, ...]
    channel: str
    at: datetime


class AnswerStore:
    """Keeps each answer so feedback can point at it and eval can turn it into golden items."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(
        self, answer_id: str, user: str, question: str, answer: str, doc_ids: list[str], channel: str = "api"
    ) -> StoredAnswer:
        check_choice("channel", channel, CHANNELS)
        row = AnswerRow(
            answer_id=answer_id,
            user_name=user,
            channel=channel,
            question=question,
            answer=answer,
            doc_ids=list(doc_ids),
        )
        with one_writer(self.engine), Session(self.engine, expire_on_commit=False) as session:
            # Strictly after this person's previous answer on the channel, so `latest` never faces a tie
            # (two answers within the clock's resolution).
            previous = session.scalar(
                select(func.max(AnswerRow.created_at)).where(
                    AnswerRow.user_name == user, AnswerRow.channel == channel
                )
            )
            now = utcnow()
            row.created_at = max(now, previous + _TICK) if previous else now
            session.add(row)
            try:
                session.commit()
            except IntegrityError as exc:
                raise ValueError(f"answer {answer_id!r} already exists") from exc
            return _to_answer(row)

    def cited_since(self, since: datetime) -> set[str]:
        """Documents cited in any answer since then (archiving spares them)."""
        with Session(self.engine) as session:
            rows = session.scalars(select(AnswerRow.doc_ids).where(AnswerRow.created_at >= since))
            return {doc_id for doc_ids in rows for doc_id in doc_ids}

    def get(self, answer_id: str) -> StoredAnswer | None:
        with Session(self.engine) as session:
            row = session.get(AnswerRow, answer_id)
            return _to_answer(row) if row else None

    def latest(self, user: str, channel: str) -> StoredAnswer | None:
        """The user's most recent answer on a channel: what a bare 👍/👎 in chat refers to."""
        query = (
            select(AnswerRow)
            .where(AnswerRow.user_name == user, AnswerRow.channel == channel)
            .order_by(AnswerRow.created_at.desc())
            .limit(1)
        )
        with Session(self.engine) as session:
            row = session.scalars(query).first()
            return _to_answer(row) if row else None


class UnknownAnswer(ValueError):
    """No such answer, or not the voter's own: both read the same, so ids cannot probe others' answers."""


class FeedbackStore:
    """One vote per person per answer, on their own answers only; voting again replaces the vote.

    The owner rule lives here so the HTTP API, Slack and WeCom cannot disagree: a vote copies the
    answer's text into the feedback row, so a vote on someone else's answer would leak it.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(
        self, answer_id: str, user: str, rating: str, comment: str | None = None, channel: str = "api"
    ) -> Feedback:
        check_choice("rating", rating, RATINGS)
        check_choice("channel", channel, CHANNELS)
        for _attempt in range(2):  # a concurrent first vote by the same user wins the insert; update it
            try:
                return self._upsert(answer_id, user, rating, comment, channel)
            except IntegrityError:
                continue
        raise ValueError(f"could not record feedback on answer {answer_id!r}; try again")

    def list(self, rating: str | None = None, since: datetime | None = None) -> list[Feedback]:
        """Newest first; only votes cast at or after `since` when given."""
        query = select(FeedbackRow).order_by(FeedbackRow.at.desc(), FeedbackRow.id.desc())
        if since is not None:
            query = query.where(FeedbackRow.at >= since)
        if rating is not None:
            check_choice("rating", rating, RATINGS)
            query = query.where(FeedbackRow.rating == rating)
        with Session(self.engine) as session:
            return [_to_feedback(row) for row in session.scalars(query)]

    def stats_by_doc(self) -> dict[str, tuple[int, int]]:
        """(up, down) votes per document id, counting every document an answer cited."""
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        with Session(self.engine) as session:
            for rating, doc_ids in session.execute(select(FeedbackRow.rating, FeedbackRow.doc_ids)):
                for doc_id in dict.fromkeys(doc_ids):
                    counts[doc_id][0 if rating == "up" else 1] += 1
        return {doc_id: (up, down) for doc_id, (up, down) in counts.items()}

    def _upsert(self, answer_id: str, user: str, rating: str, comment: str | None, channel: str) -> Feedback:
        with Session(self.engine, expire_on_commit=False) as session:
            answer = session.get(AnswerRow, answer_id)
            if answer is None or answer.user_name != user:
                raise UnknownAnswer(f"unknown answer id {answer_id!r}")
            query = select(FeedbackRow).where(
                FeedbackRow.answer_id == answer_id, FeedbackRow.user_name == user
            )
            row = session.scalars(query).first()
            if row is None:
                row = FeedbackRow(
                    answer_id=answer_id,
                    user_name=user,
                    question=answer.question,
                    answer=answer.answer,
                    doc_ids=list(answer.doc_ids),
                )
                session.add(row)
            row.rating, row.comment, row.channel, row.at = rating, comment, channel, utcnow()
            session.commit()
            return _to_feedback(row)


def _to_answer(row: AnswerRow) -> StoredAnswer:
    return StoredAnswer(
        answer_id=row.answer_id,
        user=row.user_name,
        channel=row.channel,
        question=row.question,
        answer=row.answer,
        doc_ids=tuple(row.doc_ids),
        created_at=row.created_at,
    )


def _to_feedback(row: FeedbackRow) -> Feedback:
    return Feedback(
        answer_id=row.answer_id,
        user=row.user_name,
        rating=row.rating,
        comment=row.comment,
        question=row.question,
        answer=row.answer,
        doc_ids=tuple(row.doc_ids),
        channel=row.channel,
        at=row.at,
    )
