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
NONE: frozenset[ContractStatus] = frozenset()  # no review passed


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
        assert available_actions(status, {Party.buyer, Party.manufacturer, Party.operator}, passed=NONE) == []
    assert [a.action for a in available_actions(S.inspection, {Party.manufacturer}, passed=NONE)] == []
    assert [a.action for a in available_actions(S.inspection, {Party.buyer}, passed=NONE)] == [
        Action.accept,
        Action.open_dispute,
    ]
    assert [a.action for a in available_actions(S.funded, {Party.buyer}, passed=NONE)] == []
    assert [a.action for a in available_actions(S.funded, {Party.operator}, passed=NONE)] == [Action.cancel]


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


def story(*steps: tuple[ContractStatus, str]) -> list[Reached]:
    """Events as the audit log holds them: each state entered, by which transition."""
    return [Reached(s, T0 + timedelta(hours=i), Party.buyer, None, name) for i, (s, name) in enumerate(steps)]


PRODUCING = (
    (S.pending_funding, "award"),
    (S.funded, "fund"),
    (S.in_production, "start_production"),
    (S.first_article_review, "submit_first_article"),
)


def marks(status: ContractStatus, events: list[Reached]) -> list[tuple[ContractStatus, StepState]]:
    return [(s.status, s.state) for s in timeline(status, events)]


def test_an_approved_first_article_is_done_while_production_goes_on() -> None:
    events = story(*PRODUCING, (S.in_production, "approve_first_article"))
    steps = timeline(S.in_production, events)
    assert [(s.status, s.state) for s in steps][2:5] == [
        (S.in_production, StepState.current),
        (S.first_article_review, StepState.done),
        (S.shipped, StepState.upcoming),
    ]
    assert steps[3].reached == events[3]  # when the approved article was submitted
    assert steps[2].reached == events[4]  # production since the approval


def test_a_returned_first_article_is_ahead_again_until_passed() -> None:
    returned = story(*PRODUCING, (S.in_production, "reject_first_article"))
    assert marks(S.in_production, returned)[3] == (S.first_article_review, StepState.upcoming)
    resubmitted = [*returned, *story((S.first_article_review, "submit_first_article"))]
    assert marks(S.first_article_review, resubmitted)[3] == (S.first_article_review, StepState.current)
    approved = [*resubmitted, *story((S.in_production, "approve_first_article"))]
    assert marks(S.in_production, approved)[3] == (S.first_article_review, StepState.done)
    # Approved, then returned on a later article (a contract from before session 33, when one could be submitted
    # again): ahead again.
    again = [
        *approved,
        *story((S.first_article_review, "submit_first_article"), (S.in_production, "reject_first_article")),
    ]
    assert marks(S.in_production, again)[3] == (S.first_article_review, StepState.upcoming)


def test_a_first_article_not_passed_reads_skipped_once_the_contract_is_past_it() -> None:
    shipped = story(*PRODUCING, (S.in_production, "reject_first_article"), (S.shipped, "ship"))
    assert marks(S.shipped, shipped)[3] == (S.first_article_review, StepState.skipped)
    approved = story(*PRODUCING, (S.in_production, "approve_first_article"), (S.shipped, "ship"))
    assert marks(S.shipped, approved)[3] == (S.first_article_review, StepState.done)
    cancelled = story(*PRODUCING, (S.cancelled, "operator_cancel"))
    assert marks(S.cancelled, cancelled)[3:5] == [
        (S.first_article_review, StepState.skipped),
        (S.cancelled, StepState.current),
    ]
