"""Bids on orders (each revision a row), the feedback a losing bidder gets, and RankedBidRow, the read type a page
of an order's bids is read into."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Numeric, String, Text, text
from sqlmodel import Field, SQLModel

from domain.bids.feedback import LostReason, PriceBand, RankBand
from domain.columns import TIMESTAMPTZ, enum_type
from domain.taxes.models import VatTreatment


class BidStatus(StrEnum):
    active = "active"
    withdrawn = "withdrawn"
    superseded = "superseded"
    accepted = "accepted"
    rejected = "rejected"
    expired = "expired"


class Bid(SQLModel, table=True):
    """A manufacturer's sealed quote on an order. A revision is a new row; the old one is superseded."""

    __tablename__ = "bid"
    __table_args__ = (
        CheckConstraint("unit_price_minor >= 0", name="ck_bid_unit_price_non_negative"),
        CheckConstraint("tooling_minor >= 0", name="ck_bid_tooling_non_negative"),
        CheckConstraint("total_minor >= 0", name="ck_bid_total_non_negative"),
        CheckConstraint("lead_time_days > 0", name="ck_bid_lead_time_positive"),
        CheckConstraint("quantity > 0", name="ck_bid_quantity_positive"),
        # At most one active bid per manufacturer per order; the database enforces it under races.
        Index(
            "uq_bid_one_active_per_manufacturer",
            "order_id",
            "manufacturer_organisation_id",
            unique=True,
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_bid_order_status_total", "order_id", "status", "total_minor"),
        Index("ix_bid_manufacturer_created_at", "manufacturer_organisation_id", "created_at"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    order_id: UUID = Field(sa_column_args=[ForeignKey("production_order.id", ondelete="CASCADE")])
    manufacturer_organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id")])
    placed_by_user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    status: BidStatus = Field(sa_type=enum_type(BidStatus, "status"))
    revision: int = 1
    previous_bid_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("bid.id")])
    # A bid put back after its order's contract was cancelled: when its bidder confirmed it still holds.
    reconfirmed_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    # The units quoted: the order's quantity, or a part of it when the order allows split awards.
    quantity: int
    unit_price_minor: int = Field(sa_type=BigInteger)
    tooling_minor: int = Field(default=0, sa_type=BigInteger)
    total_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(sa_type=String(3))
    # VAT as the manufacturer's tax status made it when the bid was placed (domain/taxes): included in the
    # prices above, worked out per line (parts, tooling); rate None for no VAT.
    vat_treatment: VatTreatment = Field(
        default=VatTreatment.NOT_STATED, sa_type=enum_type(VatTreatment, "vat_treatment")
    )
    vat_rate: Decimal | None = Field(default=None, sa_type=Numeric(5, 2))
    vat_minor: int = Field(default=0, sa_type=BigInteger)
    lead_time_days: int
    valid_until: date
    notes: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    updated_at: datetime = Field(sa_type=TIMESTAMPTZ)


class BidFeedback(SQLModel, table=True):
    """What a losing bidder learns at award (domain/bids/feedback.py): bands and the buyer's reason only."""

    __tablename__ = "bid_feedback"

    bid_id: UUID = Field(sa_column_args=[ForeignKey("bid.id", ondelete="CASCADE")], primary_key=True)
    rank_band: RankBand = Field(sa_type=enum_type(RankBand, "rank_band"))
    price_band: PriceBand = Field(sa_type=enum_type(PriceBand, "price_band"))
    reason: LostReason | None = Field(default=None, sa_type=enum_type(LostReason, "reason"))
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)


class RankedBidRow(NamedTuple):
    """A bid as a page of an order's bids reads it (bids_for_orders): the table's columns in order, read-only, and
    its place among the order's visible bids, cheapest first."""

    id: UUID
    order_id: UUID
    manufacturer_organisation_id: UUID
    placed_by_user_id: UUID
    status: BidStatus
    revision: int
    previous_bid_id: UUID | None
    reconfirmed_at: datetime | None
    quantity: int
    unit_price_minor: int
    tooling_minor: int
    total_minor: int
    currency: str
    vat_treatment: VatTreatment
    vat_rate: Decimal | None
    vat_minor: int
    lead_time_days: int
    valid_until: date
    notes: str
    created_at: datetime
    updated_at: datetime
    position: int


class RankedBidJsonRow(NamedTuple):
    """A bid of a page of bids read as its JSON (domain/sql_json.py): what the page needs besides (its id for the
    cursors, its order and place for the grouping) and the text of the bid's selected fields."""

    id: UUID
    order_id: UUID
    position: int
    json: str
