from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ


class ProviderEvent(SQLModel, table=True):
    """A webhook event, stored once (its id is the key) when it arrives, processed later by the worker."""

    __tablename__ = "provider_event"
    __table_args__ = (
        Index("ix_provider_event_unprocessed", "received_at", postgresql_where=text("processed_at IS NULL")),
    )

    id: str = Field(sa_type=String(100), primary_key=True)
    provider: str = Field(sa_type=String(32))
    type: str = Field(sa_type=String(100))
    payload: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    received_at: datetime = Field(sa_type=TIMESTAMPTZ)
    processed_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    attempts: int = 0
    last_error: str = Field(default="", sa_type=String(500))
