"""Capacity holds: machine-hours a live bid (soft) or contract (firm) reserves in a manufacturer's weeks."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ, enum_type


class ReservationKind(StrEnum):
    soft = "soft"  # held for an active bid
    firm = "firm"  # held for an awarded bid's contract


class CapacityReservation(SQLModel, table=True):
    """Machine-hours of one ISO week held in a manufacturer's capacity for a bid.

    A hold counts only while it is live: a soft one while its bid is active, a firm one while the bid's
    contract is not cancelled. So withdrawal, loss, expiry and cancellation release it without touching
    these rows (see domain/capacity/service.py `LIVE`).
    """

    __tablename__ = "capacity_reservation"
    __table_args__ = (
        CheckConstraint("hours > 0", name="ck_capacity_reservation_hours_positive"),
        UniqueConstraint("bid_id", "week_start", name="uq_capacity_reservation_bid_week"),
        Index(
            "ix_capacity_reservation_manufacturer_process_week", "manufacturer_organisation_id", "process", "week_start"
        ),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    manufacturer_organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id", ondelete="CASCADE")])
    bid_id: UUID = Field(sa_column_args=[ForeignKey("bid.id", ondelete="CASCADE")])
    process: str = Field(sa_type=String(64))
    # The Monday of the ISO week.
    week_start: date
    hours: int
    kind: ReservationKind = Field(sa_type=enum_type(ReservationKind, "kind"))
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
