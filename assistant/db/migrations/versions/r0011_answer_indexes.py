"""Indexes on the answer log: every answer looked up its asker's latest answer by a full scan.

Saving an answer reads the asker's latest one on the channel (to come strictly after it), a bare 👍 in
chat reads it too, and archiving reads the answers since a date. Without an index each of those
scanned the whole log: 29 ms per answer at 300,000 answers, growing with every answer.

Revision ID: 0011_answer_indexes
Revises: 0010_shared_glossary
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0011_answer_indexes"
down_revision = "0010_shared_glossary"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_answers_user_channel_at", "answers", ["user_name", "channel", "created_at"])
    op.create_index("ix_answers_created_at", "answers", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_answers_created_at", table_name="answers")
    op.drop_index("ix_answers_user_channel_at", table_name="answers")
