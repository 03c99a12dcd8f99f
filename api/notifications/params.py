"""A notification's figures as GraphQL types, one per thing told (domain/notifications/params.py), so that a client
words it in the reader's language: titles as given, Money as Money, instants as DateTime, regions as ISO 3166-2
codes, steps as the contract's transition name and status."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Union

import strawberry

from api.bids.types import LostBidReason, PriceBand, RankBand
from api.enums import ContractStatus
from api.money import Money
from domain.money import Money as DomainMoney
from domain.notifications import params as notice

ORDER_TITLE = "The order's title, as its buyer wrote it."


@strawberry.type(description="A new open order matches one of your saved searches.")
class OrderMatchedNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    search_name: str = strawberry.field(description="The saved search it matched.")
    quantity: int
    material: str
    delivery_region: str = strawberry.field(description="ISO 3166-2 code of the delivery region, e.g. RU-MOW.")
    bidding_deadline: datetime


@strawberry.type(description="A manufacturer bid on your order.")
class BidReceivedNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    total: Money
    lead_time_days: int


@strawberry.type(description="Your bid won: a contract awaits the buyer's funding of escrow.")
class BidAwardedNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    quantity: int = strawberry.field(description="The units the contract is for.")


@strawberry.type(description="The order went to another bid; how yours compared.")
class BidLostNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    rank_band: RankBand
    price_band: PriceBand
    by_unit_price: bool = strawberry.field(description="The bands compare unit prices (a split order), else totals.")
    lost_reason: LostBidReason | None = strawberry.field(
        description="Why the buyer chose another bid, when the buyer said."
    )


@strawberry.type(description="A contract of yours took a step.")
class ContractStepTakenNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    transition: str = strawberry.field(description="The lifecycle transition taken, as in ContractEvent.transition.")
    status: ContractStatus = strawberry.field(description="Where the contract is now.")


@strawberry.type(description="The contract that beat your bid was cancelled: your bid is in the running again.")
class BidReinstatedNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    valid_until: date = strawberry.field(description="Your bid stands until this day: confirm it or withdraw it.")


@strawberry.type(description="A cancelled contract gave its quantity back: you may award it again.")
class AwardReopenedNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    quantity: int = strawberry.field(description="The units to award again.")
    bids_reinstated: int = strawberry.field(description="Bids that still hold and can be awarded.")


@strawberry.type(description="A card payment for a contract's escrow failed; the contract still awaits funding.")
class CardPaymentFailedNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    bank_reason: str = strawberry.field(description="The bank's own words, in its language; empty when it gave none.")


@strawberry.type(description="The buyer's bank disputes a card payment: payments on the contract are frozen.")
class ChargebackOpenedNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    amount: Money
    bank_reason: str = strawberry.field(description="The bank's reason code as given; empty when none.")


@strawberry.type(description="A card chargeback closed.")
class ChargebackClosedNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    lost: bool = strawberry.field(description="The bank took the payment back: the contract needs settling.")
    outcome: str = strawberry.field(description="The payment provider's dispute status (won, lost…).")


@strawberry.type(description="A refund was made in the payment provider outside the exchange; escrow records it.")
class CardRefundRecordedNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    amount: Money


@strawberry.type(description="For operators: a payout or refund failed through the provider and was given up.")
class ProviderPaymentGivenUpNotice:
    payment_kind: str = strawberry.field(description="payout or refund.")
    attempts: int
    last_error: str = strawberry.field(description="The provider's last answer, as given.")


@strawberry.type(description="Bidding on an order closes within 24 hours.")
class BiddingClosesSoonNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    bidding_deadline: datetime
    invited: bool = strawberry.field(description="You were invited and have not bid yet (else: it is your order).")


@strawberry.type(description="A contract step of yours is due within 24 hours, or its timer takes it.")
class ContractStepDueNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    status: ContractStatus = strawberry.field(
        description="The waiting state whose timer runs out: pending funding, shipped or inspection."
    )
    due_at: datetime


@strawberry.type(description="A bidder asked about your order.")
class QuestionAskedNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    question: str = strawberry.field(description="An excerpt.")


@strawberry.type(description="The buyer answered a question on an order you bid on or were invited to.")
class QuestionAnsweredNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    question: str = strawberry.field(description="An excerpt.")
    answer: str = strawberry.field(description="An excerpt.")


@strawberry.type(description="The other party wrote on a contract.")
class MessageReceivedNotice:
    excerpt: str = strawberry.field(description="The message's beginning; empty when it is attachments only.")
    attachment_count: int


@strawberry.type(description="The other party reviewed you on a completed contract.")
class ReviewReceivedNotice:
    visible_now: bool = strawberry.field(
        description="Published now (both sides reviewed); else once you review too or the review period ends."
    )


@strawberry.type(description="The buyer revised a drawing or model of an order you bid on.")
class OrderFileRevisedNotice:
    order_title: str = strawberry.field(description=ORDER_TITLE)
    file_name: str
    revision: int
    note: str = strawberry.field(description="The buyer's note on the revision; may be empty.")


NotificationParams = Annotated[
    Union[  # noqa: UP007
        OrderMatchedNotice,
        BidReceivedNotice,
        BidAwardedNotice,
        BidLostNotice,
        ContractStepTakenNotice,
        BidReinstatedNotice,
        AwardReopenedNotice,
        CardPaymentFailedNotice,
        ChargebackOpenedNotice,
        ChargebackClosedNotice,
        CardRefundRecordedNotice,
        ProviderPaymentGivenUpNotice,
        BiddingClosesSoonNotice,
        ContractStepDueNotice,
        QuestionAskedNotice,
        QuestionAnsweredNotice,
        MessageReceivedNotice,
        ReviewReceivedNotice,
        OrderFileRevisedNotice,
    ],
    strawberry.union(
        "NotificationParams",
        description="What a notification tells, as figures to word in the reader's language (one type per thing told).",
    ),
]

_TYPES: dict[type[notice.Notice], type] = {
    notice.OrderMatched: OrderMatchedNotice,
    notice.BidReceived: BidReceivedNotice,
    notice.BidAwarded: BidAwardedNotice,
    notice.BidLost: BidLostNotice,
    notice.ContractStepTaken: ContractStepTakenNotice,
    notice.BidReinstated: BidReinstatedNotice,
    notice.AwardReopened: AwardReopenedNotice,
    notice.CardPaymentFailed: CardPaymentFailedNotice,
    notice.ChargebackOpened: ChargebackOpenedNotice,
    notice.ChargebackClosed: ChargebackClosedNotice,
    notice.CardRefundRecorded: CardRefundRecordedNotice,
    notice.ProviderPaymentGivenUp: ProviderPaymentGivenUpNotice,
    notice.BiddingClosesSoon: BiddingClosesSoonNotice,
    notice.ContractStepDue: ContractStepDueNotice,
    notice.QuestionAsked: QuestionAskedNotice,
    notice.QuestionAnswered: QuestionAnsweredNotice,
    notice.MessageReceived: MessageReceivedNotice,
    notice.ReviewReceived: ReviewReceivedNotice,
    notice.OrderFileRevised: OrderFileRevisedNotice,
}


def _value(value: Any) -> Any:
    if isinstance(value, DomainMoney):
        return Money.of(value.minor_units, value.currency)
    if isinstance(value, StrEnum):
        return value.value
    return value


def params_of(stored: dict[str, Any] | None) -> Any:
    """The stored params as their GraphQL type; None for rows written before params existed."""
    found = notice.notice_of(stored)
    if found is None:
        return None
    values = {f.name: _value(getattr(found, f.name)) for f in dataclasses.fields(found)}  # type: ignore[arg-type]
    return _TYPES[type(found)](**values)
