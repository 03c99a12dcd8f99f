"""Users' inbox entries and their per-kind preferences (in the app, by e-mail)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, Column, ForeignKey, Identity, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ, enum_type


class NotificationKind(StrEnum):
    order_matched = "order_matched"  # a new open order matches one of your saved searches
    bid_received = "bid_received"  # a bid on your order
    bid_awarded = "bid_awarded"  # your bid won
    bid_lost = "bid_lost"  # the order went to another bid (with feedback)
    contract_updated = "contract_updated"  # a contract of yours took a step
    deadline_soon = "deadline_soon"  # a bidding deadline or a contract step is due within 24 hours
    question_asked = "question_asked"  # a bidder asked about your order
    question_answered = "question_answered"  # the buyer answered a question on an order you bid on or were invited to
    message_received = "message_received"  # the other party wrote on a contract
    review_received = "review_received"  # the other party reviewed you (visible once published)
    order_file_revised = "order_file_revised"  # the buyer revised a drawing or model of an order you bid on


class Notification(SQLModel, table=True):
    """One user's inbox entry. Written in the transaction of what it tells about; e-mailed from the outbox."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_created_at_seq", "user_id", "created_at", "seq"),
        Index("ix_notification_user_unread", "user_id", postgresql_where=text("read_at IS NULL")),
        # Reminders and other repeatable triggers tell a user once.
        Index(
            "uq_notification_user_dedupe_key",
            "user_id",
            "dedupe_key",
            unique=True,
            postgresql_where=text("dedupe_key IS NOT NULL"),
        ),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    # Insertion order: the inbox's tie-break when several notifications share a created_at (one transaction
    # tells a user several things at once), so that newest-first is one fixed order and cursors are stable.
    seq: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=False), nullable=False, unique=True)
    )
    user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id", ondelete="CASCADE")])
    kind: NotificationKind = Field(sa_type=enum_type(NotificationKind, "kind"))
    title: str = Field(sa_type=String(200))
    body: str = Field(default="", sa_type=Text)
    # What it tells as typed figures (domain/notifications/params.py), for clients to word; None on rows written
    # before params existed, which only have the English title and body.
    params: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    # What it is about, as a Relay type name and id, so that the SPA can link to it.
    subject_type: str = Field(default="", sa_type=String(32))
    subject_id: UUID | None = None
    dedupe_key: str | None = Field(default=None, sa_type=String(200))
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    read_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)


class NotificationPreference(SQLModel, table=True):
    """Whether a user gets e-mail for a kind of notification; no row = yes. The inbox always gets it."""

    __tablename__ = "notification_preference"

    user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id", ondelete="CASCADE")], primary_key=True)
    kind: NotificationKind = Field(sa_type=enum_type(NotificationKind, "kind"), primary_key=True)
    email: bool = True
    updated_at: datetime = Field(sa_type=TIMESTAMPTZ)
