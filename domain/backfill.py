"""Where each data backfill stands (exchange/backfill.py runs them): a backfill walks its table in key order, a
batch per transaction, and records the last key it finished with the batch, so that a stopped run resumes there."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ


class BackfillProgress(SQLModel, table=True):
    __tablename__ = "backfill_progress"

    name: str = Field(primary_key=True, sa_type=String(64))
    # The key of the last row done (as text; '' before the first batch).
    last_key: str = Field(default="", sa_type=String(128))
    rows_done: int = 0
    started_at: datetime = Field(sa_type=TIMESTAMPTZ)
    updated_at: datetime = Field(sa_type=TIMESTAMPTZ)
    finished_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
