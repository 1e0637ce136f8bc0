"""The database layer: SQLite by default, PostgreSQL via ASSISTANT_DATABASE_URL; schema by Alembic."""

from assistant.db.audit import ACTIONS, CHANNELS, AuditEntry, AuditLog
from assistant.db.channel_policies import PLATFORMS, ChannelPolicies, ChannelPolicy
from assistant.db.engine import build_engine, normalize_url
from assistant.db.events import EventLedger
from assistant.db.feedback import RATINGS, AnswerStore, Feedback, FeedbackStore, StoredAnswer
from assistant.db.sessions import SessionStore, WebSession, build_session_store
from assistant.db.users import User, UserDirectory
from assistant.db.versions import VERSION_STATES, DocumentVersion, VersionStore

__all__ = [
    "ACTIONS",
    "CHANNELS",
    "PLATFORMS",
    "RATINGS",
    "VERSION_STATES",
    "AnswerStore",
    "AuditEntry",
    "AuditLog",
    "ChannelPolicies",
    "ChannelPolicy",
    "DocumentVersion",
    "EventLedger",
    "Feedback",
    "FeedbackStore",
    "SessionStore",
    "StoredAnswer",
    "User",
    "UserDirectory",
    "VersionStore",
    "WebSession",
    "build_engine",
    "build_session_store",
    "normalize_url",
]
