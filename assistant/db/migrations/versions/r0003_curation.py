"""Curation: curated answers (versioned, two-person review), the review queue and its signals.

Revision ID: 0003_curation
Revises: 0002_signin
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_curation"
down_revision = "0002_signin"
branch_labels = None
depends_on = None

UTC_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "curated_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("root_id", sa.Integer),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("citations", sa.JSON, nullable=False),
        sa.Column("access_level", sa.String(50), nullable=False),
        sa.Column("groups", sa.JSON, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("reviewer", sa.String(200)),
        sa.Column("reason", sa.Text),
        sa.Column("item_id", sa.Integer),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.Column("reviewed_at", UTC_TS),
    )
    op.create_index("ix_curated_answers_state", "curated_answers", ["state"])
    op.create_index("ix_curated_answers_root_state", "curated_answers", ["root_id", "state"])
    op.create_table(
        "review_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kinds", sa.JSON, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("vector", sa.JSON, nullable=False),
        sa.Column("groups", sa.JSON, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("assignee", sa.String(200)),
        sa.Column("notes", sa.JSON, nullable=False),
        sa.Column("resolution", sa.String(30)),
        sa.Column("resolution_ref", sa.Text),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.Column("updated_at", UTC_TS, nullable=False),
    )
    op.create_index("ix_review_items_state", "review_items", ["state"])
    op.create_table(
        "review_signals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "item_id", sa.Integer, sa.ForeignKey("review_items.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("answer_id", sa.String(64)),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("grounded", sa.Boolean, nullable=False),
        sa.Column("doc_ids", sa.JSON, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("at", UTC_TS, nullable=False),
    )
    op.create_index("ix_review_signals_item_id", "review_signals", ["item_id"])
    op.create_index("ix_review_signals_at", "review_signals", ["at"])


def downgrade() -> None:
    for table in ("review_signals", "review_items", "curated_answers"):
        op.drop_table(table)
