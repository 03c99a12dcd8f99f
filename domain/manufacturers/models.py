"""What a manufacturer offers: its profile (processes, materials, quantities, part size), certificates and
weekly capacity listings. Any area may read these tables (the board, matching, capacity)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from domain.columns import TEXT_ARRAY, TIMESTAMPTZ


class ManufacturerProfile(SQLModel, table=True):
    """What a manufacturing organisation can make. One per organisation."""

    __tablename__ = "manufacturer_profile"
    __table_args__ = (
        Index("ix_manufacturer_profile_processes", "processes", postgresql_using="gin"),
        Index("ix_manufacturer_profile_materials", "materials", postgresql_using="gin"),
        CheckConstraint("min_quantity >= 1", name="ck_profile_min_quantity"),
        CheckConstraint("max_quantity IS NULL OR max_quantity >= min_quantity", name="ck_profile_quantity_range"),
    )

    organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id", ondelete="CASCADE")], primary_key=True)
    processes: list[str] = Field(default_factory=list, sa_column=Column(TEXT_ARRAY, nullable=False))
    materials: list[str] = Field(default_factory=list, sa_column=Column(TEXT_ARRAY, nullable=False))
    max_part_x_mm: int | None = None
    max_part_y_mm: int | None = None
    max_part_z_mm: int | None = None
    min_quantity: int = 1
    max_quantity: int | None = None
    description: str = Field(default="", sa_type=Text)
    updated_at: datetime = Field(sa_type=TIMESTAMPTZ)


class Certification(SQLModel, table=True):
    __tablename__ = "certification"
    __table_args__ = (
        UniqueConstraint("organisation_id", "standard", name="uq_certification_org_standard"),
        Index("ix_certification_standard_valid_until", "standard", "valid_until"),
        # The operator's queue of certificates nobody checked yet, oldest first.
        Index("ix_certification_unchecked", "created_at", "id", postgresql_where=text("verified_at IS NULL")),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id", ondelete="CASCADE")])
    standard: str = Field(sa_type=String(64))
    certificate_number: str = Field(sa_type=String(100))
    issued_by: str = Field(default="", sa_type=String(200))
    valid_until: date
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    # An operator compared the certificate with the issuer's register; a renewal clears it.
    verified_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    verified_by_user_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("app_user.id")])


class CapacityListing(SQLModel, table=True):
    """Spare capacity a manufacturer offers: machine-hours per week for one process over a period."""

    __tablename__ = "capacity_listing"
    __table_args__ = (
        CheckConstraint("machine_hours_per_week > 0", name="ck_capacity_hours_positive"),
        CheckConstraint("machine_hours_per_week <= 168 * 1000", name="ck_capacity_hours_sane"),
        CheckConstraint("available_to >= available_from", name="ck_capacity_period"),
        CheckConstraint("hourly_rate_minor >= 0", name="ck_capacity_rate_non_negative"),
        # Covering: the fit ranking sums a process's current listings per manufacturer from the index alone.
        Index(
            "ix_capacity_listing_process_period",
            "process",
            "available_to",
            "available_from",
            postgresql_include=["organisation_id", "machine_hours_per_week", "hourly_rate_minor", "currency"],
        ),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id", ondelete="CASCADE")], index=True)
    process: str = Field(sa_type=String(64))
    machine_hours_per_week: int
    available_from: date
    available_to: date
    hourly_rate_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(sa_type=String(3))
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
