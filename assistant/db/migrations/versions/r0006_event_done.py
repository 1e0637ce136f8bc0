"""Chat events record their message and when their reply went out: processed_events.message, .done_at.

Revision ID: 0006_event_done
Revises: 0005_token_expiry
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_event_done"
down_revision = "0005_token_expiry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processed_events") as batch:
        batch.add_column(sa.Column("done_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("message", sa.JSON, nullable=True))
    # Claims from before this revision were answered (or given up on) by the process that made them.
    op.execute("UPDATE processed_events SET done_at = at")


def downgrade() -> None:
    with op.batch_alter_table("processed_events") as batch:
        batch.drop_column("message")
        batch.drop_column("done_at")
