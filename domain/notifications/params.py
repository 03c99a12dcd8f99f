"""What a notification tells, as typed figures a client words in the reader's language: the order's title, the
amount as Money, the region code, the deadline as an instant, the contract step. One dataclass per thing told
(several per kind: contract_updated covers steps, payments and re-opened awards), stored as JSONB with its `shape`
beside the English title and body, which stay for text-only clients and rows written before params existed.
Enum-valued figures (bands, reasons, contract statuses) are kept as their values: notifications sit below the areas
that own those enums (tests/unit/test_domain_imports.py), and the API types them as those enums again."""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from domain.money import Money
from domain.notifications.models import NotificationKind


class Notice:
    """A notification's figures. `shape` names the dataclass in storage and in the API; `kind` is the
    notification kind (and e-mail preference) it belongs to."""

    shape: ClassVar[str]
    kind: ClassVar[NotificationKind]


@dataclass(frozen=True, slots=True)
class OrderMatched(Notice):
    shape: ClassVar[str] = "order_matched"
    kind: ClassVar[NotificationKind] = NotificationKind.order_matched
    order_title: str
    search_name: str
    quantity: int
    material: str
    delivery_region: str  # ISO 3166-2
    bidding_deadline: datetime


@dataclass(frozen=True, slots=True)
class BidReceived(Notice):
    shape: ClassVar[str] = "bid_received"
    kind: ClassVar[NotificationKind] = NotificationKind.bid_received
    order_title: str
    total: Money
    lead_time_days: int


@dataclass(frozen=True, slots=True)
class BidAwarded(Notice):
    shape: ClassVar[str] = "bid_awarded"
    kind: ClassVar[NotificationKind] = NotificationKind.bid_awarded
    order_title: str
    quantity: int  # the units the contract is for (a split award takes part of the order)


@dataclass(frozen=True, slots=True)
class BidLost(Notice):
    shape: ClassVar[str] = "bid_lost"
    kind: ClassVar[NotificationKind] = NotificationKind.bid_lost
    order_title: str
    rank_band: str  # a domain.bids.feedback.RankBand value
    price_band: str  # a PriceBand value
    by_unit_price: bool  # the bands compare unit prices (a split order), else totals
    lost_reason: str | None  # a LostReason value


@dataclass(frozen=True, slots=True)
class ContractStepTaken(Notice):
    shape: ClassVar[str] = "contract_step_taken"
    kind: ClassVar[NotificationKind] = NotificationKind.contract_updated
    order_title: str
    transition: str  # a name in domain/contracts/process.py TRANSITIONS
    status: str  # where the contract is now: a domain.contracts.process.ContractStatus value


@dataclass(frozen=True, slots=True)
class BidReinstated(Notice):
    """A cancelled contract gave its award back: the manufacturer's rejected bid is in the running again."""

    shape: ClassVar[str] = "bid_reinstated"
    kind: ClassVar[NotificationKind] = NotificationKind.contract_updated
    order_title: str
    valid_until: date


@dataclass(frozen=True, slots=True)
class AwardReopened(Notice):
    """A cancelled contract gave its quantity back: the buyer may award it again."""

    shape: ClassVar[str] = "award_reopened"
    kind: ClassVar[NotificationKind] = NotificationKind.contract_updated
    order_title: str
    quantity: int
    bids_reinstated: int


@dataclass(frozen=True, slots=True)
class CardPaymentFailed(Notice):
    shape: ClassVar[str] = "card_payment_failed"
    kind: ClassVar[NotificationKind] = NotificationKind.contract_updated
    order_title: str
    bank_reason: str  # the bank's own words through Stripe, "" when it gave none


@dataclass(frozen=True, slots=True)
class ChargebackOpened(Notice):
    shape: ClassVar[str] = "chargeback_opened"
    kind: ClassVar[NotificationKind] = NotificationKind.contract_updated
    order_title: str
    amount: Money
    bank_reason: str


@dataclass(frozen=True, slots=True)
class ChargebackClosed(Notice):
    shape: ClassVar[str] = "chargeback_closed"
    kind: ClassVar[NotificationKind] = NotificationKind.contract_updated
    order_title: str
    lost: bool  # the bank took the payment back
    outcome: str  # Stripe's dispute status (won, lost, warning_closed…)


