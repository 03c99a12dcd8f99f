"""Files: a failed analysis or preview keeps why as a code and its figure, not only an English sentence

file_geometry and file_preview gain error_code (FailureCode in domain/files/outcomes.py) and error_limit (the
size, triangle count, seconds or memory the exchange allows, where the code has one). Rows that failed before keep
a NULL code and are classified from their English sentence when read (domain/files/outcomes.py, failure_of): no
backfill.

Revision ID: files_0004
Revises: documents_0002
Create Date: 2026-12-06 07:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "files_0004"
down_revision: str | None = "documents_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CODES = (
    "too_large",
    "file_missing",
    "unreadable",
    "empty",
    "too_complex",
    "timed_out",
    "out_of_memory",
    "converter_crashed",
    "active_content",
)

TABLES = ("file_geometry", "file_preview")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table,
            sa.Column(
                "error_code",
                sa.Enum(
                    *CODES, name="ck_error_code_is_failurecode", native_enum=False, create_constraint=True, length=32
                ),
                nullable=True,
            ),
        )
        op.add_column(table, sa.Column("error_limit", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "error_limit")
        op.drop_column(table, "error_code")
