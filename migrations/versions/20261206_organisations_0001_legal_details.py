"""Organisations' legal details (реквизиты: ИНН/КПП, ОГРН, addresses, signatory, bank account), checked by operators

Revision ID: organisations_0001
Revises: search_0004
Create Date: 2026-12-06 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "organisations_0001"
down_revision: str | None = "search_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(values: Sequence[str], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32, create_constraint=True)


def upgrade() -> None:
    op.create_table(
        "organisation_legal_details",
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("inn", sa.String(length=12), nullable=False),
        sa.Column(
            "entity_kind", _enum(("legal_entity", "sole_proprietor"), "ck_entity_kind_is_entitykind"), nullable=False
        ),
        sa.Column("kpp", sa.String(length=9), nullable=True),
        sa.Column("ogrn", sa.String(length=15), nullable=False),
        sa.Column("legal_address", sa.String(length=300), nullable=False),
        sa.Column("postal_address", sa.String(length=300), nullable=True),
        sa.Column("signatory_name", sa.String(length=200), nullable=False),
        sa.Column("signatory_position", sa.String(length=120), nullable=False),
        sa.Column(
            "signatory_basis",
            _enum(("charter", "power_of_attorney", "egrip_record"), "ck_signatory_basis_is_signatorybasis"),
            nullable=False,
        ),
        sa.Column("power_of_attorney_number", sa.String(length=40), nullable=True),
        sa.Column("power_of_attorney_date", sa.Date(), nullable=True),
        sa.Column("bank_name", sa.String(length=200), nullable=False),
        sa.Column("bik", sa.String(length=9), nullable=False),
        sa.Column("settlement_account", sa.String(length=20), nullable=False),
        sa.Column("correspondent_account", sa.String(length=20), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("inn ~ '^([0-9]{10}|[0-9]{12})$'", name="ck_organisation_legal_details_inn"),
        sa.CheckConstraint("ogrn ~ '^([0-9]{13}|[0-9]{15})$'", name="ck_organisation_legal_details_ogrn"),
        sa.CheckConstraint("bik ~ '^[0-9]{9}$'", name="ck_organisation_legal_details_bik"),
        sa.CheckConstraint(
            "settlement_account ~ '^[0-9]{20}$' AND correspondent_account ~ '^[0-9]{20}$'",
            name="ck_organisation_legal_details_accounts",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name="fk_organisation_legal_details_organisation_id_organisation",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", name="pk_organisation_legal_details"),
    )
    op.create_index(
        "ix_organisation_legal_details_to_check",
        "organisation_legal_details",
        ["updated_at"],
        postgresql_where=sa.text("checked_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_organisation_legal_details_to_check", table_name="organisation_legal_details")
    op.drop_table("organisation_legal_details")