@dataclass(frozen=True, slots=True)
class CardRefundRecorded(Notice):
    shape: ClassVar[str] = "card_refund_recorded"
    kind: ClassVar[NotificationKind] = NotificationKind.contract_updated
    order_title: str
    amount: Money


@dataclass(frozen=True, slots=True)
class ProviderPaymentGivenUp(Notice):
    shape: ClassVar[str] = "provider_payment_given_up"
    kind: ClassVar[NotificationKind] = NotificationKind.contract_updated
    payment_kind: str  # payout, refund…
    attempts: int
    last_error: str


@dataclass(frozen=True, slots=True)
class BiddingClosesSoon(Notice):
    shape: ClassVar[str] = "bidding_closes_soon"
    kind: ClassVar[NotificationKind] = NotificationKind.deadline_soon
    order_title: str
    bidding_deadline: datetime
    invited: bool  # told as an invited manufacturer that has not bid yet (else as the buyer)


@dataclass(frozen=True, slots=True)
class ContractStepDue(Notice):
    shape: ClassVar[str] = "contract_step_due"
    kind: ClassVar[NotificationKind] = NotificationKind.deadline_soon
    order_title: str
    status: str  # the waiting ContractStatus whose timer runs out (what the buyer must do follows from it)
    due_at: datetime


@dataclass(frozen=True, slots=True)
class QuestionAsked(Notice):
    shape: ClassVar[str] = "question_asked"
    kind: ClassVar[NotificationKind] = NotificationKind.question_asked
    order_title: str
    question: str  # an excerpt


@dataclass(frozen=True, slots=True)
class QuestionAnswered(Notice):
    shape: ClassVar[str] = "question_answered"
    kind: ClassVar[NotificationKind] = NotificationKind.question_answered
    order_title: str
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class MessageReceived(Notice):
    shape: ClassVar[str] = "message_received"
    kind: ClassVar[NotificationKind] = NotificationKind.message_received
    excerpt: str  # "" when the message is attachments only
    attachment_count: int


@dataclass(frozen=True, slots=True)
class ReviewReceived(Notice):
    shape: ClassVar[str] = "review_received"
    kind: ClassVar[NotificationKind] = NotificationKind.review_received
    visible_now: bool  # both sides reviewed: published now; else once you review too or the period ends


@dataclass(frozen=True, slots=True)
class OrderFileRevised(Notice):
    shape: ClassVar[str] = "order_file_revised"
    kind: ClassVar[NotificationKind] = NotificationKind.order_file_revised
    order_title: str
    file_name: str
    revision: int
    note: str


NOTICES: dict[str, type[Notice]] = {
    cls.shape: cls
    for cls in (
        OrderMatched,
        BidReceived,
        BidAwarded,
        BidLost,
        ContractStepTaken,
        BidReinstated,
        AwardReopened,
        CardPaymentFailed,
        ChargebackOpened,
        ChargebackClosed,
        CardRefundRecorded,
        ProviderPaymentGivenUp,
        BiddingClosesSoon,
        ContractStepDue,
        QuestionAsked,
        QuestionAnswered,
        MessageReceived,
        ReviewReceived,
        OrderFileRevised,
    )
}


# Storage ---------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, Money):
        return {"minor_units": value.minor_units, "currency": value.currency}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value


def as_json(notice: Notice) -> dict[str, Any]:
    assert dataclasses.is_dataclass(notice)
    fields = {f.name: _encode(getattr(notice, f.name)) for f in dataclasses.fields(notice)}
    return {"shape": notice.shape, **fields}


def _decode(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    args = [a for a in typing.get_args(kind) if a is not type(None)]
    if args:  # X | None
        return _decode(args[0], value)
    if kind is Money:
        return Money(int(value["minor_units"]), str(value["currency"]))
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    return value


def notice_of(stored: dict[str, Any] | None) -> Notice | None:
    """The stored params as their dataclass; None for rows written before params (or of a shape since retired),
    whose English title and body are all there is."""
    if not stored:
        return None
    cls = NOTICES.get(str(stored.get("shape")))
    if cls is None:
        return None
    hints = typing.get_type_hints(cls)
    try:
        values = {f.name: _decode(hints[f.name], stored[f.name]) for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    except (KeyError, ValueError, TypeError):
        return None
    return cls(**values)
