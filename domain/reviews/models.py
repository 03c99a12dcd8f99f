"""Reviews the two sides of a completed contract give each other, published when both have written or the
blind period ends."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ


class Review(SQLModel, table=True):
    """One side's rating of the other after a completed contract. Blind: hidden until both sides reviewed
    (`published_at`) or the review period ends (`visible_from`), so neither can answer the other's review."""

    __tablename__ = "review"
    __table_args__ = (
        UniqueConstraint("contract_id", "author_organisation_id", name="uq_review_contract_author"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="ck_review_rating_1_to_5"),
        Index("ix_review_subject_visible_from", "subject_organisation_id", "visible_from"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    contract_id: UUID = Field(sa_column_args=[ForeignKey("contract.id", ondelete="CASCADE")])
    author_organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id")])
    subject_organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id")])
    author_user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    # The author's side: the buyer rates its manufacturer, or the manufacturer its buyer.
    by_buyer: bool
    rating: int = Field(sa_type=SmallInteger)
    text: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    # When the review period ends (completion + 14 days): visible from then on even if the other side is silent.
    visible_from: datetime = Field(sa_type=TIMESTAMPTZ)
    # Set on both reviews when the second one arrives.
    published_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
