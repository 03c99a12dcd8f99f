"""What the contract room reads from process.py: the actions per side, the main path, and the timeline."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from domain.contracts.process import (
    ACTIONS,
    FINAL_STATES,
    MAIN_PATH,
    SIDE_STATES,
    TIMERS,
    TRANSITIONS,
    TRANSITIONS_BY_NAME,
    Action,
    ContractStatus,
    Party,
    available_actions,
    timer_transition,
)
from domain.contracts.timeline import Reached, StepState, timeline

S = ContractStatus
T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def test_every_step_a_person_takes_after_the_award_is_an_action() -> None:
    by_people = {
        t.name
        for t in TRANSITIONS
        if t.actors & {Party.buyer, Party.manufacturer, Party.operator} and t.name != "award"
    }
    in_actions = {name for spec in ACTIONS for name in spec.transitions}
    assert by_people <= in_actions
    assert in_actions <= set(TRANSITIONS_BY_NAME)


def reachable(start: ContractStatus) -> set[ContractStatus]:
    seen, todo = set(), [start]
    while todo:
        here = todo.pop()
        for t in TRANSITIONS:
            if here in t.sources and t.target not in seen:
                seen.add(t.target)
                todo.append(t.target)
    return seen


def test_the_main_path_follows_the_table_and_covers_every_state_but_the_side_ones() -> None:
    for here, there in itertools.pairwise(MAIN_PATH):
        assert there in reachable(here), (here, there)
    assert MAIN_PATH[-1] in FINAL_STATES
    assert set(MAIN_PATH) | set(SIDE_STATES) == set(ContractStatus)


def test_final_states_offer_nothing_and_each_side_only_its_own_steps() -> None:
    for status in FINAL_STATES:
        assert available_actions(status, {Party.buyer, Party.manufacturer, Party.operator}) == []
    assert [a.action for a in available_actions(S.inspection, {Party.manufacturer})] == []
    assert [a.action for a in available_actions(S.inspection, {Party.buyer})] == [Action.accept, Action.open_dispute]
    assert [a.action for a in available_actions(S.funded, {Party.buyer})] == []
    assert [a.action for a in available_actions(S.funded, {Party.operator})] == [Action.cancel]


def test_each_timer_says_where_it_leads() -> None:
    for status, name in TIMERS.items():
        transition = timer_transition(status)
        assert transition is not None and transition.name == name and status in transition.sources
    assert timer_transition(S.in_production) is None


def reached(*statuses: ContractStatus) -> list[Reached]:
    return [Reached(s, T0 + timedelta(hours=i), Party.buyer, None) for i, s in enumerate(statuses)]


def test_a_contract_cancelled_before_funding_ends_there() -> None:
    steps = timeline(S.cancelled, reached(S.pending_funding, S.cancelled))
    assert [(s.status, s.state) for s in steps] == [
        (S.pending_funding, StepState.done),
        (S.cancelled, StepState.current),
        *[(s, StepState.skipped) for s in MAIN_PATH[1:]],
    ]


def test_a_resolved_dispute_stays_on_the_timeline_before_completion() -> None:
    path = reached(S.pending_funding, S.funded, S.in_production, S.shipped, S.inspection, S.disputed, S.completed)
    steps = timeline(S.completed, path)
    assert [(s.status, s.state) for s in steps] == [
        (S.pending_funding, StepState.done),
        (S.funded, StepState.done),
        (S.in_production, StepState.done),
        (S.first_article_review, StepState.skipped),
        (S.shipped, StepState.done),
        (S.inspection, StepState.done),
        (S.disputed, StepState.done),
        (S.completed, StepState.current),
    ]
    assert steps[6].reached is not None and steps[6].reached.at == T0 + timedelta(hours=5)
