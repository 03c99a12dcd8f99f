"""Pure rules for bids: valid terms, the price arithmetic, and the bid lifecycle."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from domain.bids.models import BidStatus
from domain.errors import DateLimits, DomainError, ErrorCode, InvalidInput, Limits, LimitUnit
from domain.money import CURRENCY_EXPONENTS, MAX_MINOR_UNITS, Money, below_least, money_limits
from domain.orders.models import OrderStatus, ProductionOrder
from domain.orders.rules import ORDER_TRANSITIONS, bidding_open, bids_withdrawable
from domain.text import check_text

MAX_LEAD_TIME_DAYS = 3650

# The bid lifecycle as data: transition -> target; every transition leaves `active` only.
BID_TRANSITIONS: dict[str, BidStatus] = {
    "withdraw": BidStatus.withdrawn,
    "revise": BidStatus.superseded,
    "accept": BidStatus.accepted,
    "reject": BidStatus.rejected,
    "expire": BidStatus.expired,
}


def takes_bids(order: ProductionOrder, now: datetime) -> bool:
    """Whether the order takes bids (and questions, revisions, withdrawals) right now."""
    try:
        bidding_open(order, now)
    except DomainError:
        return False
    return True


def changeable(status: BidStatus, order: ProductionOrder, now: datetime) -> bool:
    """Whether its bidder may still revise the bid: an active bid while bidding is open."""
    return status == BidStatus.active and takes_bids(order, now)


def withdrawable(status: BidStatus, order: ProductionOrder, now: datetime) -> bool:
    """Whether its bidder may withdraw the bid: an active bid while bidding is open, or put back on an order
    open for award again (contracts/reopen.py)."""
    try:
        bids_withdrawable(order, now)
    except DomainError:
        return False
    return status == BidStatus.active


def confirmable(status: BidStatus, order: ProductionOrder) -> bool:
    """Whether its bidder may confirm the bid still holds: an active bid on an order open for award again."""
    return status == BidStatus.active and order.status == OrderStatus.open and order.award_reopened_at is not None


def awardable(status: BidStatus, valid_until: date, order: ProductionOrder, now: datetime) -> bool:
    """Whether the buyer may accept the bid now (awardBid's checks on the order's and the bid's state)."""
    sources, _ = ORDER_TRANSITIONS["award"]
    return (
        order.status in sources
        and status == BidStatus.active
        and valid_until >= now.date()
        and order.awarded_quantity < order.quantity
    )


def transition(status: BidStatus, name: str) -> BidStatus:
    if status != BidStatus.active:
        raise DomainError(ErrorCode.BID_NOT_ACTIVE, f"the bid is {status.value}", "bidId")
    return BID_TRANSITIONS[name]


@dataclass(frozen=True, slots=True)
class BidTerms:
    unit_price: Money
    lead_time_days: int
    valid_until: date
    tooling: Money | None = None
    notes: str = ""
    # A part of the order's quantity (orders that allow split awards only); None quotes for all of it.
    quantity: int | None = None


@dataclass(frozen=True, slots=True)
class PricedBid:
    quantity: int
    unit_price_minor: int
    tooling_minor: int
    total_minor: int
    currency: str
    lead_time_days: int
    valid_until: date
    notes: str


def checked_amounts(unit_price: Money, tooling: Money | None, currency: str) -> Money:
    """A bid's unit price and tooling as it may state them in `currency`; the tooling (zero when there is none).
    placeBid, reviseBid and the bid form's live split (price_split.py) refuse the same numbers the same way."""
    if unit_price.currency != currency:
        raise InvalidInput(f"the order is priced in {currency}", "unitPrice.currency", ErrorCode.CURRENCY_MISMATCH)
    if unit_price.minor_units <= 0:
        raise below_least(currency, "unitPrice.amount", positive=True)
    tooling = tooling or Money(0, currency)
    if tooling.currency != currency:
        raise InvalidInput(f"must be in {currency}, as the unit price", "tooling.currency", ErrorCode.CURRENCY_MISMATCH)
    if tooling.minor_units < 0:
        raise below_least(currency, "tooling.amount", positive=False)
    return tooling


def checked_total(unit_price_minor: int, quantity: int, tooling_minor: int, currency: str) -> int:
    """Unit price x quantity + tooling, refused above what the exchange takes (MAX_MINOR_UNITS); the refusal
    gives the unit prices that would be taken with this quantity and tooling."""
    total = unit_price_minor * quantity + tooling_minor
    if total > MAX_MINOR_UNITS:
        most = Decimal(max(MAX_MINOR_UNITS - tooling_minor, 0) // quantity).scaleb(-CURRENCY_EXPONENTS[currency])
        raise InvalidInput(
            "the total is too large",
            "unitPrice.amount",
            ErrorCode.OUT_OF_RANGE,
            limits=replace(money_limits(currency, positive=True), max=most),
        )
    return total


def price(terms: BidTerms, order: ProductionOrder, now: datetime) -> PricedBid:
    """Check the terms against the order and work out the total: unit price x quantity + tooling."""
    tooling = checked_amounts(terms.unit_price, terms.tooling, order.currency)
    if not 1 <= terms.lead_time_days <= MAX_LEAD_TIME_DAYS:
        raise InvalidInput(
            f"must be between 1 and {MAX_LEAD_TIME_DAYS}",
            "leadTimeDays",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.DAYS, min=1, max=MAX_LEAD_TIME_DAYS),
        )
    if terms.valid_until < order.bidding_deadline.date() or terms.valid_until < now.date():
        raise InvalidInput(
            "a bid must stay valid at least until the bidding deadline",
            "validUntil",
            ErrorCode.OUT_OF_RANGE,
            date_limits=DateLimits(earliest=max(order.bidding_deadline.date(), now.date())),
        )
    quantity = order.quantity if terms.quantity is None else terms.quantity
    if not 1 <= quantity <= order.quantity:
        raise InvalidInput(
            f"must be between 1 and the order's {order.quantity}",
            "quantity",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.PIECES, min=1, max=order.quantity),
        )
    if quantity != order.quantity and not order.allow_split:
        raise DomainError(
            ErrorCode.SPLIT_NOT_ALLOWED, "the order is awarded whole: quote for all of its quantity", "quantity"
        )
    total = checked_total(terms.unit_price.minor_units, quantity, tooling.minor_units, order.currency)
    return PricedBid(
        quantity=quantity,
        unit_price_minor=terms.unit_price.minor_units,
        tooling_minor=tooling.minor_units,
        total_minor=total,
        currency=order.currency,
        lead_time_days=terms.lead_time_days,
        valid_until=terms.valid_until,
        notes=check_text(terms.notes, "notes", max_length=5000, required=False),
    )
