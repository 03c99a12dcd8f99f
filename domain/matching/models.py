"""The manufacturer's record as matching reads it: kept per organisation so that ranking does not recount it.

A materialisation of `queries.history_totals` (the definition), refreshed in the same transaction as every
change that can move it (records.refresh_records): a shipment or dispute on a contract, an invitation to a
published order, a published order with invitations, a first bid on an order the bidder was invited to.
Organisations without any record have no row (read as zeros).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import ForeignKey
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ


class ManufacturerRecord(SQLModel, table=True):
    __tablename__ = "manufacturer_record"

    organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id", ondelete="CASCADE")], primary_key=True)
    delivered: int
    delivered_on_time: int
    disputed: int
    invitations: int
    invitations_bid: int
    updated_at: datetime = Field(sa_type=TIMESTAMPTZ)
