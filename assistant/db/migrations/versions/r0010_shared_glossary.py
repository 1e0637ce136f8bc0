"""The knowledge base's glossary in the shared database, so that every replica reads it.

Revision ID: 0010_shared_glossary
Revises: 0009_scale_out
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_shared_glossary"
down_revision = "0009_scale_out"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "glossary_folders",
        sa.Column("collection", sa.String(200), primary_key=True),
        sa.Column("folder", sa.Text, primary_key=True),
        sa.Column("groups", sa.JSON, nullable=False),
        sa.Column("revision", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("glossary_folders")
