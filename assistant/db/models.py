"""The database tables, as typed SQLAlchemy ORM classes. Migrations in `migrations/` create them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite stores naive text, so we re-attach UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware (UTC) datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, list[str]: JSON, dict[str, Any]: JSON}


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    roles: Mapped[list[str]]
    groups: Mapped[list[str]]
    slack_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    wecom_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    # Stored lower-cased; unique so a chat identity resolved by e-mail names exactly one person.
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # "<issuer> <sub>" of the OIDC account this user signs in with (web sign-in).
    oidc_subject: Mapped[str | None] = mapped_column(String(500), unique=True)


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    # None: never expires (ASSISTANT_TOKEN_TTL_DAYS=0, or a token issued before expiry existed).
    expires_at: Mapped[datetime | None]


class AuditRow(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_user_at", "user_name", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # "user" is a reserved word in PostgreSQL.
    user_name: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    question: Mapped[str] = mapped_column(Text)
    doc_ids: Mapped[list[str]]
    answer_id: Mapped[str | None] = mapped_column(String(64))
    extra: Mapped[dict[str, Any]]


class AnswerRow(Base):
    __tablename__ = "answers"
    # An asker's latest answer on a channel (each save, a bare 👍 in chat); the answers since a date.
    __table_args__ = (Index("ix_answers_user_channel_at", "user_name", "channel", "created_at"),)

    answer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    doc_ids: Mapped[list[str]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class FeedbackRow(Base):
    __tablename__ = "feedback"
    # One vote per person per answer: a second click changes the vote instead of counting twice.
    __table_args__ = (UniqueConstraint("answer_id", "user_name", name="uq_feedback_answer_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[str] = mapped_column(ForeignKey("answers.answer_id", ondelete="CASCADE"))
    user_name: Mapped[str] = mapped_column(String(200))
    rating: Mapped[str] = mapped_column(String(4))
    comment: Mapped[str | None] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    doc_ids: Mapped[list[str]]
    channel: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ChannelPolicyRow(Base):
    __tablename__ = "channel_policies"

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    max_level: Mapped[str] = mapped_column(String(50))
    groups: Mapped[list[str]]


class ProcessedEventRow(Base):
    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("platform", "event_key", name="uq_processed_events_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    event_key: Mapped[str] = mapped_column(String(255))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Set when the reply went out (or the asker was told it could not): until then a retry may retake it.
    done_at: Mapped[datetime | None]
    # The message itself, so a restarted process can answer what a dead one left unfinished.
    message: Mapped[dict[str, Any] | None]
    # received -> answered (its reply parts are stored) -> delivered (done_at set).
    state: Mapped[str] = mapped_column(String(20), default="received", server_default="received")


class ChatPartRow(Base):
    """One platform message of a chat reply, stored when answered so a re-run posts the same text once."""

    __tablename__ = "chat_parts"
    __table_args__ = (UniqueConstraint("platform", "event_key", "n", name="uq_chat_parts_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    event_key: Mapped[str] = mapped_column(String(255))
    n: Mapped[int] = mapped_column(
        Integer
    )  # order of posting; (platform, event_key, n) is the idempotency key
    reply: Mapped[int] = mapped_column(Integer)  # which reply of the event it belongs to
    body: Mapped[Any] = mapped_column(JSON)  # what the channel's `render` made, as JSON
    # pending -> sending (a post was started) -> delivered; or failed (gave up, the asker was told).
    state: Mapped[str] = mapped_column(String(20), default="pending")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentVersionRow(Base):
    """One version of a knowledge-base document: what changed, who submitted it, who reviewed it."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("doc_id", "number", name="uq_document_versions_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(64), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), index=True)
    action: Mapped[str] = mapped_column(String(20))
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    # The document's access stamp, so a version's text is shown only to whoever may read it.
    access: Mapped[dict[str, Any]]
    submitted_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    chunks: Mapped[int] = mapped_column(Integer)
    diff_summary: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str | None] = mapped_column(Text)


