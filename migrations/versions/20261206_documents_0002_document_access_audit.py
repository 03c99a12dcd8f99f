"""Contract documents: the audit of downloads and signatures attached (who, for which party, when, which bytes)

Revision ID: documents_0002
Revises: organisations_0001
Create Date: 2026-12-06 05:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "documents_0002"
down_revision: str | None = "organisations_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contract_document_access",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("signature_id", sa.Uuid(), nullable=True),
        sa.Column(
            "action",
            sa.Enum(
                "download",
                "signature_attached",
                name="ck_action_is_documentaction",
                native_enum=False,
                length=32,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["contract_document.id"],
            name="fk_contract_document_access_document_id_contract_document",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["signature_id"],
            ["contract_document_signature.id"],
            name="fk_contract_document_access_signature_id",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name="fk_contract_document_access_user_id_app_user"),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name="fk_contract_document_access_organisation_id_organisation"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_contract_document_access"),
    )
    op.create_index("ix_contract_document_access_document", "contract_document_access", ["document_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_contract_document_access_document", table_name="contract_document_access")
    op.drop_table("contract_document_access")
