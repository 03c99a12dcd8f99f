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
    decision = apply(None, "award", Party.buyer, NOW)
    assert (decision.from_status, decision.to_status, decision.at) == (
        None,
        ContractStatus.pending_funding,
        NOW,
    )


def test_a_manufacturer_may_not_award() -> None:
    with pytest.raises(DomainError) as refused:
        apply(None, "award", Party.manufacturer, NOW)
    assert refused.value.code == ErrorCode.FORBIDDEN


def test_a_transition_from_the_wrong_state_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        apply(ContractStatus.completed, "ship", Party.manufacturer, NOW)
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
