from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast
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
from api.documents.loaders import DocumentsByContractIdLoader
from api.documents.types import ContractDocument
from api.enums import (
    ContractAction,
    ContractActionNeed,
    ContractParty,
    ContractStatus,
    ContractTimer,
    TimelineStepState,
    graphql_enum,
    value_enum,
)
from api.money import Money
from api.nodes import load_nodes
from api.orders.loaders import OrderByIdLoader
from api.orders.types import Order
from api.organisations.loaders import OrganisationByIdLoader, UserByIdLoader
from api.organisations.types import Organisation
from api.relay import encode_id
from api.reviews.loaders import ReviewsByContractIdLoader
from api.reviews.types import Review
from api.taxes.types import TaxedMoney, VatTreatment
from domain.contracts.lifecycle import parties_of
from domain.contracts.models import Contract as ContractRow
from domain.contracts.models import ContractEvent as ContractEventRow
from domain.contracts.process import (
    TRANSITIONS_BY_NAME,
    Action,
    Need,
    Party,
    available_actions,
    may_enter_a_review,
    passed_reviews,
    timer_transition,
)
from domain.contracts.process import ContractStatus as DomainContractStatus
from domain.contracts.timeline import Reached, timeline
from domain.ledger import rules as ledger_rules
from domain.ledger.models import LedgerTransaction
from domain.ledger.models import PaymentInstruction as PaymentInstructionRow
from domain.payments.models import is_pending
from domain.payments.rules import card_payment_for
from domain.reviews.rules import may_review
from domain.taxes.amounts import (
    ContractAmounts,
    ContractTaxTerms,
    TaxedAmount,
    contract_amounts_of,
    manufacturer_net,
    terms_of,
)
from domain.taxes.models import TaxStatus


def event_party(row: ContractEventRow) -> Party | None:
    """Who took the step: recorded with it, or the only actor its transition has (the award: the buyer)."""
    recorded = row.payload.get("party")
    if recorded:
        return Party(recorded)
    actors = TRANSITIONS_BY_NAME[row.transition].actors if row.transition in TRANSITIONS_BY_NAME else frozenset()
    return next(iter(actors)) if len(actors) == 1 else None


async def user_name(info: Info, user_id: UUID | None) -> str | None:
    if user_id is None:
        return None
    user = await info.context.loader(UserByIdLoader).load(user_id)
    return user.full_name if user else None


# What a step's `note` is, first found first: a step takes a reason or a note, never both (domain/contracts/lifecycle).
_NOTE_KEYS = (Need.reason.value, Need.note.value, Need.tracking_reference.value)


@strawberry.type(description="One step in a contract's life: the audit log.")
class ContractEvent:
    id: strawberry.ID = strawberry.field(
        description="The step's own id: a ledger line's refund names the step that decided it by this id."
    )
    transition: str
    from_status: ContractStatus | None
    to_status: ContractStatus
    payload: JSON
    created_at: datetime
    actor: ContractParty | None = strawberry.field(
        description="Who took the step: the buyer, the manufacturer, an operator, a timer or the payment system."
    )
    note: str = strawberry.field(
        description="What the person said with the step: the reason (rejection, dispute, cancellation), the note, "
        "or the tracking reference of a shipment; empty if nothing."
    )
    note_kind: ContractActionNeed | None = strawberry.field(
        description="Which of the step's inputs `note` is: REASON, NOTE or TRACKING_REFERENCE (a label for it); "
        "null when `note` is empty."
    )
    actor_user_id: strawberry.Private[UUID | None]
    organisation_id: strawberry.Private[UUID | None]

    @classmethod
    def from_row(cls, row: ContractEventRow, contract: Contract | None = None) -> ContractEvent:
        party = event_party(row)
        organisation_id = None
        if contract is not None and party == Party.buyer:
            organisation_id = contract.buyer_organisation_id
        elif contract is not None and party == Party.manufacturer:
            organisation_id = contract.manufacturer_organisation_id
        payload = row.payload
        kind = next((key for key in _NOTE_KEYS if payload.get(key)), None)
        return cls(
            id=encode_id("ContractEvent", row.id),
            transition=row.transition,
            from_status=row.from_status.value if row.from_status else None,
            to_status=row.to_status.value,
            payload=cast(JSON, payload),
            created_at=row.created_at,
            actor=ContractParty[party.name.upper()] if party else None,
            note=str(payload.get(kind) or "") if kind else "",
            note_kind=ContractActionNeed[kind.upper()] if kind else None,
            actor_user_id=row.actor_user_id,
            organisation_id=organisation_id,
        )

    @strawberry.field(description="The person who took the step (none for timers and the payment system).")
    async def actor_name(self, info: Info) -> str | None:
        return await user_name(info, self.actor_user_id)

    @strawberry.field(description="The organisation that took the step, when it was one of the two parties.")
    async def organisation(self, info: Info) -> Organisation | None:
        if self.organisation_id is None:
            return None
        row = await info.context.loader(OrganisationByIdLoader).load(self.organisation_id)
        return Organisation.from_row(row) if row else None


