"""VAT: rates as data, organisations' tax status, VAT fixed on bids and contracts, budgets with or without VAT

Revision ID: taxes_0001
Revises: files_0003
Create Date: 2026-12-06 02:00:00.000000
"""

from collections.abc import Sequence
from datetime import date
from uuid import uuid4

import sqlalchemy as sa
from alembic import op

revision: str = "taxes_0001"
down_revision: str | None = "files_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RATE_KINDS = ("general", "reduced", "simplified_5", "simplified_7", "zero")
TAX_STATUSES = ("not_stated", "vat_general", "simplified_no_vat", "simplified_vat_5", "simplified_vat_7", "exempt")
TREATMENTS = ("vat", "reduced", "simplified_no_vat", "exempt", "not_stated")

# The rates of art. 164 of the Tax Code in force from 2019 on. A change in the law is a new row (and an end date on
# the old one), in a migration or by hand: nothing in the code names a percentage.
RATES = [
    ("general", "20.00", date(2019, 1, 1), date(2026, 1, 1), "art. 164 p. 3 TC RF (law 303-FZ of 03.08.2018)"),
    ("general", "22.00", date(2026, 1, 1), None, "art. 164 p. 3 TC RF (law 425-FZ of 28.11.2025)"),
    ("reduced", "10.00", date(2019, 1, 1), None, "art. 164 p. 2 TC RF"),
    ("simplified_5", "5.00", date(2025, 1, 1), None, "art. 164 p. 8 TC RF (law 176-FZ of 12.07.2024)"),
    ("simplified_7", "7.00", date(2025, 1, 1), None, "art. 164 p. 9 TC RF (law 176-FZ of 12.07.2024)"),
    ("zero", "0.00", date(2019, 1, 1), None, "art. 164 p. 1 TC RF"),
]


def _enum(values: Sequence[str], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32, create_constraint=True)


def upgrade() -> None:
    rates = op.create_table(
        "vat_rate",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", _enum(RATE_KINDS, "ck_kind_is_ratekind"), nullable=False),
        sa.Column("percent", sa.Numeric(5, 2), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False, server_default=""),
        sa.CheckConstraint("percent >= 0 AND percent < 100", name="ck_vat_rate_percent"),
        sa.CheckConstraint("valid_until IS NULL OR valid_until > valid_from", name="ck_vat_rate_period"),
        sa.PrimaryKeyConstraint("id", name="pk_vat_rate"),
    )
    op.create_index("ix_vat_rate_kind_valid_from", "vat_rate", ["kind", "valid_from"], unique=True)
    op.bulk_insert(
        rates,
        [
            {"id": uuid4(), "kind": k, "percent": p, "valid_from": f, "valid_until": u, "source": s}
            for k, p, f, u, s in RATES
        ],
    )
    # New columns with constant defaults: PostgreSQL adds them without rewriting the tables.
    op.add_column(
        "organisation",
        sa.Column(
            "tax_status",
            _enum(TAX_STATUSES, "ck_tax_status_is_taxstatus"),
            nullable=False,
            server_default="not_stated",
        ),
    )
    op.add_column("organisation", sa.Column("tax_status_checked_at", sa.DateTime(timezone=True), nullable=True))
    for table in ("bid", "contract"):
        op.add_column(
            table,
            sa.Column(
                "vat_treatment",
                _enum(TREATMENTS, "ck_vat_treatment_is_vattreatment"),
                nullable=False,
                server_default="not_stated",
            ),
        )
        op.add_column(table, sa.Column("vat_rate", sa.Numeric(5, 2), nullable=True))
        op.add_column(table, sa.Column("vat_minor", sa.BigInteger(), nullable=False, server_default="0"))
    op.add_column("contract", sa.Column("fee_vat_rate", sa.Numeric(5, 2), nullable=True))
    op.add_column(
        "production_order",
        sa.Column("budget_includes_vat", sa.Boolean(), nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    op.drop_column("production_order", "budget_includes_vat")
    op.drop_column("contract", "fee_vat_rate")
    for table in ("contract", "bid"):
        op.drop_column(table, "vat_minor")
        op.drop_column(table, "vat_rate")
        op.drop_column(table, "vat_treatment")
    op.drop_column("organisation", "tax_status_checked_at")
    op.drop_column("organisation", "tax_status")
    op.drop_index("ix_vat_rate_kind_valid_from", table_name="vat_rate")
    op.drop_table("vat_rate")
