"""Contracts (an awarded bid, its price, escrow and status), their milestones, and the event log of every
transition. The statuses and transitions themselves are process.py's."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Identity,
    Index,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ, enum_type
from domain.contracts.process import ContractStatus
from domain.taxes.models import VatTreatment


class Contract(SQLModel, table=True):
    """An awarded bid: what the buyer and the manufacturer agreed. Its lifecycle is in process.py."""

    __tablename__ = "contract"
    __table_args__ = (
        Index("ix_contract_buyer_created_at", "buyer_organisation_id", "created_at"),
        Index("ix_contract_manufacturer_created_at", "manufacturer_organisation_id", "created_at"),
        # The timer sweep: contracts whose waiting state times out, soonest first.
        Index("ix_contract_due_at", "due_at", postgresql_where=text("due_at IS NOT NULL")),
        # The operator's queues by state (disputed contracts, the longest waiting first): a page read off the index
        # instead of every contract scanned and sorted (bench/README.md, "datamend: indexes").
        Index("ix_contract_status_updated_at_id", "status", "updated_at", "id"),
        CheckConstraint("platform_fee_minor >= 0 AND platform_fee_minor <= total_minor", name="ck_contract_fee"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    order_id: UUID = Field(sa_column_args=[ForeignKey("production_order.id")], index=True)
    bid_id: UUID = Field(sa_column_args=[ForeignKey("bid.id")], unique=True)
    buyer_organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id")])
    manufacturer_organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id")])
    status: ContractStatus = Field(sa_type=enum_type(ContractStatus, "status"))
    quantity: int
    total_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(sa_type=String(3))
    platform_fee_minor: int = Field(default=0, sa_type=BigInteger)
    # VAT fixed at award (domain/taxes): the seller's, included in total_minor (per line, from the bid), and the
    # platform's rate on its fee (included in platform_fee_minor); null rates: no VAT.
    vat_treatment: VatTreatment = Field(
        default=VatTreatment.NOT_STATED, sa_type=enum_type(VatTreatment, "vat_treatment")
    )
    vat_rate: Decimal | None = Field(default=None, sa_type=Numeric(5, 2))
    vat_minor: int = Field(default=0, sa_type=BigInteger)
    fee_vat_rate: Decimal | None = Field(default=None, sa_type=Numeric(5, 2))
    payment_method: str = Field(default="bank_transfer", sa_type=String(32))
    # What the buyer quotes on its bank transfer so that the operator can match it to this contract.
    payment_reference: str = Field(sa_type=String(32), unique=True)
    # When the current waiting state times out (funding, delivery confirmation, inspection); null if never.
    due_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    tracking_reference: str = Field(default="", sa_type=String(200))
    # Card funding through Stripe: the PaymentIntent that pays into escrow (refunds go back through it).
    stripe_payment_intent_id: str | None = Field(default=None, sa_type=String(64))
    # A card chargeback is open on the funding payment: nothing is released (nor timed out) until it closes.
    chargeback_open: bool = False
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    updated_at: datetime = Field(sa_type=TIMESTAMPTZ)


class MilestoneStatus(StrEnum):
    pending = "pending"
    released = "released"
    refunded = "refunded"
    partly_released = "partly_released"  # a dispute's settlement paid part of it out and refunded the rest


class Milestone(SQLModel, table=True):
    """A share of the contract price, released to the manufacturer when its trigger transition happens."""

    __tablename__ = "contract_milestone"
    __table_args__ = (
        UniqueConstraint("contract_id", "position", name="uq_contract_milestone_position"),
        CheckConstraint(
            "amount_minor >= 0 AND fee_minor >= 0 AND fee_minor <= amount_minor", name="ck_milestone_money"
        ),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    contract_id: UUID = Field(sa_column_args=[ForeignKey("contract.id", ondelete="CASCADE")])
    position: int
    name: str = Field(sa_type=String(64))
    # The transition that releases it: approve_first_article, or accept (auto_accept, resolve release too).
    trigger: str = Field(sa_type=String(64))
    amount_minor: int = Field(sa_type=BigInteger)
    fee_minor: int = Field(sa_type=BigInteger)
    status: MilestoneStatus = Field(default=MilestoneStatus.pending, sa_type=enum_type(MilestoneStatus, "status"))
    # Once settled: how much of `amount_minor` went to the manufacturer (gross of its fee share) and back to the buyer.
    released_minor: int = Field(default=0, sa_type=BigInteger)
    refunded_minor: int = Field(default=0, sa_type=BigInteger)
    settled_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)


class ContractEvent(SQLModel, table=True):
    """The audit log: one row per transition, never updated."""

    __tablename__ = "contract_event"
    __table_args__ = (Index("ix_contract_event_contract_created_at", "contract_id", "created_at"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    # Insertion order: several steps can share one timestamp (one request, or a fake clock).
    sequence: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), nullable=False))
    contract_id: UUID = Field(sa_column_args=[ForeignKey("contract.id", ondelete="CASCADE")])
    transition: str = Field(sa_type=String(64))
    actor_user_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("app_user.id")])
    from_status: ContractStatus | None = Field(default=None, sa_type=enum_type(ContractStatus, "from_status"))
    to_status: ContractStatus = Field(sa_type=enum_type(ContractStatus, "to_status"))
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
