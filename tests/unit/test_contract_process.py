"""Graph checks on the declared contract lifecycle (Sharetribe-style)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.contracts import process
from domain.contracts.process import (
    FINAL_STATES,
    TIMERS,
    TRANSITIONS,
    TRANSITIONS_BY_NAME,
    ContractStatus,
    Party,
    apply,
)
from domain.errors import DomainError, ErrorCode

NOW = datetime(2027, 1, 1, tzinfo=UTC)


def test_every_state_is_reachable_from_award() -> None:
    reached: set[ContractStatus | None] = {None}
    frontier: set[ContractStatus | None] = {None}
    while frontier:
        frontier = {t.target for t in TRANSITIONS if t.sources & frontier and t.target not in reached}
        reached |= frontier
    assert reached - {None} == set(ContractStatus)


def test_final_states_have_no_way_out() -> None:
    assert FINAL_STATES == {ContractStatus.completed, ContractStatus.cancelled}
    assert [t.name for t in TRANSITIONS if t.sources & FINAL_STATES] == []


def test_every_waiting_state_has_an_actor_or_a_timer_way_out() -> None:
    for state in set(ContractStatus) - FINAL_STATES:
        exits = [t for t in TRANSITIONS if state in t.sources]
        assert exits, f"{state} is a dead end"
        assert any(t.actors - {Party.timer} for t in exits) or state in TIMERS


def test_every_timer_takes_a_transition_the_timer_may_take_from_its_state() -> None:
    for state, name in TIMERS.items():
        transition = TRANSITIONS_BY_NAME[name]
        assert state in transition.sources and Party.timer in transition.actors, name
    timer_transitions = {t.name for t in TRANSITIONS if Party.timer in t.actors}
    assert timer_transitions == set(TIMERS.values())


def test_award_creates_a_contract_pending_funding() -> None:
    decision = apply(None, "award", Party.buyer, NOW, passed=frozenset())
    assert (decision.from_status, decision.to_status, decision.at) == (
        None,
        ContractStatus.pending_funding,
        NOW,
    )


def test_a_manufacturer_may_not_award() -> None:
    with pytest.raises(DomainError) as refused:
        apply(None, "award", Party.manufacturer, NOW, passed=frozenset())
    assert refused.value.code == ErrorCode.FORBIDDEN


def test_a_transition_from_the_wrong_state_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        apply(ContractStatus.completed, "ship", Party.manufacturer, NOW, passed=frozenset())
    assert refused.value.code == ErrorCode.INVALID_TRANSITION


def test_the_questions_other_modules_ask_are_answered_from_the_table() -> None:
    # Funding: only a contract awaiting its money takes it; after that, money paid in goes back.
    assert process.awaits_funding(ContractStatus.pending_funding)
    assert not any(process.awaits_funding(status) for status in ContractStatus if status != "pending_funding")
    # An operator's cancel: the parties' own before funding, operator_cancel (with its refund) after.
    assert process.cancellation(ContractStatus.pending_funding) == "cancel"
    assert process.cancellation(ContractStatus.in_production) == "operator_cancel"
    assert process.allows(ContractStatus.in_production, "ship")
    assert not process.allows(ContractStatus.funded, "ship")
    assert process.allows(None, "award")
    # Reviews: a completed contract only (not a cancelled one, not one still in inspection).
    assert [status for status in ContractStatus if process.open_for_review(status)] == [ContractStatus.completed]


S = ContractStatus
APPROVED = [
    ("award", S.pending_funding),
    ("fund", S.funded),
    ("start_production", S.in_production),
    ("submit_first_article", S.first_article_review),
    ("approve_first_article", S.in_production),
]
RETURNED = [*APPROVED[:4], ("reject_first_article", S.in_production)]


def test_an_approved_first_article_is_a_passed_review_and_a_returned_one_is_not() -> None:
    assert process.passed_reviews(APPROVED) == {S.first_article_review}
    assert process.passed_reviews([*APPROVED, ("ship", S.shipped), ("confirm_delivery", S.inspection)]) == {
        S.first_article_review
    }
    assert process.passed_reviews(RETURNED) == frozenset()
    assert process.passed_reviews(APPROVED[:4]) == frozenset()  # under review: not passed yet
    assert process.passed_reviews([*RETURNED, *APPROVED[3:]]) == {S.first_article_review}  # resubmitted, approved
    # Before session 33 an approved article could be submitted again; returned then, the review is ahead again.
    legacy = [*APPROVED, ("submit_first_article", S.first_article_review), ("reject_first_article", S.in_production)]
    assert process.passed_reviews(legacy) == frozenset()


def test_once_the_first_article_is_approved_another_is_neither_allowed_nor_offered() -> None:
    passed = process.passed_reviews(APPROVED)

    with pytest.raises(DomainError) as refused:
        apply(S.in_production, "submit_first_article", Party.manufacturer, NOW, passed=passed)

    assert refused.value.code == ErrorCode.FIRST_ARTICLE_APPROVED
    assert refused.value.message == "the first article was approved already: production goes on to shipping"
    assert not process.allows(S.in_production, "submit_first_article", passed=passed)
    assert [a.action for a in process.available_actions(S.in_production, {Party.manufacturer}, passed=passed)] == [
        process.Action.ship
    ]
    # Production goes on: shipping, and the operator's cancellation, are as before.
    assert apply(S.in_production, "ship", Party.manufacturer, NOW, passed=passed).to_status == S.shipped
    assert [a.action for a in process.available_actions(S.in_production, {Party.operator}, passed=passed)] == [
        process.Action.cancel
    ]


def test_a_returned_first_article_may_be_submitted_again() -> None:
    passed = process.passed_reviews(RETURNED)

    decision = apply(S.in_production, "submit_first_article", Party.manufacturer, NOW, passed=passed)

    assert decision.to_status == S.first_article_review
    assert [a.action for a in process.available_actions(S.in_production, {Party.manufacturer}, passed=passed)] == [
        process.Action.submit_first_article,
        process.Action.ship,
    ]


def test_a_review_entered_again_before_the_rule_can_still_be_left() -> None:
    # A contract whose approved article was submitted again before session 33: the buyer decides on it as before.
    passed = process.passed_reviews([*APPROVED, ("submit_first_article", S.first_article_review)])
    assert passed == frozenset()  # entered again: the review is in progress, not behind
    for name in ("approve_first_article", "reject_first_article"):
        assert apply(S.first_article_review, name, Party.buyer, NOW, passed={S.first_article_review}).to_status == (
            S.in_production
        )


def test_only_the_states_a_review_is_entered_from_need_the_passed_reviews() -> None:
    assert [s for s in ContractStatus if process.may_enter_a_review(s)] == [S.in_production]
    # Every review says why it is closed once passed (the refusal's message).
    for review in process.PASSED_BY:
        entering = [t for t in TRANSITIONS if t.target == review]
        assert entering
        for transition in entering:
            source = next(iter(transition.sources))
            party = next(iter(transition.actors))
            with pytest.raises(DomainError) as refused:
                apply(source, transition.name, party, NOW, passed={review})
            assert refused.value.code != ErrorCode.INVALID_TRANSITION  # its own code, not the generic one
