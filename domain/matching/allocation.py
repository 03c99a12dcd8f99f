"""Capacity-aware allocation: choose at most one award per order, maximising total value, so that no
manufacturer's free hours in any week are exceeded. A proposal is advice: awards go through award_bid.

Exact: a 0/1 MILP solved by HiGHS (scipy.optimize.milp) within a time budget. Fallback: greedy by value
(when the budget runs out without a feasible solution, or for comparison).
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID

from domain.errors import ErrorCode, InvalidInput

MAX_ARCS = 200_000


class Objective(StrEnum):
    score = "score"  # maximise the summed fit scores
    cost = "cost"  # award as many orders as possible, then minimise the summed prices


@dataclass(frozen=True, slots=True)
class Arc:
    """One possible award: an order to a manufacturer (through a bid, if any), what it is worth or costs,
    and the hours it takes from the manufacturer in each week."""

    order_id: Hashable
    manufacturer_id: Hashable
    score: float
    cost_minor: int
    usage: Mapping[date, int]
    bid_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    awards: list[Arc]
    objective_value: float
    method: str  # "milp" or "greedy"
    optimal: bool
    greedy_value: float
    seconds: float
    notes: list[str] = field(default_factory=list)


def values(arcs: Sequence[Arc], objective: Objective) -> list[float]:
    """What each arc adds to the objective (maximised). For cost, every award is first worth one unit more
    than the dearest possible total, so that awarding more orders always beats saving money."""
    if objective == Objective.score:
        return [arc.score for arc in arcs]
    big = float(sum(arc.cost_minor for arc in arcs) + 1)
    return [big - arc.cost_minor for arc in arcs]


def objective_of(awards: Sequence[Arc], objective: Objective) -> float:
    if objective == Objective.score:
        return float(sum(arc.score for arc in awards))
    return float(sum(arc.cost_minor for arc in awards))


def greedy(arcs: Sequence[Arc], capacity: Mapping[tuple[Hashable, date], int], objective: Objective) -> list[int]:
    """Best value first; take an arc if its order is still open and its manufacturer has the hours."""
    value = values(arcs, objective)
    left = dict(capacity)
    taken_orders: set[Hashable] = set()
    chosen = []
    for i in sorted(range(len(arcs)), key=lambda i: -value[i]):
        arc = arcs[i]
        if arc.order_id in taken_orders or value[i] <= 0:
            continue
        if all(left.get((arc.manufacturer_id, week), 0) >= hours for week, hours in arc.usage.items()):
            for week, hours in arc.usage.items():
                left[(arc.manufacturer_id, week)] -= hours
            taken_orders.add(arc.order_id)
            chosen.append(i)
    return chosen


def _milp(
    arcs: Sequence[Arc], capacity: Mapping[tuple[Hashable, date], int], value: Sequence[float], seconds: float
) -> tuple[list[int] | None, bool]:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    rows: list[int] = []
    cols: list[int] = []
    data: list[float] = []
    upper: list[float] = []
    order_row: dict[Hashable, int] = {}
    for i, arc in enumerate(arcs):
        row = order_row.setdefault(arc.order_id, len(upper))
        if row == len(upper):
            upper.append(1.0)
        rows.append(row)
        cols.append(i)
        data.append(1.0)
    cap_row: dict[tuple[Hashable, date], int] = {}
    for i, arc in enumerate(arcs):
        for week, hours in arc.usage.items():
            key = (arc.manufacturer_id, week)
            row = cap_row.get(key)
            if row is None:
                row = cap_row[key] = len(upper)
                upper.append(float(capacity.get(key, 0)))
            rows.append(row)
            cols.append(i)
            data.append(float(hours))
    matrix = coo_array((data, (rows, cols)), shape=(len(upper), len(arcs))).tocsr()
    result = milp(
        c=-np.asarray(value, dtype=float),
        constraints=LinearConstraint(matrix, -np.inf, np.asarray(upper)),
        integrality=np.ones(len(arcs)),
        bounds=Bounds(0, 1),
        options={"time_limit": max(seconds, 0.001), "disp": False},
    )
    if result.x is None:
        return None, False
    return [i for i, x in enumerate(result.x) if x > 0.5], result.status == 0


def allocate(
    arcs: Sequence[Arc],
    capacity: Mapping[tuple[Hashable, date], int],
    *,
    objective: Objective = Objective.score,
    time_budget_seconds: float = 5.0,
) -> Plan:
    """The best set of awards found within the time budget; greedy if the solver found none in time."""
    if len(arcs) > MAX_ARCS:
        raise InvalidInput(f"at most {MAX_ARCS} candidate awards per request", "orderIds", ErrorCode.OUT_OF_RANGE)
    started = time.perf_counter()
    value = values(arcs, objective)
    greedy_pick = greedy(arcs, capacity, objective)
    greedy_value = objective_of([arcs[i] for i in greedy_pick], objective)
    notes: list[str] = []
    remaining = time_budget_seconds - (time.perf_counter() - started)
    pick: list[int] | None = None
    optimal = False
    if arcs and remaining > 0:
        pick, optimal = _milp(arcs, capacity, value, remaining)
    method = "milp"
    # The solver's answer stands when proven optimal; a time-limited incumbent only if it beats greedy.
    if pick is None or (not optimal and sum(value[i] for i in pick) <= sum(value[i] for i in greedy_pick)):
        if arcs:
            notes.append("the solver found nothing better in time: greedy proposal")
        pick, method, optimal = greedy_pick, "greedy", False
    awards = [arcs[i] for i in pick]
    return Plan(
        awards=awards,
        objective_value=objective_of(awards, objective),
        method=method,
        optimal=optimal,
        greedy_value=greedy_value,
        seconds=time.perf_counter() - started,
        notes=notes,
    )
