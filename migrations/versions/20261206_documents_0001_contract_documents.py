"""Contract documents: issued PDFs, detached signatures on them, copies requested in other languages

Revision ID: documents_0001
Revises: payments_0004
Create Date: 2026-12-06 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "documents_0001"
down_revision: str | None = "payments_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str, length: int = 32) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=length, create_constraint=True)


def upgrade() -> None:
    # New, empty tables: their indexes are built with them.
    op.create_table(
        "contract_document",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            _enum("ck_kind_is_documentkind", "contract", "escrow_invoice", "closing_act", "fee_invoice"),
            nullable=False,
        ),
        sa.Column("language", _enum("ck_language_is_documentlanguage", "ru", "en", length=8), nullable=False),
        sa.Column("addressee_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("issued_on", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["addressee_organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["sha256"], ["stored_blob.sha256"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "uq_contract_document_kind",
        "contract_document",
        ["contract_id", "kind", "language", "addressee_organisation_id"],
        unique=True,
        postgresql_nulls_not_distinct=True,
    )
    op.create_table(
        "contract_document_signature",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["contract_document.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_contract_document_signature_document", "contract_document_signature", ["document_id", "created_at"]
    )
    op.create_table(
        "contract_document_copy_request",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("language", _enum("ck_language_is_documentlanguage", "ru", "en", length=8), nullable=False),
        sa.Column("requested_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requested_by_user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("contract_id", "language"),
    )


def downgrade() -> None:
    op.drop_table("contract_document_copy_request")
    op.drop_index("ix_contract_document_signature_document", table_name="contract_document_signature")
    op.drop_table("contract_document_signature")
    op.drop_index("uq_contract_document_kind", table_name="contract_document")
    op.drop_table("contract_document")
