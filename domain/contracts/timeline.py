"""A contract's timeline: the main path of process.py with when (and by whom) each state was reached.

Pure: takes the contract's status and its audit events, returns the steps to draw."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.contracts.process import (
    FINAL_STATES,
    MAIN_PATH,
    PASSED_BY,
    SIDE_STATES,
    ContractStatus,
    Party,
    passed_reviews,
)


class StepState(StrEnum):
    done = "done"  # reached, and the contract moved on (a review: passed, see process.PASSED_BY)
    current = "current"
    upcoming = "upcoming"
    skipped = "skipped"  # passed over (no first article), or never reached because the contract ended


@dataclass(frozen=True, slots=True)
class Reached:
    """One audit event, as much of it as the timeline needs."""

    status: ContractStatus
    at: datetime
    party: Party | None
    user_id: UUID | None
    transition: str | None = None  # the step taken (process.py's name); None where not known


@dataclass(frozen=True, slots=True)
class Step:
    status: ContractStatus
    state: StepState
    reached: Reached | None  # the last time the contract entered this state


def timeline(status: ContractStatus, events: Sequence[Reached]) -> list[Step]:
    """The main path, with each side state the contract is in or went through (disputed, cancelled) placed
    after the last main state reached before it; steps after the current one are upcoming, or skipped once
    the contract has ended. A review the contract goes back from (the first article's) is done once passed,
    even while the contract is back on the state before it."""
    last: dict[ContractStatus, Reached] = {}
    order: dict[ContractStatus, int] = {}  # events oldest first: several may share a timestamp
    for position, event in enumerate(events):
        last[event.status], order[event.status] = event, position
    path = list(MAIN_PATH)
    for side in SIDE_STATES:
        if side != status and side not in last:
            continue
        when = order.get(side, len(events))
        before = [s for s in MAIN_PATH if s in order and order[s] < when]
        path.insert(path.index(before[-1]) + 1 if before else 0, side)
    current = path.index(status)
    ended = status in FINAL_STATES
    passed = passed_reviews((e.transition, e.status) for e in events if e.transition is not None)
    steps = []
    for position, state in enumerate(path):
        reached = last.get(state)
        if position == current:
            kind = StepState.current
        elif state in PASSED_BY and state in last:
            # A review behind the contract whichever side of it the contract stands: passed, it is done (the
            # first article approved, production goes on); left any other way (returned, shipped regardless,
            # cancelled during it), it is ahead while the contract can still come back to it, else skipped.
            if state in passed:
                kind = StepState.done
            elif position > current and not ended:
                kind, reached = StepState.upcoming, None
            else:
                kind = StepState.skipped
        elif position < current:
            kind = StepState.done if reached else StepState.skipped
        else:
            kind = StepState.skipped if ended else StepState.upcoming
            reached = None
        steps.append(Step(state, kind, reached))
    return steps
