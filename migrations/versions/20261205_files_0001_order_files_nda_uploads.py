"""Files on orders: content-addressed blobs, order files with revisions, NDAs and their acceptance, the download
audit, and direct uploads in flight

Revision ID: files_0001
Revises: ops_0001
Create Date: 2026-12-05 23:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "files_0001"
down_revision: str | None = "ops_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _format() -> sa.Column:
    return sa.Column(
        "format",
        sa.Enum(
            "pdf",
            "step",
            "iges",
            "stl",
            "dxf",
            "png",
            "jpeg",
            name="ck_format_is_fileformat",
            native_enum=False,
            length=32,
            create_constraint=True,
        ),
        nullable=False,
    )


def _kind() -> sa.Column:
    return sa.Column(
        "kind",
        sa.Enum(
            "drawing",
            "model",
            "specification",
            name="ck_kind_is_filekind",
            native_enum=False,
            length=32,
            create_constraint=True,
        ),
        nullable=False,
    )


NOTIFICATION_KINDS = (
    "order_matched",
    "bid_received",
    "bid_awarded",
    "bid_lost",
    "contract_updated",
    "deadline_soon",
    "question_asked",
    "question_answered",
    "message_received",
    "review_received",
)


def _notification_kinds(kinds: Sequence[str]) -> None:
    values = ", ".join(f"'{kind}'" for kind in kinds)
    for table in ("notification", "notification_preference"):
        op.drop_constraint("ck_kind_is_notificationkind", table, type_="check")
        op.create_check_constraint("ck_kind_is_notificationkind", table, f"kind IN ({values})")


def upgrade() -> None:
    _notification_kinds((*NOTIFICATION_KINDS, "order_file_revised"))
    op.create_table(
        "stored_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        _format(),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("size >= 0", name="ck_stored_blob_size"),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_stored_blob")),
    )
    op.create_table(
        "order_file",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        _kind(),
        sa.Column("name", sa.String(length=120), nullable=False),
        _format(),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("active_content", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("uploaded_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("revision >= 1", name="ck_order_file_revision"),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["production_order.id"],
            name=op.f("fk_order_file_order_id_production_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["sha256"], ["stored_blob.sha256"], name=op.f("fk_order_file_sha256_stored_blob")),
        sa.ForeignKeyConstraint(
            ["uploaded_by_user_id"], ["app_user.id"], name=op.f("fk_order_file_uploaded_by_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_file")),
    )
    op.create_index("uq_order_file_document_revision", "order_file", ["document_id", "revision"], unique=True)
    op.create_index("ix_order_file_order_created_at", "order_file", ["order_id", "created_at"])
    op.create_table(
        "order_nda",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["production_order.id"],
            name=op.f("fk_order_nda_order_id_production_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"], ["app_user.id"], name=op.f("fk_order_nda_created_by_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("order_id", "version", name=op.f("pk_order_nda")),
    )
    op.create_table(
        "nda_acceptance",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id", "version"],
            ["order_nda.order_id", "order_nda.version"],
            name="fk_nda_acceptance_order_nda",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_nda_acceptance_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_nda_acceptance_user_id_app_user")),
        sa.PrimaryKeyConstraint("order_id", "version", "organisation_id", name=op.f("pk_nda_acceptance")),
    )
    op.create_index("ix_nda_acceptance_organisation", "nda_acceptance", ["organisation_id", "order_id"])
    op.create_table(
        "file_download",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=True),
        sa.Column("message_id", sa.Uuid(), nullable=True),
        sa.Column("attachment_index", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("served_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("(file_id IS NULL) <> (message_id IS NULL)", name="ck_file_download_one_subject"),
        sa.ForeignKeyConstraint(
            ["file_id"], ["order_file.id"], name=op.f("fk_file_download_file_id_order_file"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["contract_message.id"],
            name=op.f("fk_file_download_message_id_contract_message"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_file_download_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_file_download_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_download")),
    )
    op.create_index("ix_file_download_file_issued_at", "file_download", ["file_id", "issued_at"])
    op.create_index("ix_file_download_message_id", "file_download", ["message_id"])
    op.create_table(
        "file_upload",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=True),
        _kind(),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("file_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint("size > 0", name="ck_file_upload_size"),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["production_order.id"],
            name=op.f("fk_file_upload_order_id_production_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"], ["app_user.id"], name=op.f("fk_file_upload_created_by_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["order_file.id"], name=op.f("fk_file_upload_file_id_order_file"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_upload")),
    )
    op.create_index(
        "ix_file_upload_pending_expires_at",
        "file_upload",
        ["expires_at"],
        postgresql_where=sa.text("completed_at IS NULL"),
    )
    _geometry_tables()


def _geometry_tables() -> None:
    op.create_table(
        "file_geometry",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "done",
                "failed",
                name="ck_status_is_geometrystatus",
                native_enum=False,
                length=32,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("size_x_mm", sa.Float(), nullable=True),
        sa.Column("size_y_mm", sa.Float(), nullable=True),
        sa.Column("size_z_mm", sa.Float(), nullable=True),
        sa.Column("volume_mm3", sa.Float(), nullable=True),
        sa.Column("area_mm2", sa.Float(), nullable=True),
        sa.Column("triangles", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"], ["stored_blob.sha256"], name=op.f("fk_file_geometry_sha256_stored_blob"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_file_geometry")),
    )
    op.create_table(
        "order_part_envelope",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("x_mm", sa.Float(), nullable=False),
        sa.Column("y_mm", sa.Float(), nullable=False),
        sa.Column("z_mm", sa.Float(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "model",
                "buyer",
                name="ck_source_is_envelopesource",
                native_enum=False,
                length=32,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("volume_mm3", sa.Float(), nullable=True),
        sa.Column("file_id", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("x_mm > 0 AND y_mm > 0 AND z_mm > 0", name="ck_order_part_envelope_positive"),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["production_order.id"],
            name=op.f("fk_order_part_envelope_order_id_production_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["order_file.id"], name=op.f("fk_order_part_envelope_file_id_order_file"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_order_part_envelope")),
    )


def downgrade() -> None:
    op.drop_table("order_part_envelope")
    op.drop_table("file_geometry")
    op.execute("DELETE FROM notification WHERE kind = 'order_file_revised'")
    op.execute("DELETE FROM notification_preference WHERE kind = 'order_file_revised'")
    _notification_kinds(NOTIFICATION_KINDS)
    op.drop_index("ix_file_upload_pending_expires_at", table_name="file_upload")
    op.drop_table("file_upload")
    op.drop_index("ix_file_download_message_id", table_name="file_download")
    op.drop_index("ix_file_download_file_issued_at", table_name="file_download")
    op.drop_table("file_download")
    op.drop_index("ix_nda_acceptance_organisation", table_name="nda_acceptance")
    op.drop_table("nda_acceptance")
    op.drop_table("order_nda")
    op.drop_index("ix_order_file_order_created_at", table_name="order_file")
    op.drop_index("uq_order_file_document_revision", table_name="order_file")
    op.drop_table("order_file")
    op.drop_table("stored_blob")
