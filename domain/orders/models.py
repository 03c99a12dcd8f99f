"""Production orders (the RFQ a buyer posts, its status and visibility) and invitations to bid, plus
OrderRow, the read type the order board reads them into."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Index, String, Text
from sqlmodel import Field, SQLModel

from domain.columns import TEXT_ARRAY, TIMESTAMPTZ, enum_type
from domain.vocabulary import ToleranceClass


class OrderStatus(StrEnum):
    draft = "draft"
    open = "open"
    awarded = "awarded"
    cancelled = "cancelled"
    expired = "expired"


class Visibility(StrEnum):
    public = "public"
    invited = "invited"


class ProductionOrder(SQLModel, table=True):
    """A buyer's request for quotation: what to make, how many, by when, for roughly how much."""

    __tablename__ = "production_order"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="ck_order_quantity_positive"),
        CheckConstraint("awarded_quantity BETWEEN 0 AND quantity", name="ck_order_awarded_quantity"),
        CheckConstraint("budget_min_minor >= 0", name="ck_order_budget_min_non_negative"),
        CheckConstraint("budget_max_minor >= budget_min_minor", name="ck_order_budget_range"),
        CheckConstraint(
            "estimated_machine_hours IS NULL OR estimated_machine_hours > 0", name="ck_order_hours_positive"
        ),
        CheckConstraint("delivery_region ~ '^[A-Z]{2}-[A-Z0-9]{1,3}$'", name="ck_order_region_iso3166_2"),
        # The order board: open orders by deadline / newest, optionally by process or region. A board filtered by
        # process reads its page straight off an index in either order (without them, a bitmap scan and a sort
        # read all of a process's open orders for every page); by process and region, the few open orders of both
        # are found at once and sorted.
        Index("ix_order_status_created_at_id", "status", "created_at", "id"),
        Index("ix_order_status_deadline_id", "status", "bidding_deadline", "id"),
        Index("ix_order_process_status_created_at_id", "process", "status", "created_at", "id"),
        Index("ix_order_process_status_deadline_id", "process", "status", "bidding_deadline", "id"),
        Index("ix_order_process_region_status", "process", "delivery_region", "status"),
        Index("ix_order_region_status_created_at", "delivery_region", "status", "created_at"),
        Index("ix_order_buyer_created_at", "buyer_organisation_id", "created_at"),
        # The operator overview's orders by status: a small index (five values, deduplicated) counted in order.
        Index("ix_order_status", "status"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    buyer_organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id")])
    created_by_user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    status: OrderStatus = Field(sa_type=enum_type(OrderStatus, "status"))
    visibility: Visibility = Field(sa_type=enum_type(Visibility, "visibility"))
    title: str = Field(sa_type=String(200))
    description: str = Field(default="", sa_type=Text)
    process: str = Field(sa_type=String(64))
    material: str = Field(sa_type=String(120))
    quantity: int
    tolerance_class: ToleranceClass = Field(sa_type=enum_type(ToleranceClass, "tolerance_class"))
    required_certifications: list[str] = Field(default_factory=list, sa_column=Column(TEXT_ARRAY, nullable=False))
    need_by: date
    delivery_region: str = Field(sa_type=String(6))
    budget_min_minor: int = Field(sa_type=BigInteger)
    budget_max_minor: int = Field(sa_type=BigInteger)
    # Whether the budget is stated with VAT  or without; bids are compared with it like for like.
    budget_includes_vat: bool = True
    currency: str = Field(sa_type=String(3))
    bidding_deadline: datetime = Field(sa_type=TIMESTAMPTZ)
    estimated_machine_hours: int | None = None
    # Split awards: the buyer may award the quantity in parts to several bids, each part its own contract.
    allow_split: bool = False
    # Units awarded so far (the sum of the parts); the order is awarded when this reaches `quantity`.
    awarded_quantity: int = 0
    published_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    closed_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    # Set when a cancelled contract gave its quantity back: the award window runs again from then (instead of
    # from the bidding deadline), and the bids it put back may still be withdrawn although bidding has closed.
    award_reopened_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    cancel_reason: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    updated_at: datetime = Field(sa_type=TIMESTAMPTZ)


class OrderInvitation(SQLModel, table=True):
    """A manufacturer invited to an invited-only order (and to see it)."""

    __tablename__ = "order_invitation"

    order_id: UUID = Field(sa_column_args=[ForeignKey("production_order.id", ondelete="CASCADE")], primary_key=True)
    manufacturer_organisation_id: UUID = Field(
        sa_column_args=[ForeignKey("organisation.id", ondelete="CASCADE")], primary_key=True, index=True
    )
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)


class OrderRow(NamedTuple):
    """An order as the board reads it (list_orders): the table's columns in order, read-only."""

    id: UUID
    buyer_organisation_id: UUID
    created_by_user_id: UUID
    status: OrderStatus
    visibility: Visibility
    title: str
    description: str
    process: str
    material: str
    quantity: int
    tolerance_class: ToleranceClass
    required_certifications: list[str]
    need_by: date
    delivery_region: str
    budget_min_minor: int
    budget_max_minor: int
    budget_includes_vat: bool
    currency: str
    bidding_deadline: datetime
    estimated_machine_hours: int | None
    allow_split: bool
    awarded_quantity: int
    published_at: datetime | None
    closed_at: datetime | None
    award_reopened_at: datetime | None
    cancel_reason: str
    created_at: datetime
    updated_at: datetime


class OrderJsonRow(NamedTuple):
    """An order of the board read as its JSON (domain/sql_json.py, list_orders_json): its id, the sort keys the
    page's cursors are written from, and the text of the order's selected fields."""

    id: UUID
    created_at: datetime
    bidding_deadline: datetime
    need_by: date
    json: str | None
