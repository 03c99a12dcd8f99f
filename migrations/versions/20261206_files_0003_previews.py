"""Files: previews (a model's GLB, a drawing's first page as PNG) by content, and the envelope's model name

STEP and IGES models are analysed too now (the worker picks up their blobs on its next passes: they have no
file_geometry row yet).

Revision ID: files_0003
Revises: matching_0005
Create Date: 2026-12-06 02:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "files_0003"
down_revision: str | None = "matching_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "file_preview",
        sa.Column("sha256", sa.String(64), sa.ForeignKey("stored_blob.sha256", ondelete="CASCADE"), primary_key=True),
        sa.Column(
            "status",
            sa.Enum(
                "done",
                "failed",
                name="ck_status_is_previewstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "model", "page", name="ck_kind_is_previewkind", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("preview_sha256", sa.String(64), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_file_preview_preview_sha256", "file_preview", ["preview_sha256"])
    op.add_column("order_part_envelope", sa.Column("model_name", sa.String(120), nullable=True))
    op.add_column("order_part_envelope", sa.Column("model_format", sa.String(16), nullable=True))


def downgrade() -> None:
    op.drop_column("order_part_envelope", "model_format")
    op.drop_column("order_part_envelope", "model_name")
    op.drop_index("ix_file_preview_preview_sha256", table_name="file_preview")
    op.drop_table("file_preview")
