"""Capacity-aware allocation: choose the awards, maximising total value, so that no manufacturer's free
hours in any week are exceeded. An order is awarded whole to at most one arc, or — when it allows split
awards — in parts (whole units) to several, the parts adding up to at most its quantity. A proposal is
advice: awards go through award_bid.

Exact: a MILP solved by HiGHS (scipy.optimize.milp) within a time budget: a 0/1 variable per arc, and for
arcs of split orders an integer number of units besides, which takes that share of the arc's hours and
cost (its fixed cost, the tooling, once). Fallback: greedy by value per unit (when the budget runs out
without a feasible solution, or for comparison).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID

from domain.errors import ErrorCode, InvalidInput, Limits, LimitUnit

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
    cost_minor: int  # for all its units
    usage: Mapping[date, int]  # for all its units
    bid_id: UUID | None = None
    # Split awards: the units the arc offers and the order's quantity; split arcs may be awarded in part.
    units: int = 1
    order_units: int = 1
    split: bool = False
    fixed_cost_minor: int = 0  # paid once whatever the part (tooling)

    def part_cost(self, quantity: int) -> float:
        if quantity >= self.units:
            return float(self.cost_minor)
        return self.fixed_cost_minor + (self.cost_minor - self.fixed_cost_minor) * quantity / self.units

    def part_usage(self, quantity: int) -> dict[date, float]:
        return {week: hours * quantity / self.units for week, hours in self.usage.items()}


@dataclass(frozen=True, slots=True)
class Plan:
    awards: list[Arc]
    objective_value: float
    method: str  # "milp" or "greedy"
    optimal: bool
    greedy_value: float
    seconds: float
    notes: list[str] = field(default_factory=list)
    # The units of each award (same order as `awards`): all of an arc's units unless the order is split.
    quantities: list[int] = field(default_factory=list)


# For cost: a whole order awarded is worth ORDER_WORTH, and money is counted in shares of the dearest
# possible total (all arcs together, so at most 1): awarding one more order always beats any saving, and the
# solver's coefficients stay of the order of 1. A unit of a split order is worth its share of an order.
ORDER_WORTH = 2.0
MIP_REL_GAP = {Objective.score: 1e-4, Objective.cost: 1e-9}
# HiGHS checks its time limit between phases and can overrun it a little; it gets the budget less this share
# (at most SOLVER_MARGIN_MAX seconds), so that the whole allocation, answer included, stays within the budget.
SOLVER_MARGIN_SHARE = 0.05
SOLVER_MARGIN_MAX = 0.25


def _money(arcs: Sequence[Arc]) -> float:
    return float(sum(arc.cost_minor for arc in arcs) or 1)


def values(arcs: Sequence[Arc], objective: Objective) -> list[float]:
    """What each arc, awarded with all its units, adds to the objective (maximised)."""
    if objective == Objective.score:
        return [arc.score * _share(arc, arc.units) for arc in arcs]
    money = _money(arcs)
    return [ORDER_WORTH * _share(arc, arc.units) - arc.cost_minor / money for arc in arcs]


def _share(arc: Arc, quantity: int) -> float:
    """The part of its order that `quantity` units of the arc are (1 for an order awarded whole)."""
    return quantity / arc.order_units if arc.split else 1.0


def objective_of(awards: Sequence[Arc], objective: Objective, quantities: Sequence[int] | None = None) -> float:
    parts = quantities if quantities is not None else [arc.units for arc in awards]
    if objective == Objective.score:
        return float(sum(arc.score * _share(arc, q) for arc, q in zip(awards, parts, strict=True)))
    return float(sum(arc.part_cost(q) for arc, q in zip(awards, parts, strict=True)))


def greedy(
    arcs: Sequence[Arc], capacity: Mapping[tuple[Hashable, date], int], objective: Objective
) -> list[tuple[int, int]]:
    """Best value per unit first; take an arc (index, units) if its order still has units to award and its
    manufacturer the hours: whole, or for a split order as many units as both allow."""
    value = values(arcs, objective)
    money = _money(arcs)
    left: dict[tuple[Hashable, date], float] = {key: float(hours) for key, hours in capacity.items()}
    units_left: dict[Hashable, int] = {}
    chosen = []
    for i in sorted(range(len(arcs)), key=lambda i: -value[i] / (arcs[i].units if arcs[i].split else 1)):
        arc = arcs[i]
        open_units = units_left.setdefault(arc.order_id, arc.order_units if arc.split else 1)
        if open_units <= 0 or value[i] <= 0:
            continue
        if arc.split:
            quantity = min(arc.units, open_units)
            for week, hours in arc.usage.items():
                if hours > 0:
                    quantity = min(quantity, int(left.get((arc.manufacturer_id, week), 0) * arc.units / hours + 1e-9))
            if quantity <= 0 or _part_value(arc, quantity, objective, money) <= 0:
                continue
        else:
            quantity = arc.units
            if any(left.get((arc.manufacturer_id, week), 0) < hours for week, hours in arc.usage.items()):
                continue
        for week, used in arc.part_usage(quantity).items():
            left[(arc.manufacturer_id, week)] = left.get((arc.manufacturer_id, week), 0) - used
        units_left[arc.order_id] = open_units - (quantity if arc.split else 1)
        chosen.append((i, quantity))
    return chosen


def _part_value(arc: Arc, quantity: int, objective: Objective, money: float) -> float:
    """What `quantity` units of the arc add to the objective (maximised); `money` is _money of all arcs."""
    if objective == Objective.score:
        return arc.score * _share(arc, quantity)
    return ORDER_WORTH * _share(arc, quantity) - arc.part_cost(quantity) / money


def _milp(
    arcs: Sequence[Arc],
    capacity: Mapping[tuple[Hashable, date], int],
    objective: Objective,
    deadline: float,
) -> tuple[list[tuple[int, int]] | None, bool]:
    """Columns: z_i (0/1) for every arc, then y_i (units, integer) for every split arc."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    split = [i for i, arc in enumerate(arcs) if arc.split]
    y_col = {i: len(arcs) + n for n, i in enumerate(split)}
    width = len(arcs) + len(split)
    cost = np.zeros(width)
    whole = values(arcs, objective)
    money = _money(arcs)
    for i, arc in enumerate(arcs):
        if not arc.split:
            cost[i] = -whole[i]
        elif objective == Objective.score:
            cost[y_col[i]] = -arc.score / arc.order_units
        else:
            cost[i] = arc.fixed_cost_minor / money
            cost[y_col[i]] = -(
                ORDER_WORTH / arc.order_units - (arc.cost_minor - arc.fixed_cost_minor) / arc.units / money
            )
    rows: list[int] = []
    cols: list[int] = []
    data: list[float] = []
    lower: list[float] = []
    upper: list[float] = []

    def constraint(entries: Sequence[tuple[int, float]], low: float, high: float) -> None:
        for col, value in entries:
            rows.append(len(upper))
            cols.append(col)
            data.append(value)
        lower.append(low)
        upper.append(high)

    by_order: dict[Hashable, list[tuple[int, float]]] = defaultdict(list)
    by_capacity: dict[tuple[Hashable, date], list[tuple[int, float]]] = defaultdict(list)
    for i, arc in enumerate(arcs):
        if arc.split:
            by_order[arc.order_id].append((y_col[i], 1.0))
            constraint([(y_col[i], 1.0), (i, -float(arc.units))], -np.inf, 0.0)  # y_i <= units_i z_i
            constraint([(y_col[i], 1.0), (i, -1.0)], 0.0, np.inf)  # y_i >= z_i: no empty award
            for week, hours in arc.usage.items():
                by_capacity[(arc.manufacturer_id, week)].append((y_col[i], hours / arc.units))
        else:
            by_order[arc.order_id].append((i, 1.0))
            for week, hours in arc.usage.items():
                by_capacity[(arc.manufacturer_id, week)].append((i, float(hours)))
    order_limit = {arc.order_id: float(arc.order_units if arc.split else 1) for arc in arcs}
    for order_id, entries in by_order.items():
        constraint(entries, -np.inf, order_limit[order_id])
    for key, entries in by_capacity.items():
        constraint(entries, -np.inf, float(capacity.get(key, 0)))
    upper_bounds = np.ones(width)
    for i in split:
        upper_bounds[y_col[i]] = arcs[i].units
    matrix = coo_array((data, (rows, cols)), shape=(len(upper), width)).tocsr()
    result = milp(
        c=cost,
        constraints=LinearConstraint(matrix, np.asarray(lower), np.asarray(upper)),
        integrality=np.ones(width),
        bounds=Bounds(0, upper_bounds),
        # what is left of the budget once the model is built (building takes a good part of it at 40k arcs)
        options={
            "time_limit": max(deadline - time.perf_counter(), 0.001),
            "disp": False,
            # For cost, money is a small part of the objective next to the awards' worth: HiGHS's default
            # relative gap (1e-4) would call a plan optimal while leaving percents of money on the table.
            "mip_rel_gap": MIP_REL_GAP[objective],
        },
    )
    if result.x is None:
        return None, False
    x = result.x
    pick = [
        (i, round(x[y_col[i]]) if arc.split else arc.units)
        for i, arc in enumerate(arcs)
        if x[i] > 0.5 and (not arc.split or round(x[y_col[i]]) >= 1)
    ]
    return pick, result.status == 0


