"""A member's saved order search, matched against newly published orders."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import Column, ForeignKey, String, Text
from sqlmodel import Field, SQLModel

from domain.columns import TEXT_ARRAY, TIMESTAMPTZ


class SavedSearch(SQLModel, table=True):
    """A manufacturer's order search (text and the order-board filters of searchOrders), kept so that new
    open orders matching it are notified to its members."""

    __tablename__ = "saved_search"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id", ondelete="CASCADE")], index=True)
    created_by_user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    name: str = Field(sa_type=String(100))
    query: str = Field(default="", sa_type=Text)
    processes: list[str] = Field(default_factory=list, sa_column=Column(TEXT_ARRAY, nullable=False))
    materials: list[str] = Field(default_factory=list, sa_column=Column(TEXT_ARRAY, nullable=False))
    certifications: list[str] = Field(default_factory=list, sa_column=Column(TEXT_ARRAY, nullable=False))
    regions: list[str] = Field(default_factory=list, sa_column=Column(TEXT_ARRAY, nullable=False))
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
