from __future__ import annotations

import strawberry

from api.bids.types import Bid, BidConnection
from api.context import Info
from api.enums import BidStatus
from api.errors import ACTION_ERRORS, result_union, to_user_error
from api.money import MoneyInput
from api.relay import connection, decode_id
from api.taxes.types import TaxedMoney
from domain.bids.models import BidStatus as DomainBidStatus
from domain.bids.price_split import bid_price_split
from domain.bids.service import list_my_bids
from domain.errors import DomainError
from domain.pagination import PageRequest


@strawberry.type(
    description="A bid's price as net, VAT and gross, as placeBid would fix it now: the bidder's declared tax "
    "status, the rate in force today, VAT per line (parts, tooling) rounded half up to the kopeck."
)
class BidPriceSplit:
    parts: TaxedMoney = strawberry.field(description="Unit price x quantity.")
    tooling: TaxedMoney
    total: TaxedMoney = strawberry.field(description="The lines summed (each line's VAT rounded on its own).")


BidPriceSplitResult = result_union("BidPriceSplitResult", BidPriceSplit, *ACTION_ERRORS)


@strawberry.type
class BidQuery:
    @strawberry.field(description="Your organisations' bids, newest first.")
    async def my_bids(
        self,
        info: Info,
        statuses: list[BidStatus] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> BidConnection:
        ctx = info.context
        async with ctx.db() as session:
            page = await list_my_bids(
                session,
                actor=ctx.actor,
                statuses=[DomainBidStatus(s) for s in statuses or []],
                page=PageRequest(first, after).checked(ctx.settings.max_page_size),
            )
        return connection(BidConnection, page, Bid.from_row)  # type: ignore[return-value]

    @strawberry.field(
        description="For the bid form, as a manufacturer types: its price split into net, VAT and gross by the same "
        "rule placeBid uses. `organisationId`: the bidder (may be omitted if you belong to one only). Refusals are "
        "the ones placeBid would give for the same numbers, at the same fields."
    )
    async def bid_price_split(
        self,
        info: Info,
        unit_price: MoneyInput,
        quantity: int,
        tooling: MoneyInput | None = None,
        organisation_id: strawberry.ID | None = None,
    ) -> BidPriceSplitResult:  # type: ignore[valid-type]
        ctx = info.context
        try:
            ctx.actor.require_user()
            organisation = decode_id(organisation_id, "Organisation", "organisationId") if organisation_id else None
            async with ctx.db() as session:
                split = await bid_price_split(
                    session,
                    actor=ctx.actor,
                    organisation_id=organisation,
                    unit_price=unit_price.to_domain("unitPrice", positive=True),
                    quantity=quantity,
                    tooling=tooling.to_domain("tooling") if tooling else None,
                    today=ctx.tax_day(),
                )
        except DomainError as error:
            return to_user_error(error)
        return BidPriceSplit(
            parts=TaxedMoney.of(split.parts, split.currency),
            tooling=TaxedMoney.of(split.tooling, split.currency),
            total=TaxedMoney.of(split.total, split.currency),
        )
