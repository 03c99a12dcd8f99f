"""Pure rules for production orders: what a valid RFQ is, what may change when, and its lifecycle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from domain.errors import DateLimits, DomainError, ErrorCode, InvalidInput, Limits, LimitUnit
from domain.manufacturers.rules import check_certifications, check_positive, check_processes
from domain.money import Money, below_least, money_limits
from domain.orders.models import OrderStatus, ProductionOrder, Visibility
from domain.organisations.rules import check_region
from domain.text import check_text
from domain.vocabulary import ToleranceClass

MAX_INVITATIONS = 200
# Bidding must stay open at least this long once published: manufacturers need time to quote.
MIN_BIDDING_WINDOW = timedelta(hours=1)

# The order lifecycle as data: transition -> (allowed sources, target).
ORDER_TRANSITIONS: dict[str, tuple[frozenset[OrderStatus], OrderStatus]] = {
    "publish": (frozenset({OrderStatus.draft}), OrderStatus.open),
    "cancel": (frozenset({OrderStatus.draft, OrderStatus.open}), OrderStatus.cancelled),
    "award": (frozenset({OrderStatus.open}), OrderStatus.awarded),
    "expire": (frozenset({OrderStatus.open}), OrderStatus.expired),
    # Its only contract was cancelled: the order is open for award again (contracts/reopen.py).
    "reopen_award": (frozenset({OrderStatus.awarded}), OrderStatus.open),
}


# The statuses in which the buyer may still edit an order (an open one within OPEN_ORDER_EDITABLE).
EDITABLE_STATUSES = frozenset({OrderStatus.draft, OrderStatus.open})


def editable(status: OrderStatus) -> bool:
    return status in EDITABLE_STATUSES


def transition(status: OrderStatus, name: str) -> OrderStatus:
    sources, target = ORDER_TRANSITIONS[name]
    if status not in sources:
        code = ErrorCode.ORDER_NOT_OPEN if sources == {OrderStatus.open} else ErrorCode.ORDER_NOT_EDITABLE
        raise DomainError(code, f"cannot {name} an order that is {status.value}")
    return target


def award_part(order: ProductionOrder, bid_quantity: int, requested: int | None) -> int:
    """How many units an award gives the bid: what was asked (by default all the bid quotes for, up to what
    is left), refused when the order is awarded whole and the part is not all of it, or when it is more than
    the bid quotes for or than is left to award."""
    left = order.quantity - order.awarded_quantity
    part = min(bid_quantity, left) if requested is None else requested
    if not order.allow_split and part != order.quantity:
        raise DomainError(ErrorCode.SPLIT_NOT_ALLOWED, "the order is awarded whole", "quantity")
    if not 1 <= part <= bid_quantity:
        raise InvalidInput(
            f"must be between 1 and the bid's {bid_quantity}",
            "quantity",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.PIECES, min=1, max=min(bid_quantity, left)),
        )
    if part > left:
        raise InvalidInput(
            f"only {left} units are left to award",
            "quantity",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.PIECES, min=1, max=min(bid_quantity, left)),
        )
    return part


def takes_bids(status: OrderStatus, bidding_deadline: datetime, now: datetime) -> bool:
    """Whether an order in `status` with that bidding deadline takes bids at `now` (bidding_open says why not)."""
    return status == OrderStatus.open and now < bidding_deadline


def bidding_open(order: ProductionOrder, now: datetime, field: str = "orderId") -> None:
    """Raise unless the order takes bids right now; `field` is the input that named the order."""
    if takes_bids(order.status, order.bidding_deadline, now):
        return
    if order.status != OrderStatus.open:
        raise DomainError(ErrorCode.ORDER_NOT_OPEN, f"the order is {order.status.value}", field)
    if now >= order.bidding_deadline:
        raise DomainError(ErrorCode.BIDDING_CLOSED, "the bidding deadline has passed", field)


def bids_withdrawable(order: ProductionOrder, now: datetime, field: str = "bidId") -> None:
    """Raise unless a bid on the order may be withdrawn now: while bidding is open, or while the order is open
    for award again after a cancelled contract (its bids were put back after the deadline)."""
    if order.status == OrderStatus.open and order.award_reopened_at is not None:
        return
    bidding_open(order, now, field)


@dataclass(frozen=True, slots=True)
class OrderDraft:
    title: str
    process: str
    material: str
    quantity: int
    need_by: date
    delivery_region: str
    budget_min: Money
    budget_max: Money
    bidding_deadline: datetime
    tolerance_class: ToleranceClass = ToleranceClass.medium
    description: str = ""
    required_certifications: Sequence[str] = ()
    visibility: Visibility = Visibility.public
    estimated_machine_hours: int | None = None
    invited_manufacturer_ids: Sequence[UUID] = ()
    allow_split: bool = False
    budget_includes_vat: bool = True  # the budget is stated with VAT (gross), else without (net)

    def checked(self, now: datetime) -> OrderDraft:
        if self.bidding_deadline.tzinfo is None:
            raise InvalidInput("give the time zone (e.g. 2027-01-31T18:00:00Z)", "biddingDeadline")
        if self.bidding_deadline <= now:
            raise InvalidInput("the bidding deadline has passed", "biddingDeadline", ErrorCode.DEADLINE_IN_PAST)
        if self.need_by <= self.bidding_deadline.date():
            raise InvalidInput(
                "must be after the bidding deadline",
                "needBy",
                ErrorCode.OUT_OF_RANGE,
                date_limits=DateLimits(earliest=self.bidding_deadline.date() + timedelta(days=1)),
            )
        if self.budget_max.currency != self.budget_min.currency:
            raise InvalidInput(
                "budgetMin and budgetMax must be in one currency", "budgetMax", ErrorCode.CURRENCY_MISMATCH
            )
        if self.budget_min.minor_units < 0:
            raise below_least(self.budget_min.currency, "budgetMin.amount", positive=False)
        # A budget "up to nothing" asks for free work: the most a buyer will pay is at least one minor unit.
        if self.budget_max.minor_units <= 0:
            raise below_least(self.budget_max.currency, "budgetMax.amount", positive=True)
        if self.budget_max.minor_units < self.budget_min.minor_units:
            raise InvalidInput(
                "must not be below budgetMin",
                "budgetMax",
                ErrorCode.OUT_OF_RANGE,
                limits=replace(money_limits(self.budget_min.currency), min=self.budget_min.amount),
            )
        if len(set(self.invited_manufacturer_ids)) > MAX_INVITATIONS:
            raise InvalidInput(
                f"invite at most {MAX_INVITATIONS}",
                "invitedManufacturerIds",
                ErrorCode.OUT_OF_RANGE,
                limits=Limits(LimitUnit.ENTRIES, max=MAX_INVITATIONS),
            )
        return replace(
            self,
            title=check_text(self.title, "title", max_length=200),
            description=check_text(self.description, "description", max_length=20_000, required=False),
            process=check_processes([self.process], "process")[0],
            material=check_text(self.material, "material", max_length=120),
            quantity=check_positive(self.quantity, "quantity", unit=LimitUnit.PIECES) or 0,
            required_certifications=check_certifications(self.required_certifications, "requiredCertifications"),
            delivery_region=check_region(self.delivery_region, "deliveryRegion"),
            estimated_machine_hours=check_positive(
                self.estimated_machine_hours, "estimatedMachineHours", upper=1_000_000, unit=LimitUnit.HOURS
            ),
            invited_manufacturer_ids=sorted(set(self.invited_manufacturer_ids)),
        )

    @classmethod
    def of(cls, order: ProductionOrder, invited: Sequence[UUID]) -> OrderDraft:
        return cls(
            title=order.title,
            process=order.process,
            material=order.material,
            quantity=order.quantity,
            need_by=order.need_by,
            delivery_region=order.delivery_region,
            budget_min=Money(order.budget_min_minor, order.currency),
            budget_max=Money(order.budget_max_minor, order.currency),
            bidding_deadline=order.bidding_deadline,
            tolerance_class=order.tolerance_class,
            description=order.description,
            required_certifications=order.required_certifications,
            visibility=order.visibility,
            estimated_machine_hours=order.estimated_machine_hours,
            invited_manufacturer_ids=invited,
            allow_split=order.allow_split,
            budget_includes_vat=order.budget_includes_vat,
        )


# Fields of an open order that may still change, and how: the rest is fixed once manufacturers quote.
OPEN_ORDER_EDITABLE = frozenset({"description", "bidding_deadline", "need_by", "invited_manufacturer_ids"})

_FIELD_NAMES = {
    "budget_min": "budgetMin",
    "budget_max": "budgetMax",
    "bidding_deadline": "biddingDeadline",
    "need_by": "needBy",
    "delivery_region": "deliveryRegion",
    "tolerance_class": "toleranceClass",
    "required_certifications": "requiredCertifications",
    "estimated_machine_hours": "estimatedMachineHours",
    "invited_manufacturer_ids": "invitedManufacturerIds",
    "allow_split": "allowSplit",
    "budget_includes_vat": "budgetIncludesVat",
}


def api_field(name: str) -> str:
    return _FIELD_NAMES.get(name, name)


def apply_changes(current: OrderDraft, status: OrderStatus, changes: dict[str, object], now: datetime) -> OrderDraft:
    """The order after `changes`, checked; refuses fields that the order's status freezes."""
    known = {f.name for f in fields(OrderDraft)}
    unknown = set(changes) - known
    if unknown:
        raise ValueError(f"unknown order fields {sorted(unknown)}")
    if status == OrderStatus.open:
        for name in sorted(changes):
            if name not in OPEN_ORDER_EDITABLE:
                raise DomainError(
                    ErrorCode.ORDER_NOT_EDITABLE,
                    "only the description, deadlines and invitations of a published order may change",
                    api_field(name),
                )
    elif not editable(status):
        raise DomainError(ErrorCode.ORDER_NOT_EDITABLE, f"the order is {status.value}")
    updated = replace(current, **changes)  # type: ignore[arg-type]
    if status == OrderStatus.open:
        if updated.bidding_deadline < current.bidding_deadline:
            raise InvalidInput(
                "a published deadline can be extended, not brought forward",
                "biddingDeadline",
                ErrorCode.OUT_OF_RANGE,
                date_limits=DateLimits(earliest=current.bidding_deadline.date()),
            )
        if updated.need_by < current.need_by:
            raise InvalidInput(
                "a published need-by date can only move later",
                "needBy",
                ErrorCode.OUT_OF_RANGE,
                date_limits=DateLimits(earliest=current.need_by),
            )
        if not set(current.invited_manufacturer_ids) <= set(updated.invited_manufacturer_ids):
            raise InvalidInput("invitations to a published order cannot be withdrawn", "invitedManufacturerIds")
    return updated.checked(now)


