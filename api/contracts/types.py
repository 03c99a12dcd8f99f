from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api.bids.loaders import BidByIdLoader
from api.bids.types import Bid
from api.context import Info
from api.contracts.loaders import (
    ContractByIdLoader,
    ContractEventsByContractIdLoader,
    EscrowBalanceByContractIdLoader,
    LedgerLinesByContractIdLoader,
    MilestonesByContractIdLoader,
    PaymentInstructionsByContractIdLoader,
)
from api.enums import ContractStatus
from api.money import Money
from api.nodes import load_nodes
from api.orders.loaders import OrderByIdLoader
from api.orders.types import Order
from api.organisations.loaders import OrganisationByIdLoader
from api.organisations.types import Organisation
from api.relay import encode_id
from domain.contracts.models import Contract as ContractRow
from domain.contracts.models import ContractEvent as ContractEventRow
from domain.ledger.models import PaymentInstruction as PaymentInstructionRow
from domain.payments.rules import card_payment_for

if TYPE_CHECKING:
    from api.reviews.types import Review


@strawberry.type(description="One step in a contract's life: the audit log.")
class ContractEvent:
    transition: str
    from_status: ContractStatus | None  # type: ignore[valid-type]
    to_status: ContractStatus  # type: ignore[valid-type]
    payload: JSON
    created_at: datetime

    @classmethod
    def from_row(cls, row: ContractEventRow) -> ContractEvent:
        return cls(
            transition=row.transition,
            from_status=row.from_status.value if row.from_status else None,
            to_status=row.to_status.value,
            payload=row.payload,
            created_at=row.created_at,
        )


@strawberry.type(description="A share of the price, released to the manufacturer at its step.")
class Milestone:
    name: str
    trigger: str = strawberry.field(description="The transition that releases it.")
    amount: Money
    platform_fee: Money
    status: str = strawberry.field(
        description="pending, released, refunded, or partly_released (a dispute's settlement paid part of it out "
        "and refunded the rest: see released and refunded)"
    )
    released: Money = strawberry.field(description="Once settled: paid out to the manufacturer (before its fee).")
    refunded: Money = strawberry.field(description="Once settled: given back to the buyer.")
    settled_at: datetime | None


@strawberry.type(description="One posting of the escrow ledger (a transaction's postings sum to zero).")
class LedgerLine:
    kind: str = strawberry.field(description="fund, release or refund")
    account: str
    amount: Money = strawberry.field(description="Signed: money into the account is positive.")
    provider_reference: str
    created_at: datetime


@strawberry.type(description="Money the platform pays out by bank transfer; an operator confirms it.")
class PaymentInstruction:
    id: strawberry.ID
    kind: str = strawberry.field(description="payout (to the manufacturer) or refund (to the buyer)")
    amount: Money
    status: str = strawberry.field(description="pending or confirmed")
    created_at: datetime
    confirmed_at: datetime | None

    @classmethod
    def from_row(cls, row: PaymentInstructionRow) -> PaymentInstruction:
        return cls(
            id=encode_id("PaymentInstruction", row.id),
            kind=row.kind.value,
            amount=Money.of(row.amount_minor, row.currency),
            status=row.status.value,
            created_at=row.created_at,
            confirmed_at=row.confirmed_at,
        )


@strawberry.type(
    description="Card payment with Stripe.js: load the script from `jsUrl`, call `Stripe(publishableKey)`, mount "
    "the Card Element and confirm `fundContract`'s `clientSecret` with `confirmCardPayment`."
)
class CardPayment:
    publishable_key: str = strawberry.field(description="Stripe's publishable key (pk_…): public by design.")
    js_url: str = strawberry.field(description="Where to load Stripe.js from.")


@strawberry.type(description="How the buyer funds escrow.")
class FundingInstructions:
    method: str
    payment_reference: str = strawberry.field(description="Quote it on the transfer.")
    amount_due: Money
    beneficiary: str
    bank_details: str
    card: CardPayment | None = strawberry.field(
        description="Paying by card instead: only for the buyer's members, when the exchange takes cards."
    )


