"""Initial schema: users, tokens, append-only audit log, answers, feedback, channel policies, events.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC_TS = sa.DateTime(timezone=True)

PG_AUDIT_GUARD = [
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
    END $$""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
]
SQLITE_AUDIT_GUARD = [
    f"""CREATE TRIGGER audit_log_no_{op_name.lower()} BEFORE {op_name} ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: {op_name} is not allowed'); END"""
    for op_name in ("UPDATE", "DELETE")
]


def upgrade() -> None:
    _users_and_tokens()
    _records()
    dialect = op.get_bind().dialect.name
    for statement in PG_AUDIT_GUARD if dialect == "postgresql" else SQLITE_AUDIT_GUARD:
        op.execute(statement)


def _users_and_tokens() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("groups", sa.JSON, nullable=False),
        sa.Column("slack_id", sa.String(100), unique=True),
        sa.Column("wecom_id", sa.String(100), unique=True),
        sa.Column("email", sa.String(320), unique=True),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", UTC_TS, nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(8), nullable=False),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.Column("revoked_at", UTC_TS),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])


def _records() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTC_TS, nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("doc_ids", sa.JSON, nullable=False),
        sa.Column("answer_id", sa.String(64)),
        sa.Column("extra", sa.JSON, nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_user_at", "audit_log", ["user_name", "at"])
    op.create_table(
        "answers",
        sa.Column("answer_id", sa.String(64), primary_key=True),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("doc_ids", sa.JSON, nullable=False),
        sa.Column("created_at", UTC_TS, nullable=False),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "answer_id", sa.String(64), sa.ForeignKey("answers.answer_id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("rating", sa.String(4), nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("doc_ids", sa.JSON, nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("at", UTC_TS, nullable=False),
        sa.UniqueConstraint("answer_id", "user_name", name="uq_feedback_answer_user"),
    )
    op.create_table(
        "channel_policies",
        sa.Column("platform", sa.String(20), primary_key=True),
        sa.Column("channel_id", sa.String(200), primary_key=True),
        sa.Column("max_level", sa.String(50), nullable=False),
        sa.Column("groups", sa.JSON, nullable=False),
    )
    op.create_table(
        "processed_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("event_key", sa.String(255), nullable=False),
        sa.Column("at", UTC_TS, nullable=False),
        sa.UniqueConstraint("platform", "event_key", name="uq_processed_events_key"),
    )
    op.create_index("ix_processed_events_at", "processed_events", ["at"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for table in ("processed_events", "channel_policies", "feedback", "answers", "audit_log"):
        op.drop_table(table)
    op.drop_table("api_tokens")
    op.drop_table("users")