@strawberry.type(description="An action the signed-in person may take on the contract now, and what it takes.")
class AvailableContractAction:
    action: ContractAction
    needs: list[ContractActionNeed]
    irreversible: bool = strawberry.field(description="There is no way back: ask the person to confirm.")


@strawberry.type(description="A state on the contract's timeline: the main path, and a side state it went through.")
class ContractTimelineStep:
    status: ContractStatus
    state: TimelineStepState
    reached_at: datetime | None = strawberry.field(description="The last time the contract entered this state.")
    reached_by: ContractParty | None
    reached_by_user_id: strawberry.Private[UUID | None]

    @strawberry.field(description="The person whose step reached it.")
    async def reached_by_name(self, info: Info) -> str | None:
        return await user_name(info, self.reached_by_user_id)


@strawberry.type(description="When the current waiting state times out, and what happens then.")
class ContractDeadline:
    at: datetime
    timer: ContractTimer
    to_status: ContractStatus = strawberry.field(description="The state the timer moves the contract to.")


@strawberry.type(description="A share of the price, released to the manufacturer at its step.")
class Milestone:
    name: str
    trigger: str = strawberry.field(description="The transition that releases it.")
    amount: Money
    platform_fee: Money
    manufacturer_net: Money = strawberry.field(description="What the manufacturer receives of it: amount - fee.")
    amount_taxed: TaxedMoney = strawberry.field(
        description="The share with its VAT (the seller's); the shares' net, VAT and gross each sum to the total's."
    )
    platform_fee_taxed: TaxedMoney = strawberry.field(description="The platform's fee on it, the platform's VAT in it.")
    manufacturer_net_taxed: TaxedMoney = strawberry.field(
        description="What the manufacturer receives of it; its VAT is the seller's own VAT on the share."
    )
    status: str = strawberry.field(
        description="pending, released, refunded, or partly_released (a dispute's settlement paid part of it out "
        "and refunded the rest: see released and refunded)"
    )
    released: Money = strawberry.field(description="Once settled: paid out to the manufacturer (before its fee).")
    refunded: Money = strawberry.field(description="Once settled: given back to the buyer.")
    settled_at: datetime | None


RefundReason = graphql_enum(
    ledger_rules.RefundReason,
    "Why money went back to the buyer: the contract was cancelled by a party (CANCELLED) or an operator "
    "(CANCELLED_BY_OPERATOR), nobody funded it in time (FUNDING_EXPIRED), an operator decided its dispute "
    "(DISPUTE_DECIDED), a card payment came after the contract stopped waiting for money (LATE_PAYMENT) or paid more "
    "than the price (OVERPAYMENT), or the card provider refunded it outside the exchange (OUTSIDE_EXCHANGE).",
    "RefundReason",
)
RefundMethod = value_enum(
    "RefundMethod",
    {"CARD": "card", "BANK_TRANSFER": "bank_transfer"},
    "How a refund goes out: back to the card it was paid with, or by a bank transfer an operator makes.",
)


@strawberry.type(description="Where a refund came from, and how it went back to the buyer.")
class LedgerRefund:
    reason: RefundReason  # type: ignore[valid-type]
    method: RefundMethod  # type: ignore[valid-type]
    decision: ContractEvent | None = strawberry.field(
        description="The contract's step that gave the money back (the cancellation, the dispute's decision with the "
        "operator's note, the funding deadline passing): one of the contract's `events`, by id. Null for a payment's "
        "own refund and for one made outside the exchange."
    )
    refunded_payment: str | None = strawberry.field(
        description="LATE_PAYMENT and OVERPAYMENT: the card payment that was given back."
    )
    card_refund_id: str | None = strawberry.field(
        description="CARD: the card provider's refund id once the refund is made (null while it is being made)."
    )
    payment_instruction: PaymentInstruction | None = strawberry.field(
        description="BANK_TRANSFER: the transfer an operator owes the buyer, pending until they confirm they made it."
    )
    bank_reference: str | None = strawberry.field(
        default=None,
        description="BANK_TRANSFER: the reference the operator's bank gave the transfer (the payment order's number), "
        "as the buyer's bank statement will show it; null until the operator confirms the transfer.",
    )


