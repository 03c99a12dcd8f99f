"""A bid's price as net, VAT and gross, worked out the one way placeBid fixes it on the bid: the bidder's declared
tax status and the rate in force today, VAT per line (parts, tooling) by domain/taxes/rounding.py. The bid form asks
for it as the manufacturer types (bidPriceSplit), so the figures it shows are the ones the bid will carry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.bids.rules import checked_amounts, checked_total
from domain.errors import ErrorCode, InvalidInput, Limits, LimitUnit, NotFound
from domain.money import Money
from domain.organisations.models import Organisation
from domain.taxes.amounts import TaxedAmount
from domain.taxes.rates import seller_terms
from domain.taxes.rules import VatTreatment

# Above this a quantity is no order's (the same bound keeps the arithmetic in bigint).
MAX_SPLIT_QUANTITY = 100_000_000


@dataclass(frozen=True, slots=True)
class BidPriceSplit:
    parts: TaxedAmount  # unit price x quantity
    tooling: TaxedAmount
    total: TaxedAmount  # the lines summed: each line's VAT rounded on its own
    currency: str


def split_bid_price(
    unit_price_minor: int,
    quantity: int,
    tooling_minor: int,
    currency: str,
    treatment: VatTreatment,
    rate: Decimal | None,
) -> BidPriceSplit:
    parts = TaxedAmount.included(unit_price_minor * quantity, rate, treatment)
    tooling = TaxedAmount.included(tooling_minor, rate, treatment)
    total = TaxedAmount.of_gross(parts.gross + tooling.gross, parts.vat + tooling.vat, rate, treatment)
    return BidPriceSplit(parts, tooling, total, currency)


async def bid_price_split(
    session: AsyncSession,
    *,
    actor: Actor,
    organisation_id: UUID | None,
    unit_price: Money,
    quantity: int,
    tooling: Money | None,
    today: date,
) -> BidPriceSplit:
    """The split for the actor's manufacturing organisation (the one named, or its only one), as of `today`. Reads
    and changes nothing else; refuses what placeBid would refuse about the same numbers."""
    bidder = actor.pick_organisation(organisation_id)
    tooling = checked_amounts(unit_price, tooling, unit_price.currency)
    if not 1 <= quantity <= MAX_SPLIT_QUANTITY:
        raise InvalidInput(
            f"must be between 1 and {MAX_SPLIT_QUANTITY}",
            "quantity",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.PIECES, min=1, max=MAX_SPLIT_QUANTITY),
        )
    checked_total(unit_price.minor_units, quantity, tooling.minor_units, unit_price.currency)
    organisation = await session.get(Organisation, bidder)
    if organisation is None:  # a membership outlives no organisation; kept for the type checker's sake
        raise NotFound("organisation")
    treatment, rate = await seller_terms(session, organisation, today)
    return split_bid_price(unit_price.minor_units, quantity, tooling.minor_units, unit_price.currency, treatment, rate)
