from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from domain.errors import DomainError, ErrorCode
from domain.money import Money
from domain.orders.models import OrderStatus, ProductionOrder, Visibility
from domain.orders.rules import OrderDraft, apply_changes, award_part, check_publishable, transition

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def draft(**overrides: object) -> OrderDraft:
    values: dict[str, object] = {
        "title": " Bracket ",
        "process": "cnc_milling",
        "material": "AlMg3",
        "quantity": 100,
        "need_by": date(2027, 5, 1),
        "delivery_region": "ru-mow",
        "budget_min": Money(100_00, "RUB"),
        "budget_max": Money(200_00, "RUB"),
        "bidding_deadline": NOW + timedelta(days=7),
    }
    values.update(overrides)
    return OrderDraft(**values)  # type: ignore[arg-type]


def refusal(call: object) -> tuple[ErrorCode, str | None]:
    with pytest.raises(DomainError) as refused:
        call()  # type: ignore[operator]
    return refused.value.code, refused.value.field


def test_a_valid_draft_is_normalised() -> None:
    checked = draft().checked(NOW)
    assert (checked.title, checked.delivery_region) == ("Bracket", "RU-MOW")


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"bidding_deadline": NOW - timedelta(minutes=1)}, (ErrorCode.DEADLINE_IN_PAST, "biddingDeadline")),
        ({"bidding_deadline": datetime(2027, 3, 9)}, (ErrorCode.INVALID, "biddingDeadline")),
        ({"need_by": date(2027, 3, 8)}, (ErrorCode.OUT_OF_RANGE, "needBy")),
        ({"budget_max": Money(200_00, "EUR")}, (ErrorCode.CURRENCY_MISMATCH, "budgetMax")),
        ({"budget_max": Money(50_00, "RUB")}, (ErrorCode.OUT_OF_RANGE, "budgetMax")),
        ({"title": "   "}, (ErrorCode.REQUIRED, "title")),
        ({"quantity": 0}, (ErrorCode.OUT_OF_RANGE, "quantity")),
        ({"process": "alchemy"}, (ErrorCode.INVALID, "process")),
        ({"delivery_region": "Moscow"}, (ErrorCode.INVALID, "deliveryRegion")),
        ({"required_certifications": ["iso_9999"]}, (ErrorCode.INVALID, "requiredCertifications")),
    ],
)
def test_invalid_drafts_are_refused_naming_the_field(
    overrides: dict[str, object], expected: tuple[ErrorCode, str]
) -> None:
    assert refusal(lambda: draft(**overrides).checked(NOW)) == expected


def test_the_lifecycle_allows_only_its_transitions() -> None:
    assert transition(OrderStatus.draft, "publish") == OrderStatus.open
    assert transition(OrderStatus.open, "award") == OrderStatus.awarded
    assert refusal(lambda: transition(OrderStatus.awarded, "award")) == (ErrorCode.ORDER_NOT_OPEN, None)
    assert refusal(lambda: transition(OrderStatus.cancelled, "cancel")) == (
        ErrorCode.ORDER_NOT_EDITABLE,
        None,
    )


def test_a_published_order_takes_only_limited_edits() -> None:
    current = draft().checked(NOW)
    later = current.bidding_deadline + timedelta(days=2)
    assert apply_changes(current, OrderStatus.open, {"bidding_deadline": later}, NOW).bidding_deadline == later
    assert refusal(lambda: apply_changes(current, OrderStatus.open, {"quantity": 5}, NOW)) == (
        ErrorCode.ORDER_NOT_EDITABLE,
        "quantity",
    )
    earlier = current.bidding_deadline - timedelta(days=1)
    assert refusal(lambda: apply_changes(current, OrderStatus.open, {"bidding_deadline": earlier}, NOW)) == (
        ErrorCode.OUT_OF_RANGE,
        "biddingDeadline",
    )
    assert refusal(lambda: apply_changes(current, OrderStatus.awarded, {"description": "x"}, NOW)) == (
        ErrorCode.ORDER_NOT_EDITABLE,
        None,
    )


def test_a_draft_changes_freely_but_is_checked_again() -> None:
    current = draft().checked(NOW)
    assert apply_changes(current, OrderStatus.draft, {"quantity": 5}, NOW).quantity == 5
    assert refusal(lambda: apply_changes(current, OrderStatus.draft, {"quantity": -5}, NOW)) == (
        ErrorCode.OUT_OF_RANGE,
        "quantity",
    )


def test_publishing_needs_time_to_bid_and_invitees_for_invited_orders() -> None:
    soon = draft(bidding_deadline=NOW + timedelta(minutes=30))
    assert refusal(lambda: check_publishable(soon, NOW)) == (ErrorCode.DEADLINE_IN_PAST, "biddingDeadline")
    invited = draft(visibility=Visibility.invited)
    assert refusal(lambda: check_publishable(invited, NOW)) == (ErrorCode.REQUIRED, "invitedManufacturerIds")
    check_publishable(draft(visibility=Visibility.invited, invited_manufacturer_ids=[uuid4()]), NOW)


def _split_order(quantity: int, awarded: int, allow_split: bool = True) -> ProductionOrder:
    # A partial order: the rule reads only these columns.
    return ProductionOrder(quantity=quantity, awarded_quantity=awarded, allow_split=allow_split)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("order", "bid_quantity", "requested", "expected"),
    [
        (_split_order(1000, 0), 600, None, 600),  # all the bid quotes for
        (_split_order(1000, 700), 600, None, 300),  # ...up to what is left
        (_split_order(1000, 700), 600, 300, 300),
        (_split_order(1000, 0, allow_split=False), 1000, None, 1000),
        (_split_order(1000, 0, allow_split=False), 1000, 1000, 1000),
    ],
)
def test_an_award_part_is_what_was_asked_or_what_the_bid_can_take(
    order: ProductionOrder, bid_quantity: int, requested: int | None, expected: int
) -> None:
    assert award_part(order, bid_quantity, requested) == expected


@pytest.mark.parametrize(
    ("order", "bid_quantity", "requested", "code"),
    [
        (_split_order(1000, 0, allow_split=False), 1000, 400, ErrorCode.SPLIT_NOT_ALLOWED),
        (_split_order(1000, 0), 600, 601, ErrorCode.OUT_OF_RANGE),
        (_split_order(1000, 900), 600, 101, ErrorCode.OUT_OF_RANGE),
        (_split_order(1000, 0), 600, 0, ErrorCode.OUT_OF_RANGE),
    ],
)
def test_award_parts_outside_the_bid_or_what_is_left_are_refused(
    order: ProductionOrder, bid_quantity: int, requested: int, code: ErrorCode
) -> None:
    with pytest.raises(DomainError) as refused:
        award_part(order, bid_quantity, requested)
    assert (refused.value.code, refused.value.field) == (code, "quantity")
