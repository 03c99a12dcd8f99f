"""The double-entry escrow ledger (transactions and postings), recorded bank transfers, and payment
instructions an operator executes at the bank."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ, enum_type


class LedgerTransaction(SQLModel, table=True):
    """One movement of money: its postings sum to zero. The idempotency key makes every posting happen once."""

    __tablename__ = "ledger_transaction"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    contract_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("contract.id")], index=True)
    kind: str = Field(sa_type=String(32))
    idempotency_key: str = Field(sa_type=String(200), unique=True)
    # The provider's payment id (bank transaction id, Stripe PaymentIntent/Transfer/Refund id), if any.
    provider_reference: str = Field(default="", sa_type=String(200))
    # A refund: the payment it went back through (the funding PaymentIntent or bank transaction's reference),
    # so that a contract paid by several payments never refunds one of them more than it paid in.
    source_reference: str = Field(default="", sa_type=String(200), sa_column_kwargs={"server_default": ""})
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)


class LedgerPosting(SQLModel, table=True):
    """A signed amount on one account. Balance of an account = the sum of its postings."""

    __tablename__ = "ledger_posting"
    __table_args__ = (
        Index("ix_ledger_posting_account", "account"),
        CheckConstraint("amount_minor <> 0", name="ck_posting_not_zero"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    transaction_id: UUID = Field(sa_column_args=[ForeignKey("ledger_transaction.id", ondelete="CASCADE")], index=True)
    account: str = Field(sa_type=String(100))
    amount_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(sa_type=String(3))


class BankTransfer(SQLModel, table=True):
    """An incoming wire an operator recorded against a contract's payment reference."""

    __tablename__ = "bank_transfer"
    __table_args__ = (CheckConstraint("amount_minor > 0", name="ck_bank_transfer_positive"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    contract_id: UUID = Field(sa_column_args=[ForeignKey("contract.id")], index=True)
    bank_transaction_id: str = Field(sa_type=String(100), unique=True)
    amount_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(sa_type=String(3))
    received_on: date
    recorded_by_user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)


class InstructionKind(StrEnum):
    payout = "payout"
    refund = "refund"


class InstructionStatus(StrEnum):
    pending = "pending"
    confirmed = "confirmed"


class PaymentInstruction(SQLModel, table=True):
    """Money the platform owes out by bank transfer (payout to a manufacturer, refund to a buyer);
    an operator executes it at the bank and confirms it here."""

    __tablename__ = "payment_instruction"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="ck_instruction_positive"),
        Index("ix_payment_instruction_status_created_at", "status", "created_at"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    contract_id: UUID = Field(sa_column_args=[ForeignKey("contract.id")], index=True)
    kind: InstructionKind = Field(sa_type=enum_type(InstructionKind, "kind"))
    beneficiary_organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id")])
    amount_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(sa_type=String(3))
    idempotency_key: str = Field(sa_type=String(200), unique=True)
    status: InstructionStatus = Field(default=InstructionStatus.pending, sa_type=enum_type(InstructionStatus, "status"))
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    confirmed_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    confirmed_by_user_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("app_user.id")])
    # The reference the operator's bank gave the transfer (the payment order's number), given when it is confirmed;
    # null while pending, and on transfers confirmed before references were kept (until an operator adds it).
    bank_reference: str | None = Field(default=None, sa_type=String(100))