def allocate(
    arcs: Sequence[Arc],
    capacity: Mapping[tuple[Hashable, date], int],
    *,
    objective: Objective = Objective.score,
    time_budget_seconds: float = 5.0,
) -> Plan:
    """The best set of awards found within the time budget; greedy if the solver found none in time."""
    if len(arcs) > MAX_ARCS:
        raise InvalidInput(
            f"at most {MAX_ARCS} candidate awards per request",
            "orderIds",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.ENTRIES, max=MAX_ARCS),
        )
    started = time.perf_counter()
    greedy_pick = greedy(arcs, capacity, objective)
    greedy_value = objective_of([arcs[i] for i, _ in greedy_pick], objective, [q for _, q in greedy_pick])
    notes: list[str] = []
    remaining = time_budget_seconds - (time.perf_counter() - started)
    pick: list[tuple[int, int]] | None = None
    optimal = False
    if arcs and remaining > 0:
        margin = min(SOLVER_MARGIN_MAX, SOLVER_MARGIN_SHARE * time_budget_seconds)
        pick, optimal = _milp(arcs, capacity, objective, started + time_budget_seconds - margin)
    method = "milp"

    money = _money(arcs)

    def worth(chosen: Sequence[tuple[int, int]]) -> float:
        return sum(_part_value(arcs[i], q, objective, money) for i, q in chosen)

    # The solver's answer stands when proven optimal; a time-limited incumbent only if it beats greedy.
    if pick is None or (not optimal and worth(pick) <= worth(greedy_pick)):
        if arcs:
            notes.append("the solver found nothing better in time: greedy proposal")
        pick, method, optimal = greedy_pick, "greedy", False
    awards = [arcs[i] for i, _ in pick]
    quantities = [q for _, q in pick]
    return Plan(
        awards=awards,
        objective_value=objective_of(awards, objective, quantities),
        method=method,
        optimal=optimal,
        greedy_value=greedy_value,
        seconds=time.perf_counter() - started,
        notes=notes,
        quantities=quantities,
    )