@strawberry.type(description="One posting of the escrow ledger (a transaction's postings sum to zero).")
class LedgerLine:
    kind: str = strawberry.field(description="fund, release or refund")
    account: str
    amount: Money = strawberry.field(description="Signed: money into the account is positive.")
    provider_reference: str
    pending: bool = strawberry.field(
        description="A payout or refund still being made with the payment provider (providerReference is then a "
        "placeholder until it is done)."
    )
    source_reference: str = strawberry.field(
        description="A refund: the payment it went back through (the PaymentIntent or bank transaction it paid "
        "back); empty on other lines and on refunds recorded before refunds named their payment."
    )
    milestone_name: str | None = strawberry.field(
        default=None, description="A release: the name of the milestone it paid out; null on other lines."
    )
    bank_transaction_id: str | None = strawberry.field(
        default=None,
        description="Money in by bank transfer: the bank's transaction number as the bank statement shows it; null "
        "on other lines.",
    )
    card_payment: bool = strawberry.field(
        default=False,
        description="Money in by card (providerReference is then the card provider's payment id, not a number "
        "a person would know).",
    )
    refund: LedgerRefund | None = strawberry.field(
        default=None, description="A refund: what it came from and how it went out; null on other lines."
    )
    created_at: datetime


@strawberry.type(description="Money the platform pays out by bank transfer; an operator confirms it.")
class PaymentInstruction:
    id: strawberry.ID
    kind: str = strawberry.field(description="payout (to the manufacturer) or refund (to the buyer)")
    amount: Money
    status: str = strawberry.field(description="pending or confirmed")
    created_at: datetime
    confirmed_at: datetime | None
    bank_reference: str | None = strawberry.field(
        description="The reference the operator's bank gave the transfer (the payment order's number), given when "
        "it was confirmed; null while pending (and on transfers confirmed before references were kept)."
    )

    @classmethod
    def from_row(cls, row: PaymentInstructionRow) -> PaymentInstruction:
        return cls(
            id=encode_id("PaymentInstruction", row.id),
            kind=row.kind.value,
            amount=Money.of(row.amount_minor, row.currency),
            status=row.status.value,
            created_at=row.created_at,
            confirmed_at=row.confirmed_at,
            bank_reference=row.bank_reference,
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
    amount_due_taxed: TaxedMoney = strawberry.field(description="The amount due with the VAT in it, for the invoice.")
    beneficiary: str
    bank_details: str
    demo: bool = strawberry.field(
        description="The account is the demo one a development server shows (EXCHANGE_BANK_DETAILS unset): "
        "not to be paid into."
    )
    card: CardPayment | None = strawberry.field(
        description="Paying by card instead: only for the buyer's members, when the exchange takes cards."
    )


@strawberry.type(description="An awarded bid: visible to the buyer, the manufacturer and operators.")
class Contract(relay.Node):
    id: relay.NodeID[str]
    status: ContractStatus
    quantity: int
    total: Money
    platform_fee: Money = strawberry.field(description="The platform's fee, deducted from the manufacturer's payouts.")
    manufacturer_net: Money = strawberry.field(description="What the manufacturer receives in all: total - fee.")
    vat_treatment: VatTreatment = strawberry.field(
        description="How the price carries VAT: the bid's, from the manufacturer's tax status when it bid."
    )
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
    tax_terms: strawberry.Private[ContractTaxTerms]

    @classmethod
    def from_row(cls, row: ContractRow) -> Contract:
        return cls(
            id=str(row.id),
            status=row.status.value,
            quantity=row.quantity,
            total=Money.of(row.total_minor, row.currency),
            platform_fee=Money.of(row.platform_fee_minor, row.currency),
            manufacturer_net=Money.of(row.total_minor - row.platform_fee_minor, row.currency),
            vat_treatment=row.vat_treatment.value,
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
            tax_terms=terms_of(row),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
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
        return [ContractEvent.from_row(row, self) for row in rows]

    def _parties(self, info: Info) -> list[Party]:
        return parties_of(
            info.context.actor,
            buyer_organisation_id=self.buyer_organisation_id,
            manufacturer_organisation_id=self.manufacturer_organisation_id,
        )

    @strawberry.field(
        description="Your side of this contract: BUYER or MANUFACTURER if your organisation is a party, "
        "OPERATOR if you operate the exchange."
    )
    def viewer_party(self, info: Info) -> ContractParty | None:
        parties = self._parties(info)
        return ContractParty[parties[0].name.upper()] if parties else None

    @strawberry.field(
        description="The steps you may take now, from the lifecycle table and your side of the contract (the "
        "mutations check the same table): a review once passed is not entered again (the first article approved, "
        "SUBMIT_FIRST_ARTICLE is not offered; returned, it is), and after completion REVIEW while your side may "
        "still review."
    )
    async def available_actions(self, info: Info) -> list[AvailableContractAction]:
        parties = set(self._parties(info))
        status = DomainContractStatus(self.status)
        passed: frozenset[DomainContractStatus] = frozenset()
        if parties and may_enter_a_review(status):
            steps = await info.context.loader(ContractEventsByContractIdLoader).load(UUID(self.id))
            passed = passed_reviews((e.transition, e.to_status) for e in steps)
        actions = [
            AvailableContractAction(
                action=ContractAction[spec.action.name.upper()],
                needs=[ContractActionNeed[need.name.upper()] for need in sorted(spec.needs)],
                irreversible=spec.irreversible,
            )
            for spec in available_actions(status, parties, passed=passed)
        ]
        sides = parties & {Party.buyer, Party.manufacturer}
        if status == DomainContractStatus.completed and sides:
            events = await info.context.loader(ContractEventsByContractIdLoader).load(UUID(self.id))
            completed_at = max((e.created_at for e in events if e.to_status == status), default=None)
            reviews = await info.context.loader(ReviewsByContractIdLoader).load(UUID(self.id))
            authors = {self.buyer_organisation_id if Party.buyer in sides else self.manufacturer_organisation_id}
            if may_review(
                completed_at=completed_at,
                reviewed_already=any(r.author_organisation_id in authors for r in reviews),
                now=info.context.clock.now(),
            ):
                actions.append(
                    AvailableContractAction(
                        action=ContractAction[Action.review.name.upper()], needs=[], irreversible=True
                    )
                )
        return actions

    @strawberry.field(
        description="The lifecycle to draw: the main path's states in order (with a dispute or cancellation the "
        "contract went through), each done, current, upcoming or skipped, and when and by whom it was reached."
    )
    async def timeline(self, info: Info) -> list[ContractTimelineStep]:
        rows = await info.context.loader(ContractEventsByContractIdLoader).load(UUID(self.id))
        reached = [
            Reached(row.to_status, row.created_at, event_party(row), row.actor_user_id, row.transition) for row in rows
        ]
        return [
            ContractTimelineStep(
                status=step.status.value,
                state=TimelineStepState[step.state.name.upper()],
                reached_at=step.reached.at if step.reached else None,
                reached_by=ContractParty[step.reached.party.name.upper()]
                if step.reached and step.reached.party
                else None,
                reached_by_user_id=step.reached.user_id if step.reached else None,
            )
            for step in timeline(DomainContractStatus(self.status), reached)
        ]

    @strawberry.field(description="When the current step times out and what the timer does then; null if never.")
    def deadline(self) -> ContractDeadline | None:
        transition = timer_transition(DomainContractStatus(self.status))
        if self.due_at is None or transition is None:
            return None
        return ContractDeadline(
            at=self.due_at, timer=ContractTimer[transition.name.upper()], to_status=transition.target.value
        )

    async def _amounts(self, info: Info) -> ContractAmounts:
        """Net, VAT and gross of every amount (domain/taxes/amounts.py), from what the loaders batch."""
        ctx = info.context
        rows = await ctx.loader(MilestonesByContractIdLoader).load(UUID(self.id))
        held = await ctx.loader(EscrowBalanceByContractIdLoader).load(UUID(self.id))
        seller = await ctx.loader(OrganisationByIdLoader).load(self.manufacturer_organisation_id)
        buyer = await ctx.loader(OrganisationByIdLoader).load(self.buyer_organisation_id)
        return contract_amounts_of(
            self.tax_terms,
            milestones=[(row.amount_minor, row.fee_minor) for row in rows],
            held_minor=held,
            awaiting_funding=self.status == DomainContractStatus.pending_funding.value,
            currency=self.currency,
            seller_tax_status=seller.tax_status if seller else TaxStatus.not_stated,
            buyer_tax_status=buyer.tax_status if buyer else TaxStatus.not_stated,
        )

    @strawberry.field(description="The price with its VAT (net, VAT, gross): the seller's, fixed at award.")
    def total_taxed(self) -> TaxedMoney:
        terms = self.tax_terms
        total = TaxedAmount.of_gross(terms.total_minor, terms.vat_minor, terms.vat_rate, terms.vat_treatment)
        return TaxedMoney.of(total, self.currency)

    @strawberry.field(
        description="The platform's fee with the platform's VAT in it (a taxable service; each milestone's fee a "
        "line of its own)."
    )
    async def platform_fee_taxed(self, info: Info) -> TaxedMoney:
        return TaxedMoney.of((await self._amounts(info)).platform_fee, self.currency)

    @strawberry.field(
        description="What the manufacturer receives in all (total - fee); its VAT is the seller's own VAT on the "
        "sale, which the fee does not reduce."
    )
    async def manufacturer_net_taxed(self, info: Info) -> TaxedMoney:
        return TaxedMoney.of((await self._amounts(info)).manufacturer_net, self.currency)

    @strawberry.field(description="What escrow still waits for (total less what it holds), with the VAT in it.")
    async def escrow_due_taxed(self, info: Info) -> TaxedMoney:
        return TaxedMoney.of((await self._amounts(info)).escrow_due, self.currency)

    @strawberry.field(description="The price in shares, each released at its step.")
    async def milestones(self, info: Info) -> list[Milestone]:
        rows = await info.context.loader(MilestonesByContractIdLoader).load(UUID(self.id))
        amounts = await self._amounts(info)
        return [
            Milestone(
                name=row.name,
                trigger=row.trigger,
                amount=Money.of(row.amount_minor, self.currency),
                platform_fee=Money.of(row.fee_minor, self.currency),
                manufacturer_net=Money.of(row.amount_minor - row.fee_minor, self.currency),
                amount_taxed=TaxedMoney.of(share, self.currency),
                platform_fee_taxed=TaxedMoney.of(fee, self.currency),
                manufacturer_net_taxed=TaxedMoney.of(manufacturer_net(share, fee), self.currency),
                status=row.status.value,
                released=Money.of(row.released_minor, self.currency),
                refunded=Money.of(row.refunded_minor, self.currency),
                settled_at=row.settled_at,
            )
            for row, share, fee in zip(rows, amounts.milestones, amounts.milestone_fees, strict=True)
        ]

    @strawberry.field(description="What escrow holds for this contract right now.")
    async def escrow_balance(self, info: Info) -> Money:
        return Money.of(await info.context.loader(EscrowBalanceByContractIdLoader).load(UUID(self.id)), self.currency)

    @strawberry.field(description="Every ledger posting on this contract, oldest first.")
    async def ledger_lines(self, info: Info) -> list[LedgerLine]:
        rows = await info.context.loader(LedgerLinesByContractIdLoader).load(UUID(self.id))
        names: dict[UUID, str] = {}
        if any(ledger_rules.released_milestone(transaction.idempotency_key) for transaction, _ in rows):
            milestones = await info.context.loader(MilestonesByContractIdLoader).load(UUID(self.id))
            names = {milestone.id: milestone.name for milestone in milestones}
        refunds = await _refunds(info, UUID(self.id), [transaction for transaction, _ in rows], self)
        lines = []
        for transaction, posting in rows:
            milestone = ledger_rules.released_milestone(transaction.idempotency_key)
            by_bank = ledger_rules.is_bank_funding(transaction.kind, transaction.idempotency_key)
            lines.append(
                LedgerLine(
                    kind=transaction.kind,
                    account=posting.account,
                    amount=Money.of(posting.amount_minor, posting.currency),
                    provider_reference=transaction.provider_reference,
                    pending=is_pending(transaction.provider_reference),
                    source_reference=transaction.source_reference,
                    milestone_name=names.get(milestone) if milestone else None,
                    bank_transaction_id=transaction.provider_reference if by_bank else None,
                    card_payment=ledger_rules.is_card_funding(transaction.kind, transaction.idempotency_key),
                    refund=refunds.get(transaction.id),
                    created_at=transaction.created_at,
                )
            )
        return lines

    @strawberry.field(description="Payouts and refunds owed by bank transfer.")
    async def payment_instructions(self, info: Info) -> list[PaymentInstruction]:
        rows = await info.context.loader(PaymentInstructionsByContractIdLoader).load(UUID(self.id))
        return [PaymentInstruction.from_row(row) for row in rows]

    @strawberry.field(
        description="The two sides' reviews once it completed: your side's always, the other's once published."
    )
    async def reviews(self, info: Info) -> list[Review]:
        now = info.context.clock.now()
        rows = await info.context.loader(ReviewsByContractIdLoader).load(UUID(self.id))
        return [Review.from_row(row, now) for row in rows]

    @strawberry.field(
        description="The documents the exchange issued on this contract that you may read: the contract and the "
        "escrow invoice from the award, the closing act and fee invoices at completion; Russian first, then copies "
        "requested in other languages. Issued by the worker shortly after the step that makes them due."
    )
    async def documents(self, info: Info) -> list[ContractDocument]:
        rows = await info.context.loader(DocumentsByContractIdLoader).load(UUID(self.id))
        return [ContractDocument.from_row(row) for row in rows]

    @strawberry.field(
        description="The parties whose legal details (Organisation.legalDetails) the documents wait for, buyer first: "
        "no contract, invoice or closing document is issued with a party's реквизиты missing, and issued documents "
        "never change; they are issued as soon as both parties have stated theirs. Empty: nothing is held back."
    )
    async def documents_await_legal_details_of(self, info: Info) -> list[Organisation]:
        from api.documents.loaders import PartiesWithoutLegalDetailsLoader

        parties = (UUID(self.id), self.buyer_organisation_id, self.manufacturer_organisation_id)
        missing = await info.context.loader(PartiesWithoutLegalDetailsLoader).load(parties)
        rows = [await info.context.loader(OrganisationByIdLoader).load(org) for org in missing]
        return [Organisation.from_row(row) for row in rows if row is not None]

    @strawberry.field(description="While the contract awaits funding: how the buyer pays into escrow.")
    async def funding_instructions(self, info: Info) -> FundingInstructions | None:
        # The lifecycle table decides: instructions while the contract may still be funded.
        if DomainContractStatus(self.status) not in TRANSITIONS_BY_NAME["fund"].sources:
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
            amount_due_taxed=TaxedMoney.of((await self._amounts(info)).escrow_due, given.currency),
            beneficiary=given.beneficiary,
            bank_details=given.bank_details,
            demo=given.demo,
            card=CardPayment(publishable_key=card.publishable_key, js_url=card.js_url) if card else None,
        )


@strawberry.type
class ContractConnection(relay.Connection[Contract]):
    """A page of contracts."""


async def _refunds(
    info: Info, contract_id: UUID, transactions: list[LedgerTransaction], contract: Contract
) -> dict[UUID, LedgerRefund]:
    """Each refund transaction's origin (domain/ledger/rules.py refund_origin) with the contract's step that decided
    it and the bank transfer it became, from the contract's events and payment instructions (loaded only when the
    ledger holds a refund, batched across contracts)."""
    origins = {
        t.id: (t, origin)
        for t in transactions
        if (origin := ledger_rules.refund_origin(t.kind, t.idempotency_key)) is not None
    }
    if not origins:
        return {}
    events = await info.context.loader(ContractEventsByContractIdLoader).load(contract_id)
    instructions = await info.context.loader(PaymentInstructionsByContractIdLoader).load(contract_id)
    decided = {event.transition: event for event in events}  # oldest first: the last of each transition wins
    by_key = {instruction.idempotency_key: instruction for instruction in instructions}
    found = {}
    for transaction_id, (transaction, origin) in origins.items():
        instruction = by_key.get(transaction.idempotency_key)
        event = decided.get(origin.transition) if origin.transition else None
        done = not is_pending(transaction.provider_reference)
        found[transaction_id] = LedgerRefund(
            reason=origin.reason.value,
            method="bank_transfer" if instruction is not None else "card",
            decision=ContractEvent.from_row(event, contract) if event is not None else None,
            refunded_payment=origin.payment,
            card_refund_id=transaction.provider_reference if instruction is None and done else None,
            payment_instruction=PaymentInstruction.from_row(instruction) if instruction is not None else None,
            bank_reference=instruction.bank_reference if instruction is not None else None,
        )
    return found
