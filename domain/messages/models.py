"""Messages between the two sides of a contract (attachments: stored blobs, or metadata for older ones)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Column, ForeignKey, Index, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ


class ContractMessage(SQLModel, table=True):
    """A message between the two parties of a contract; visible to them and to operators only.
    Attachments: files uploaded with the message are stored by the exchange (content-addressed, `stored: true`;
    downloaded through requestMessageAttachmentDownload); older ones are metadata only (name, size, type, checksum)."""

    __tablename__ = "contract_message"
    __table_args__ = (Index("ix_contract_message_contract_created_at_id", "contract_id", "created_at", "id"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    contract_id: UUID = Field(sa_column_args=[ForeignKey("contract.id", ondelete="CASCADE")])
    author_user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    author_organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id")])
    body: str = Field(sa_type=Text)
    attachments: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
