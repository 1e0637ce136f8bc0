"""Document versions: history, rollback and two-person review of knowledge-base documents.

Revision ID: 0007_document_versions
Revises: 0006_event_done
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_document_versions"
down_revision = "0006_event_done"
branch_labels = None
depends_on = None

UTC_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "document_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("access", sa.JSON, nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.Column("chunks", sa.Integer, nullable=False),
        sa.Column("diff_summary", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("reviewed_by", sa.String(200)),
        sa.Column("reviewed_at", UTC_TS),
        sa.Column("review_note", sa.Text),
        sa.UniqueConstraint("doc_id", "number", name="uq_document_versions_number"),
    )
    op.create_index("ix_document_versions_doc_id", "document_versions", ["doc_id"])
    op.create_index("ix_document_versions_state", "document_versions", ["state"])


def downgrade() -> None:
    op.drop_table("document_versions")
