"""Scale-out: rate-limit buckets, the ingest job table and the shared ingest manifest.

Revision ID: 0009_scale_out
Revises: 0008_chat_delivery
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_scale_out"
down_revision = "0008_chat_delivery"
branch_labels = None
depends_on = None

UTC_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "rate_limit_buckets",
        sa.Column("scope", sa.String(20), primary_key=True),
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("slot", sa.BigInteger, primary_key=True),
        sa.Column("hits", sa.Integer, nullable=False),
    )
    op.create_index("ix_rate_limit_buckets_slot", "rate_limit_buckets", ["slot"])
    op.create_table(
        "ingest_jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("paths", sa.JSON, nullable=False),
        sa.Column("options", sa.JSON, nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.Column("started_at", UTC_TS),
        sa.Column("finished_at", UTC_TS),
        sa.Column("worker", sa.String(200)),
        sa.Column("lease_until", UTC_TS),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("step", sa.Text, nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("report", sa.JSON),
        sa.Column("error", sa.Text),
    )
    op.create_index("ix_ingest_jobs_status", "ingest_jobs", ["status"])
    op.create_index("ix_ingest_jobs_created_at", "ingest_jobs", ["created_at"])
    op.create_table(
        "ingest_manifest",
        sa.Column("collection", sa.String(200), primary_key=True),
        sa.Column("doc_id", sa.String(64), primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("chunks", sa.Integer, nullable=False),
        sa.Column("ingested_at", UTC_TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ingest_manifest")
    op.drop_table("ingest_jobs")
    op.drop_table("rate_limit_buckets")
