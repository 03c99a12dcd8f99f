"""Which earlier payment intent a new fundContract may hand out again, and who is offered card payment."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.actor import Actor, Role
from domain.payments.rules import IntentDecision, card_payment_for, funding_intent_decision
from domain.ports.payments import CardPaymentSettings, FundingIntent

CARDS = CardPaymentSettings(publishable_key="pk_test_x", js_url="https://js.stripe.com/v3/")


def intent(status: str, amount: int = 100_00) -> FundingIntent:
    return FundingIntent(id="pi_1", status=status, amount_minor=amount, client_secret="pi_1_secret_x")


def test_no_earlier_intent_means_a_new_one() -> None:
    assert funding_intent_decision(None, amount_due_minor=100_00, posted=False) == IntentDecision.create


@pytest.mark.parametrize("status", ["requires_payment_method", "requires_confirmation", "requires_action"])
def test_an_open_intent_for_the_amount_due_is_reused(status: str) -> None:
    assert funding_intent_decision(intent(status), amount_due_minor=100_00, posted=False) == IntentDecision.reuse


def test_an_open_intent_for_another_amount_is_replaced() -> None:
    decision = funding_intent_decision(intent("requires_payment_method"), amount_due_minor=60_00, posted=False)
    assert decision == IntentDecision.replace


@pytest.mark.parametrize("status", ["processing", "requires_capture", "succeeded"])
def test_a_payment_under_way_and_not_posted_is_not_started_again(status: str) -> None:
    assert funding_intent_decision(intent(status), amount_due_minor=100_00, posted=False) == IntentDecision.paying


def test_a_posted_payment_or_a_cancelled_intent_leaves_room_for_a_new_one() -> None:
    assert funding_intent_decision(intent("succeeded"), amount_due_minor=40_00, posted=True) == IntentDecision.create
    assert funding_intent_decision(intent("canceled"), amount_due_minor=100_00, posted=False) == IntentDecision.create


def test_card_payment_is_offered_to_the_buyers_members_when_cards_are_on() -> None:
    buyer_org, maker_org = uuid4(), uuid4()
    member = Actor(user_id=uuid4(), memberships={buyer_org: Role.member})
    maker = Actor(user_id=uuid4(), memberships={maker_org: Role.admin})
    operator = Actor(user_id=uuid4(), is_operator=True)

    assert card_payment_for(member, buyer_organisation_id=buyer_org, settings=CARDS) == CARDS
    assert card_payment_for(member, buyer_organisation_id=buyer_org, settings=None) is None
    assert card_payment_for(maker, buyer_organisation_id=buyer_org, settings=CARDS) is None
    assert card_payment_for(operator, buyer_organisation_id=buyer_org, settings=CARDS) is None
    assert card_payment_for(Actor(), buyer_organisation_id=buyer_org, settings=CARDS) is None
