from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import strawberry
from strawberry import relay

from api.context import Info
from api.contracts.loaders import ContractByIdLoader
from api.contracts.types import Contract, PaymentInstruction
from api.enums import ContractStatus, OrderStatus
from api.manufacturers.types import Certification
from api.money import Money
from api.organisations.loaders import OrganisationByIdLoader
from api.organisations.types import Organisation
from api.relay import encode_id
from domain.contracts.settlement import Settlement
from domain.ledger.models import BankTransfer as BankTransferRow
from domain.ledger.models import PaymentInstruction as PaymentInstructionRow
from domain.manufacturers.models import Certification as CertificationRow
from domain.operator.overview import FailingMessage, Overview, TopicBacklog
from domain.payments.models import ProviderPayment as ProviderPaymentRow
from domain.payments.models import ProviderPaymentStatus


@strawberry.type
class OrderStatusCount:
    status: OrderStatus
    count: int


@strawberry.type
class ContractStatusCount:
    status: ContractStatus
    count: int


@strawberry.type(description="One outbox topic: a search index's feed of changes.")
class OutboxTopicStatus:
    topic: str = strawberry.field(description="manufacturer or order (the index it feeds), or another consumer's")
    pending: int = strawberry.field(description="Changes not yet relayed.")
    failing: int = strawberry.field(description="Pending changes that failed at least once.")
    oldest_pending_at: datetime | None
    last_relayed_at: datetime | None = strawberry.field(description="When a change last got through.")

    @classmethod
    def of(cls, row: TopicBacklog) -> OutboxTopicStatus:
        return cls(
            topic=row.topic,
            pending=row.pending,
            failing=row.failing,
            oldest_pending_at=row.oldest_pending_at,
            last_relayed_at=row.last_relayed_at,
        )


@strawberry.type(description="An outbox row the relay keeps failing on, with the last error.")
class FailingOutboxMessage:
    topic: str
    key: str
    attempts: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime

    @classmethod
    def of(cls, row: FailingMessage) -> FailingOutboxMessage:
        return cls(
            topic=row.topic,
            key=row.key,
            attempts=row.attempts,
            last_error=row.last_error,
            created_at=row.created_at,
            next_attempt_at=row.next_attempt_at,
        )


@strawberry.type(description="The exchange at a glance, for operators.")
class ExchangeOverview:
    orders_by_status: list[OrderStatusCount]
    contracts_by_status: list[ContractStatusCount]
    escrow_held: list[Money] = strawberry.field(description="What escrow holds across contracts, per currency.")
    fees_earned: list[Money] = strawberry.field(description="The platform's fees taken so far, per currency.")
    outbox: list[OutboxTopicStatus]
    failing_outbox_messages: list[FailingOutboxMessage] = strawberry.field(
        description="The worst failing outbox rows (most attempts first), at most 10."
    )
    users: int
    organisations: int
    unverified_organisations: int
    pending_payment_instructions: int

    @classmethod
    def of(cls, row: Overview) -> ExchangeOverview:
        return cls(
            orders_by_status=[OrderStatusCount(status=s.value, count=n) for s, n in row.orders_by_status.items()],
            contracts_by_status=[
                ContractStatusCount(status=s.value, count=n) for s, n in row.contracts_by_status.items()
            ],
            escrow_held=[Money.of(m.minor_units, m.currency) for m in row.escrow_held],
            fees_earned=[Money.of(m.minor_units, m.currency) for m in row.fees_earned],
            outbox=[OutboxTopicStatus.of(t) for t in row.outbox],
            failing_outbox_messages=[FailingOutboxMessage.of(f) for f in row.failing],
            users=row.users,
            organisations=row.organisations,
            unverified_organisations=row.unverified_organisations,
            pending_payment_instructions=row.pending_payment_instructions,
        )


@strawberry.type(description="An incoming wire an operator recorded against a contract.")
class BankTransfer:
    bank_transaction_id: str
    amount: Money
    received_on: date
    recorded_at: datetime

    @classmethod
    def from_row(cls, row: BankTransferRow) -> BankTransfer:
        return cls(
            bank_transaction_id=row.bank_transaction_id,
            amount=Money.of(row.amount_minor, row.currency),
            received_on=row.received_on,
            recorded_at=row.created_at,
        )


@strawberry.type(description="A contract found by its payment reference, and how far its funding has got.")
class ContractFunding:
    contract: Contract
    amount_due: Money = strawberry.field(description="The contract's price: what escrow must hold.")
    received: Money = strawberry.field(description="Paid into escrow so far (wires and cards).")
    remaining: Money = strawberry.field(description="Still to come while the contract awaits funding; else 0.")
    transfers: list[BankTransfer] = strawberry.field(description="The wires recorded against it, oldest first.")


