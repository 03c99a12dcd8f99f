"""Bidders' questions on an order and the buyer's answers."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import ForeignKey, Index, Text
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ


class OrderQuestion(SQLModel, table=True):
    """A bidder's question on an open order and the buyer's answer. The answer is published to everyone who
    may bid; who asked is stored (for abuse handling) but never shown to anyone but the asker."""

    __tablename__ = "order_question"
    __table_args__ = (Index("ix_order_question_order_created_at", "order_id", "created_at"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    order_id: UUID = Field(sa_column_args=[ForeignKey("production_order.id", ondelete="CASCADE")])
    asked_by_organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id")])
    asked_by_user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    question: str = Field(sa_type=Text)
    answer: str | None = Field(default=None, sa_type=Text)
    answered_by_user_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("app_user.id")])
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    answered_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