def check_publishable(draft: OrderDraft, now: datetime) -> None:
    draft.checked(now)
    if draft.bidding_deadline - now < MIN_BIDDING_WINDOW:
        raise InvalidInput("leave manufacturers at least an hour to bid", "biddingDeadline", ErrorCode.DEADLINE_IN_PAST)
    if draft.visibility == Visibility.invited and not draft.invited_manufacturer_ids:
        raise InvalidInput(
            "an invited-only order needs at least one invited manufacturer",
            "invitedManufacturerIds",
            ErrorCode.REQUIRED,
        )


# Statuses in which apply_changes takes changes at all (an open order only within OPEN_ORDER_EDITABLE).
EDITABLE_STATUSES = frozenset({OrderStatus.draft, OrderStatus.open})


class BuyerAction(StrEnum):
    """What the buyer's members may do with an order: the mutations updateOrder, publishOrder, cancelOrder and
    inviteManufacturers."""

    edit = "edit"
    publish = "publish"
    cancel = "cancel"
    invite = "invite"


def buyer_actions(status: OrderStatus, visibility: Visibility) -> list[BuyerAction]:
    """The actions the order's state allows its buyer now, from the same tables the mutations check (so that a
    client shows only the buttons that can work)."""
    actions = []
    if status in EDITABLE_STATUSES:
        actions.append(BuyerAction.edit)
    if status in ORDER_TRANSITIONS["publish"][0]:
        actions.append(BuyerAction.publish)
    if status in ORDER_TRANSITIONS["cancel"][0]:
        actions.append(BuyerAction.cancel)
    if visibility == Visibility.invited and status in EDITABLE_STATUSES:
        actions.append(BuyerAction.invite)
    return actions


def can_see(actor_orgs: set[UUID], is_operator: bool, order: ProductionOrder, invited: set[UUID]) -> bool:
    """Drafts: the buyer only. Published: public orders to every signed-in user, invited-only to invitees."""
    if is_operator or order.buyer_organisation_id in actor_orgs:
        return True
    if order.status == OrderStatus.draft:
        return False
    return order.visibility == Visibility.public or bool(actor_orgs & invited)