@strawberry.type(description="A payout or refund owed by bank transfer, with whom it goes to and for which contract.")
class OperatorPaymentInstruction:
    instruction: PaymentInstruction
    row: strawberry.Private[PaymentInstructionRow]

    @classmethod
    def from_row(cls, row: PaymentInstructionRow) -> OperatorPaymentInstruction:
        return cls(instruction=PaymentInstruction.from_row(row), row=row)

    @strawberry.field(description="The organisation the money goes to (its legal id is on the transfer).")
    async def beneficiary(self, info: Info) -> Organisation:
        row = await info.context.loader(OrganisationByIdLoader).load(self.row.beneficiary_organisation_id)
        assert row is not None
        return Organisation.from_row(row)

    @strawberry.field
    async def contract(self, info: Info) -> Contract:
        row = await info.context.loader(ContractByIdLoader).load(self.row.contract_id)
        assert row is not None
        return Contract.from_row(row)


@strawberry.type
class OperatorPaymentInstructionConnection(relay.Connection[OperatorPaymentInstruction]):  # type: ignore[type-var]
    """A page of payment instructions."""


@strawberry.type(description="What settling a dispute with this release would move; nothing is moved yet.")
class SettlementPreview:
    contract: Contract
    escrow_held: Money
    release: Money = strawberry.field(description="Gross to the manufacturer, before the fee.")
    platform_fee: Money = strawberry.field(description="The platform's fee on the released part.")
    manufacturer_net: Money = strawberry.field(description="What the manufacturer receives.")
    buyer_refund: Money = strawberry.field(description="What goes back to the buyer.")

    @classmethod
    def of(cls, contract: Contract, split: Settlement, currency: str) -> SettlementPreview:
        return cls(
            contract=contract,
            escrow_held=Money.of(split.held_minor, currency),
            release=Money.of(split.released_minor, currency),
            platform_fee=Money.of(split.fee_minor, currency),
            manufacturer_net=Money.of(split.manufacturer_net_minor, currency),
            buyer_refund=Money.of(split.buyer_refund_minor, currency),
        )


@strawberry.type(description="A certificate waiting for an operator's check, with the organisation that holds it.")
class CertificateCheck:
    certification: Certification
    organisation_id: strawberry.Private[UUID]

    @classmethod
    def from_row(cls, row: CertificationRow) -> CertificateCheck:
        return cls(certification=Certification.from_row(row), organisation_id=row.organisation_id)

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation:
        row = await info.context.loader(OrganisationByIdLoader).load(self.organisation_id)
        assert row is not None
        return Organisation.from_row(row)


@strawberry.type
class CertificateCheckConnection(relay.Connection[CertificateCheck]):  # type: ignore[type-var]
    """A page of certificates to check."""


@strawberry.type(
    description="A Stripe transfer (payout) or refund the exchange could not make: refused every time until given "
    "up (failed), or still pending long after it was decided. Retry it, or resolve it by hand with a reason."
)
class ProviderPaymentIssue:
    id: strawberry.ID
    kind: str = strawberry.field(description="payout (a transfer to the manufacturer) or refund (to the buyer's card)")
    amount: Money
    status: str = strawberry.field(description="pending, failed, made, or resolved (by an operator, by hand)")
    attempts: int
    last_error: str = strawberry.field(description="The payment provider's last answer, as it gave it.")
    idempotency_key: str = strawberry.field(description="Sent with every attempt: find it in Stripe's logs.")
    funding_reference: str = strawberry.field(description="The card payment (PaymentIntent) it draws on, if any.")
    destination: str = strawberry.field(description="A payout: the manufacturer's Stripe account; else empty.")
    created_at: datetime
    next_attempt_at: datetime | None = strawberry.field(
        description="Pending: when the worker asks the provider again (an operator may retry sooner)."
    )
    provider_reference: str = strawberry.field(description="Made or resolved: the transfer, refund or wire.")
    resolved_at: datetime | None
    resolution_note: str = strawberry.field(description="Why it was resolved by hand, as the operator wrote it.")
    contract_id: strawberry.Private[UUID]

    @classmethod
    def from_row(cls, row: ProviderPaymentRow) -> ProviderPaymentIssue:
        return cls(
            id=encode_id("ProviderPayment", row.id),
            kind=row.kind,
            amount=Money.of(row.amount_minor, row.currency),
            status=row.status.value,
            attempts=row.attempts,
            last_error=row.last_error,
            idempotency_key=row.idempotency_key,
            funding_reference=row.funding_reference,
            destination=str(row.request.get("destination", "")) if row.kind == "payout" else "",
            created_at=row.created_at,
            next_attempt_at=row.claimed_until if row.status == ProviderPaymentStatus.pending else None,
            provider_reference=row.provider_reference,
            resolved_at=row.resolved_at,
            resolution_note=row.resolution_note,
            contract_id=row.contract_id,
        )

    @strawberry.field
    async def contract(self, info: Info) -> Contract:
        row = await info.context.loader(ContractByIdLoader).load(self.contract_id)
        assert row is not None
        return Contract.from_row(row)


@strawberry.type
class ProviderPaymentIssueConnection(relay.Connection[ProviderPaymentIssue]):  # type: ignore[type-var]
    """A page of provider payments that need an operator."""
