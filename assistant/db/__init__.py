"""The database layer: SQLite by default, PostgreSQL via ASSISTANT_DATABASE_URL; schema by Alembic."""

from assistant.db.audit import ACTIONS, CHANNELS, AuditEntry, AuditLog
from assistant.db.channel_policies import PLATFORMS, ChannelPolicies, ChannelPolicy
from assistant.db.engine import build_engine, normalize_url
from assistant.db.events import EventLedger
from assistant.db.feedback import RATINGS, AnswerStore, Feedback, FeedbackStore, StoredAnswer
from assistant.db.sessions import SessionStore, WebSession, build_session_store
from assistant.db.users import User, UserDirectory

__all__ = [
    "ACTIONS",
    "CHANNELS",
    "PLATFORMS",
    "RATINGS",
    "AnswerStore",
    "AuditEntry",
    "AuditLog",
    "ChannelPolicies",
    "ChannelPolicy",
    "EventLedger",
    "Feedback",
    "FeedbackStore",
    "SessionStore",
    "StoredAnswer",
    "User",
    "UserDirectory",
    "WebSession",
    "build_engine",
    "build_session_store",
    "normalize_url",
]
