from __future__ import annotations

from datetime import date

import strawberry

from api.bids.types import Bid
from api.context import Info
from api.errors import ACTION_ERRORS, ConflictError, InvalidStateError, NotEligibleError, result_union
from api.money import MoneyInput
from api.relay import decode_id
from domain.bids import service
from domain.bids.rules import BidTerms
from domain.uow import UnitOfWork


@strawberry.input(description="Price and terms; the total is unitPrice x quantity + tooling.")
class BidTermsInput:
    unit_price: MoneyInput
    tooling: MoneyInput | None = strawberry.field(default=None, description="One-off costs, if any.")
    lead_time_days: int
    valid_until: date = strawberry.field(description="No earlier than the order's bidding deadline.")
    notes: str = ""
    quantity: int | None = strawberry.field(
        default=None, description="Quote for part of the quantity (orders that allow split awards); all if omitted."
    )

    def to_domain(self) -> BidTerms:
        return BidTerms(
            unit_price=self.unit_price.to_domain("unitPrice", positive=True),
            tooling=self.tooling.to_domain("tooling") if self.tooling else None,
            lead_time_days=self.lead_time_days,
            valid_until=self.valid_until,
            notes=self.notes,
            quantity=self.quantity,
        )


@strawberry.input
class PlaceBidInput:
    order_id: strawberry.ID
    organisation_id: strawberry.ID | None = strawberry.field(
        default=None, description="The bidding manufacturer; may be omitted if you belong to one only."
    )
    terms: BidTermsInput


@strawberry.type
class BidSuccess:
    bid: Bid


PlaceBidResult = result_union(
    "PlaceBidResult", BidSuccess, *ACTION_ERRORS, ConflictError, InvalidStateError, NotEligibleError
)
ReviseBidResult = result_union("ReviseBidResult", BidSuccess, *ACTION_ERRORS, InvalidStateError, NotEligibleError)
WithdrawBidResult = result_union("WithdrawBidResult", BidSuccess, *ACTION_ERRORS, InvalidStateError)
ConfirmBidResult = result_union("ConfirmBidResult", BidSuccess, *ACTION_ERRORS, InvalidStateError)


@strawberry.type
class BidMutation:
    @strawberry.mutation(description="Quote on an open order before its deadline; one active bid per order.")
    async def place_bid(self, info: Info, input: PlaceBidInput) -> PlaceBidResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> BidSuccess:
            organisation_id = (
                decode_id(input.organisation_id, "Organisation", "organisationId") if input.organisation_id else None
            )
            row = await service.place_bid(
                uow,
                actor=ctx.actor,
                order_id=decode_id(input.order_id, "Order", "orderId"),
                organisation_id=organisation_id,
                terms=input.terms.to_domain(),
            )
            return BidSuccess(bid=Bid.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(description="Replace your active bid with new terms; the old one is kept as history.")
    async def revise_bid(self, info: Info, bid_id: strawberry.ID, terms: BidTermsInput) -> ReviseBidResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> BidSuccess:
            row = await service.revise_bid(
                uow, actor=ctx.actor, bid_id=decode_id(bid_id, "Bid", "bidId"), terms=terms.to_domain()
            )
            return BidSuccess(bid=Bid.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(description="Take your bid back before the bidding deadline.")
    async def withdraw_bid(self, info: Info, bid_id: strawberry.ID) -> WithdrawBidResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> BidSuccess:
            row = await service.withdraw_bid(uow, actor=ctx.actor, bid_id=decode_id(bid_id, "Bid", "bidId"))
            return BidSuccess(bid=Bid.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="Your bid was put back after the order's contract was cancelled: confirm it still holds (the "
        "buyer sees when). Withdraw it instead if it no longer does."
    )
    async def confirm_bid(self, info: Info, bid_id: strawberry.ID) -> ConfirmBidResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> BidSuccess:
            row = await service.confirm_bid(uow, actor=ctx.actor, bid_id=decode_id(bid_id, "Bid", "bidId"))
            return BidSuccess(bid=Bid.from_row(row))

        return await ctx.run(use_case)