@strawberry.type(description="An awarded bid: visible to the buyer, the manufacturer and operators.")
class Contract(relay.Node):
    id: relay.NodeID[str]
    status: ContractStatus  # type: ignore[valid-type]
    quantity: int
    total: Money
    platform_fee: Money = strawberry.field(description="The platform's fee, deducted from the manufacturer's payouts.")
    manufacturer_net: Money = strawberry.field(description="What the manufacturer receives in all: total - fee.")
    payment_method: str
    due_at: datetime | None = strawberry.field(
        description="When the current step times out (funding, delivery confirmation, inspection)."
    )
    tracking_reference: str
    created_at: datetime
    updated_at: datetime
    order_id: strawberry.Private[UUID]
    bid_id: strawberry.Private[UUID]
    buyer_organisation_id: strawberry.Private[UUID]
    manufacturer_organisation_id: strawberry.Private[UUID]
    currency: strawberry.Private[str]
    total_minor: strawberry.Private[int]
    payment_reference: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: ContractRow) -> Contract:
        return cls(
            id=str(row.id),
            status=row.status.value,
            quantity=row.quantity,
            total=Money.of(row.total_minor, row.currency),
            platform_fee=Money.of(row.platform_fee_minor, row.currency),
            manufacturer_net=Money.of(row.total_minor - row.platform_fee_minor, row.currency),
            payment_method=row.payment_method,
            due_at=row.due_at,
            tracking_reference=row.tracking_reference,
            created_at=row.created_at,
            updated_at=row.updated_at,
            order_id=row.order_id,
            bid_id=row.bid_id,
            buyer_organisation_id=row.buyer_organisation_id,
            manufacturer_organisation_id=row.manufacturer_organisation_id,
            currency=row.currency,
            total_minor=row.total_minor,
            payment_reference=row.payment_reference,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loader(ContractByIdLoader), node_ids, cls.from_row)

    @strawberry.field
    async def order(self, info: Info) -> Order | None:
        row = await info.context.loader(OrderByIdLoader).load(self.order_id)
        return Order.from_row(row) if row else None

    @strawberry.field
    async def bid(self, info: Info) -> Bid | None:
        row = await info.context.loader(BidByIdLoader).load(self.bid_id)
        return Bid.from_row(row) if row else None

    @strawberry.field
    async def buyer(self, info: Info) -> Organisation:
        row = await info.context.loader(OrganisationByIdLoader).load(self.buyer_organisation_id)
        assert row is not None
        return Organisation.from_row(row)

    @strawberry.field
    async def manufacturer(self, info: Info) -> Organisation:
        row = await info.context.loader(OrganisationByIdLoader).load(self.manufacturer_organisation_id)
        assert row is not None
        return Organisation.from_row(row)

    @strawberry.field(description="Every transition so far, oldest first.")
    async def events(self, info: Info) -> list[ContractEvent]:
        rows = await info.context.loader(ContractEventsByContractIdLoader).load(UUID(self.id))
        return [ContractEvent.from_row(row) for row in rows]

    @strawberry.field(description="The price in shares, each released at its step.")
    async def milestones(self, info: Info) -> list[Milestone]:
        rows = await info.context.loader(MilestonesByContractIdLoader).load(UUID(self.id))
        return [
            Milestone(
                name=row.name,
                trigger=row.trigger,
                amount=Money.of(row.amount_minor, self.currency),
                platform_fee=Money.of(row.fee_minor, self.currency),
                status=row.status.value,
                released=Money.of(row.released_minor, self.currency),
                refunded=Money.of(row.refunded_minor, self.currency),
                settled_at=row.settled_at,
            )
            for row in rows
        ]

    @strawberry.field(description="What escrow holds for this contract right now.")
    async def escrow_balance(self, info: Info) -> Money:
        return Money.of(await info.context.loader(EscrowBalanceByContractIdLoader).load(UUID(self.id)), self.currency)

    @strawberry.field(description="Every ledger posting on this contract, oldest first.")
    async def ledger_lines(self, info: Info) -> list[LedgerLine]:
        rows = await info.context.loader(LedgerLinesByContractIdLoader).load(UUID(self.id))
        return [
            LedgerLine(
                kind=transaction.kind,
                account=posting.account,
                amount=Money.of(posting.amount_minor, posting.currency),
                provider_reference=transaction.provider_reference,
                created_at=transaction.created_at,
            )
            for transaction, posting in rows
        ]

    @strawberry.field(description="Payouts and refunds owed by bank transfer.")
    async def payment_instructions(self, info: Info) -> list[PaymentInstruction]:
        rows = await info.context.loader(PaymentInstructionsByContractIdLoader).load(UUID(self.id))
        return [PaymentInstruction.from_row(row) for row in rows]

    @strawberry.field(
        description="The two sides' reviews once it completed: your side's always, the other's once published."
    )
    async def reviews(self, info: Info) -> list[Annotated[Review, strawberry.lazy("api.reviews.types")]]:
        from api.reviews.loaders import ReviewsByContractIdLoader
        from api.reviews.types import Review

        now = info.context.clock.now()
        rows = await info.context.loader(ReviewsByContractIdLoader).load(UUID(self.id))
        return [Review.from_row(row, now) for row in rows]

    @strawberry.field(description="While the contract awaits funding: how the buyer pays into escrow.")
    async def funding_instructions(self, info: Info) -> FundingInstructions | None:
        if self.status != "pending_funding":
            return None
        held = await info.context.loader(EscrowBalanceByContractIdLoader).load(UUID(self.id))
        given = info.context.deps.payments.provider.funding_instructions(
            payment_reference=self.payment_reference, currency=self.currency, amount_due_minor=self.total_minor - held
        )
        card = card_payment_for(
            info.context.actor,
            buyer_organisation_id=self.buyer_organisation_id,
            settings=info.context.deps.payments.provider.card_payment,
        )
        return FundingInstructions(
            method=given.method,
            payment_reference=given.payment_reference,
            amount_due=Money.of(given.amount_due_minor, given.currency),
            beneficiary=given.beneficiary,
            bank_details=given.bank_details,
            card=CardPayment(publishable_key=card.publishable_key, js_url=card.js_url) if card else None,
        )


@strawberry.type
class ContractConnection(relay.Connection[Contract]):
    """A page of contracts."""
