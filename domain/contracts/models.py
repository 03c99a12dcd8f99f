from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, Column, ForeignKey, Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ, enum_type
from domain.contracts.process import ContractStatus


class Contract(SQLModel, table=True):
    """An awarded bid: what the buyer and the manufacturer agreed. Its lifecycle is in process.py."""

    __tablename__ = "contract"
    __table_args__ = (
        Index("ix_contract_buyer_created_at", "buyer_organisation_id", "created_at"),
        Index("ix_contract_manufacturer_created_at", "manufacturer_organisation_id", "created_at"),
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
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    updated_at: datetime = Field(sa_type=TIMESTAMPTZ)


class ContractEvent(SQLModel, table=True):
    """The audit log: one row per transition, never updated."""

    __tablename__ = "contract_event"
    __table_args__ = (Index("ix_contract_event_contract_created_at", "contract_id", "created_at"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    contract_id: UUID = Field(sa_column_args=[ForeignKey("contract.id", ondelete="CASCADE")])
    transition: str = Field(sa_type=String(64))
    actor_user_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("app_user.id")])
    from_status: ContractStatus | None = Field(default=None, sa_type=enum_type(ContractStatus, "from_status"))
    to_status: ContractStatus = Field(sa_type=enum_type(ContractStatus, "to_status"))
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
