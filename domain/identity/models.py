"""Accounts: users, their bearer tokens (stored hashed), one-time account tokens (verification, password
reset) and the throttle's counters."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, text
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ


class Language(StrEnum):
    """The language a user reads the exchange in: the web app's, and the e-mails'."""

    ru = "ru"
    en = "en"


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    # Stored lower-cased, so the unique index is case-insensitive without citext.
    email: str = Field(sa_type=String(254), unique=True)
    full_name: str = Field(sa_type=String(200))
    password_hash: str = Field(sa_type=String(200))
    is_operator: bool = False
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    # When the owner opened a link e-mailed to this address (or reset the password through one); None: not yet.
    email_verified_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    # Russian unless the person chose otherwise (at sign-up, the web app's language then; later, setMyLanguage).
    language: Language = Field(default=Language.ru, sa_type=String(2), sa_column_kwargs={"server_default": "ru"})


class AuthToken(SQLModel, table=True):
    """A bearer token. Only its SHA-256 is stored: a database leak does not leak sessions."""

    __tablename__ = "auth_token"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id", ondelete="CASCADE")], index=True)
    token_hash: bytes = Field(sa_type=LargeBinary(32), unique=True)
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    expires_at: datetime = Field(sa_type=TIMESTAMPTZ)
    revoked_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)


class AccountTokenPurpose(StrEnum):
    verify_email = "verify_email"
    reset_password = "reset_password"


class AccountToken(SQLModel, table=True):
    """A single-use token e-mailed to the account's address: its SHA-256 is what is kept. The token itself waits
    in `pending_secret` only until the mail relay has handed the message to the mail server, which clears it in
    the same transaction (the e-mail must carry the token, and the outbox row is written with the request)."""

    __tablename__ = "account_token"
    __table_args__ = (Index("ix_account_token_user_purpose", "user_id", "purpose"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id", ondelete="CASCADE")])
    purpose: AccountTokenPurpose = Field(sa_type=String(20))
    token_hash: bytes = Field(sa_type=LargeBinary(32), unique=True)
    # The address the e-mail went to: verifying proves this address, not whatever the account holds later.
    email: str = Field(sa_type=String(254))
    pending_secret: str | None = Field(default=None, sa_type=String(100))
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    expires_at: datetime = Field(sa_type=TIMESTAMPTZ)
    used_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)


class ThrottleCounter(SQLModel, table=True):
    """Attempts under one key (e.g. `sign_in:account:<email>`) in one fixed window; shared by every API process."""

    __tablename__ = "throttle_counter"
    __table_args__ = (Index("ix_throttle_counter_window_start", "window_start"),)

    key: str = Field(sa_type=String(300), primary_key=True)
    window_start: datetime = Field(sa_type=TIMESTAMPTZ, primary_key=True)
    hits: int = Field(sa_type=Integer, sa_column_kwargs={"server_default": text("0")})
