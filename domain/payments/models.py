"""What payment providers told us: their webhook events (received once, processed by the worker) and the
payments they report, until the ledger has posted them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Index, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ, enum_type


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


class ProviderPaymentStatus(StrEnum):
    pending = "pending"  # recorded; the provider has not (knowingly) made it yet
    made = "made"  # the provider answered; its reference is on the ledger line
    failed = "failed"  # refused MAX_ATTEMPTS times: an operator looks at it (retries it, or resolves it)
    resolved = "resolved"  # an operator made it by hand (or found it made) and said so, with a reason


class ProviderPayment(SQLModel, table=True):
    """Money to move through the payment provider (a Stripe transfer to a manufacturer, a refund to a card),
    recorded in the transaction that decided it — which holds the contract's row lock — and made after that
    commits, with no transaction open: by the same request, else by the worker. The ledger line it belongs to
    carries `pending:<id>` as its provider reference until the provider's answer replaces it. A crash or a lost
    answer between the call and the confirmation is safe: the call is repeated with the same idempotency key, and
    the provider answers with the payment it made the first time."""

    __tablename__ = "provider_payment"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="ck_provider_payment_positive"),
        Index("ix_provider_payment_pending", "created_at", postgresql_where=text("status = 'pending'")),
        Index("ix_provider_payment_failed", "created_at", postgresql_where=text("status = 'failed'")),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    contract_id: UUID = Field(sa_column_args=[ForeignKey("contract.id")], index=True)
    kind: str = Field(sa_type=String(16))  # payout | refund
    amount_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(sa_type=String(3))
    idempotency_key: str = Field(sa_type=String(200), unique=True)
    # The card payment (PaymentIntent) it draws on: a refund goes back through it, a transfer is tied to its
    # charge (`source_transaction`). A release carried by several payments is one provider payment per payment.
    funding_reference: str = Field(default="", sa_type=String(200), sa_column_kwargs={"server_default": ""})
    # The placeholder its ledger line carries until every provider payment of that line is made (a payout split
    # across several charges is one ledger line; its reference then lists the transfers).
    ledger_reference: str = Field(default="", sa_type=String(200), sa_column_kwargs={"server_default": ""})
    # What the provider needs besides the amount (destination account, funding intent, payment intent…).
    request: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    status: ProviderPaymentStatus = Field(
        default=ProviderPaymentStatus.pending, sa_type=enum_type(ProviderPaymentStatus, "status", length=16)
    )
    provider_reference: str = Field(default="", sa_type=String(200))
    attempts: int = 0
    last_error: str = Field(default="", sa_type=String(500))
    # Whoever makes the call holds it until then; a holder that died lets it go when this passes.
    claimed_until: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    made_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    # An operator's hand in it (domain/operator/provider_payments.py): who resolved it by hand, when and why.
    resolved_by_user_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("app_user.id")])
    resolved_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    resolution_note: str = Field(default="", sa_type=String(500), sa_column_kwargs={"server_default": ""})

    @property
    def placeholder(self) -> str:
        return pending_reference(self.id)


PENDING = "pending:"


def pending_reference(payment_id: UUID) -> str:
    """The provider reference a ledger line carries while its provider payment is being made."""
    return f"{PENDING}{payment_id}"


def is_pending(provider_reference: str) -> bool:
    """Whether a ledger line's payout or refund is still being made with the provider."""
    return provider_reference.startswith(PENDING)