class WebSessionRow(Base):
    """A signed-in browser: the cookie holds the token, the table only its hash."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(20))
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class SignInRequestRow(Base):
    """A sign-in under way: what the callback must find again (state, nonce, PKCE verifier)."""

    __tablename__ = "sign_in_requests"

    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    nonce: Mapped[str] = mapped_column(String(100))
    code_verifier: Mapped[str] = mapped_column(String(200))
    return_to: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class CuratedAnswerRow(Base):
    """One version of a curator-written answer; versions of one answer share `root_id`."""

    __tablename__ = "curated_answers"
    __table_args__ = (Index("ix_curated_answers_root_state", "root_id", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    root_id: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    citations: Mapped[list[str]]
    access_level: Mapped[str] = mapped_column(String(50))
    groups: Mapped[list[str]]
    state: Mapped[str] = mapped_column(String(20), index=True)
    author: Mapped[str] = mapped_column(String(200))
    reviewer: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    item_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_at: Mapped[datetime | None]


class ReviewItemRow(Base):
    """Questions of one meaning that went badly, grouped for a curator to fix."""

    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kinds: Mapped[list[str]]
    state: Mapped[str] = mapped_column(String(20), index=True)
    question: Mapped[str] = mapped_column(Text)
    vector: Mapped[list[float]] = mapped_column(JSON)
    # The askers' groups: a curator sees the item only if they share one (or it names none).
    groups: Mapped[list[str]]
    count: Mapped[int] = mapped_column(Integer, default=0)
    assignee: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    resolution: Mapped[str | None] = mapped_column(String(30))
    resolution_ref: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewSignalRow(Base):
    """One event that put a question in the queue: a 👎, a not-found, an expired source."""

    __tablename__ = "review_signals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    question: Mapped[str] = mapped_column(Text)
    user_name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]]
    channel: Mapped[str] = mapped_column(String(20))
    answer_id: Mapped[str | None] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(Text)
    grounded: Mapped[bool] = mapped_column(default=False)
    doc_ids: Mapped[list[str]]
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class DigestSubscriptionRow(Base):
    """A curator who asked for the daily digest by direct message on one platform."""

    __tablename__ = "digest_subscriptions"

    user_name: Mapped[str] = mapped_column(String(200), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    last_sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RateLimitBucketRow(Base):
    """Requests one key made in one 10-second slot: replicas sharing the database share the budget."""

    __tablename__ = "rate_limit_buckets"

    scope: Mapped[str] = mapped_column(String(20), primary_key=True)  # "requests" or "auth_failures"
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    slot: Mapped[int] = mapped_column(BigInteger, primary_key=True, index=True)
    hits: Mapped[int] = mapped_column(Integer)


class IngestJobRow(Base):
    """An ingest job: queued, then running under a worker's lease, then done or failed."""

    __tablename__ = "ingest_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    paths: Mapped[list[str]]
    options: Mapped[dict[str, Any]]  # overrides, sync, reindex
    submitted_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    worker: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    step: Mapped[str] = mapped_column(Text, default="")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)


class ManifestRow(Base):
    """What ingest has seen for one server collection, shared by every worker that writes to it."""

    __tablename__ = "ingest_manifest"

    collection: Mapped[str] = mapped_column(String(200), primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    path: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    chunks: Mapped[int] = mapped_column(Integer)
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)


class GlossaryFolderRow(Base):
    """One knowledge-base folder's `_glossary.yaml` for one server collection, read by every replica.

    `revision` grows with each write to the collection: a replica's freshness check reads its maximum.
    """

    __tablename__ = "glossary_folders"

    collection: Mapped[str] = mapped_column(String(200), primary_key=True)
    folder: Mapped[str] = mapped_column(Text, primary_key=True)
    groups: Mapped[list[list[str]]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
