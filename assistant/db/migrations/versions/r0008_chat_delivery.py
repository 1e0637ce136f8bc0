"""Durable chat delivery: processed_events.state and the stored reply parts (chat_parts).

Revision ID: 0008_chat_delivery
Revises: 0007_document_versions
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_chat_delivery"
down_revision = "0007_document_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processed_events") as batch:
        batch.add_column(sa.Column("state", sa.String(20), nullable=False, server_default="received"))
    op.execute("UPDATE processed_events SET state = 'delivered' WHERE done_at IS NOT NULL")
    op.create_table(
        "chat_parts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("event_key", sa.String(255), nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("reply", sa.Integer, nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("platform", "event_key", "n", name="uq_chat_parts_key"),
    )


def downgrade() -> None:
    op.drop_table("chat_parts")
    with op.batch_alter_table("processed_events") as batch:
        batch.drop_column("state")
