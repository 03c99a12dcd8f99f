"""search tables (postgres backend) and the outbox

Revision ID: search_0001
Revises: 0003
Create Date: 2026-11-25 10:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "search_0001"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT_ARRAY = postgresql.ARRAY(sa.String(length=64))


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index(
        "ix_outbox_pending", "outbox", ["next_attempt_at", "id"], postgresql_where=sa.text("done_at IS NULL")
    )
    op.create_table(
        "search_manufacturer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("processes", TEXT_ARRAY, nullable=False),
        sa.Column("materials", TEXT_ARRAY, nullable=False),
        sa.Column("certifications", TEXT_ARRAY, nullable=False),
        sa.Column("free_hours_4w", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("max_free_hours_4w", sa.Integer(), nullable=False),
        sa.Column("tsv", postgresql.TSVECTOR(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_manufacturer")),
    )
    op.create_index("ix_search_manufacturer_tsv", "search_manufacturer", ["tsv"], postgresql_using="gin")
    op.create_index("ix_search_manufacturer_processes", "search_manufacturer", ["processes"], postgresql_using="gin")
    op.create_index("ix_search_manufacturer_region", "search_manufacturer", ["region"])
    op.create_table(
        "search_order",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("process", sa.String(length=64), nullable=False),
        sa.Column("material", sa.Text(), nullable=False),
        sa.Column("certifications", TEXT_ARRAY, nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("bidding_deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("audience", TEXT_ARRAY, nullable=False),
        sa.Column("tsv", postgresql.TSVECTOR(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_order")),
    )
    op.create_index("ix_search_order_tsv", "search_order", ["tsv"], postgresql_using="gin")
    op.create_table(
        "search_document",
        sa.Column("index_name", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("index_name", "id", name=op.f("pk_search_document")),
    )
    op.create_table(
        "search_lexeme",
        sa.Column("word", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_lexeme")),
    )
    op.create_index(
        "ix_search_lexeme_trgm",
        "search_lexeme",
        ["word"],
        postgresql_using="gin",
        postgresql_ops={"word": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_table("search_lexeme")
    op.drop_table("search_document")
    op.drop_table("search_order")
    op.drop_table("search_manufacturer")
    op.drop_index("ix_outbox_pending", table_name="outbox")
    op.drop_table("outbox")
