"""contract messages

Revision ID: live_0003
Revises: live_0002
Create Date: 2026-11-25 12:14:48.652681
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "live_0003"
down_revision: str | None = "live_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contract_message",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("author_user_id", sa.Uuid(), nullable=False),
        sa.Column("author_organisation_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("attachments", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_contract_message_author_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["author_user_id"], ["app_user.id"], name=op.f("fk_contract_message_author_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_contract_message_contract_id_contract"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_message")),
    )
    op.create_index(
        "ix_contract_message_contract_created_at_id",
        "contract_message",
        ["contract_id", "created_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_contract_message_contract_created_at_id", table_name="contract_message")
    op.drop_table("contract_message")
