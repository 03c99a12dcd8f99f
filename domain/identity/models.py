from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    # Stored lower-cased, so the unique index is case-insensitive without citext.
    email: str = Field(sa_type=String(254), unique=True)
    full_name: str = Field(sa_type=String(200))
    password_hash: str = Field(sa_type=String(200))
    is_operator: bool = False
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)


class AuthToken(SQLModel, table=True):
    """A bearer token. Only its SHA-256 is stored: a database leak does not leak sessions."""

    __tablename__ = "auth_token"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id", ondelete="CASCADE")], index=True)
    token_hash: bytes = Field(sa_type=LargeBinary(32), unique=True)
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    expires_at: datetime = Field(sa_type=TIMESTAMPTZ)
    revoked_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
