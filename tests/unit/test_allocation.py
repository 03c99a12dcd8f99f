from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from datetime import date
from typing import Any

import pytest

from domain.errors import DomainError
from domain.matching import allocation
from domain.matching.allocation import Arc, Objective, allocate, greedy, objective_of, values

W1, W2 = date(2027, 3, 1), date(2027, 3, 8)


def brute_force(
    arcs: Sequence[Arc], capacity: Mapping[tuple[Hashable, date], int], objective: Objective
) -> tuple[int, float]:
    """The exact optimum by enumeration (tiny instances only): (awards, objective value)."""
    by_order: dict[Hashable, list[int]] = {}
    for i, arc in enumerate(arcs):
        by_order.setdefault(arc.order_id, []).append(i)
    orders = list(by_order)
    value = values(arcs, objective)
    best: list[Any] = [0.0, []]

    def walk(k: int, left: dict[tuple[Hashable, date], int], total: float, chosen: list[int]) -> None:
        if k == len(orders):
            if total > best[0]:
                best[0], best[1] = total, list(chosen)
            return
        walk(k + 1, left, total, chosen)
        for i in by_order[orders[k]]:
            arc = arcs[i]
            if all(left.get((arc.manufacturer_id, w), 0) >= h for w, h in arc.usage.items()):
                for w, h in arc.usage.items():
                    left[(arc.manufacturer_id, w)] -= h
                walk(k + 1, left, total + value[i], [*chosen, i])
                for w, h in arc.usage.items():
                    left[(arc.manufacturer_id, w)] += h

    walk(0, dict(capacity), 0.0, [])
    return len(best[1]), objective_of([arcs[i] for i in best[1]], objective)


def random_instance(rng: random.Random, orders: int, makers: int) -> tuple[list[Arc], dict[Any, int]]:
    arcs = []
    for o in range(orders):
        for m in rng.sample(range(makers), k=min(makers, rng.randint(1, 3))):
            hours = rng.randint(5, 20)
            arcs.append(
                Arc(o, m, score=round(rng.random(), 3), cost_minor=rng.randint(100, 1000), usage={W1: hours, W2: hours})
            )
    capacity = {(m, w): rng.randint(10, 40) for m in range(makers) for w in (W1, W2)}
    return arcs, capacity


def test_greedy_is_beaten_where_the_best_arc_blocks_two_good_ones() -> None:
    # maker A has 10 h: greedy gives it order 1 (0.9) and then cannot place orders 2 and 3 (0.8 each)
    arcs = [
        Arc(1, "A", 0.9, 0, {W1: 10}),
        Arc(1, "B", 0.1, 0, {W1: 10}),
        Arc(2, "A", 0.8, 0, {W1: 5}),
        Arc(3, "A", 0.8, 0, {W1: 5}),
    ]
    capacity = {("A", W1): 10, ("B", W1): 10}

    plan = allocate(arcs, capacity)

    assert (plan.method, plan.optimal) == ("milp", True)
    assert sorted((a.order_id, a.manufacturer_id) for a in plan.awards) == [(1, "B"), (2, "A"), (3, "A")]
    assert plan.objective_value == pytest.approx(1.7)
    assert plan.greedy_value == pytest.approx(0.9)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("objective", [Objective.score, Objective.cost])
def test_milp_matches_brute_force_on_small_instances(seed: int, objective: Objective) -> None:
    arcs, capacity = random_instance(random.Random(seed), orders=6, makers=3)

    plan = allocate(arcs, capacity, objective=objective)

    awards, exact = brute_force(arcs, capacity, objective)
    if objective == Objective.score:
        assert plan.objective_value == pytest.approx(exact, abs=1e-9)
    else:  # as many awards as possible, then the least cost
        assert (len(plan.awards), plan.objective_value) == (awards, exact)
    assert plan.optimal


def test_the_plan_never_exceeds_capacity_or_awards_an_order_twice() -> None:
    arcs, capacity = random_instance(random.Random(99), orders=40, makers=6)

    plan = allocate(arcs, capacity)

    used: dict[Any, int] = {}
    for arc in plan.awards:
        for week, hours in arc.usage.items():
            used[(arc.manufacturer_id, week)] = used.get((arc.manufacturer_id, week), 0) + hours
    assert all(used[key] <= capacity[key] for key in used)
    assert len({arc.order_id for arc in plan.awards}) == len(plan.awards)
    assert plan.objective_value >= plan.greedy_value


def test_without_time_for_the_solver_the_greedy_proposal_is_returned() -> None:
    arcs, capacity = random_instance(random.Random(1), orders=6, makers=3)

    plan = allocate(arcs, capacity, time_budget_seconds=0)

    assert (plan.method, plan.optimal) == ("greedy", False)
    assert plan.awards == [arcs[i] for i in greedy(arcs, capacity, Objective.score)]
    assert plan.notes == ["the solver found nothing better in time: greedy proposal"]


def test_a_request_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocation, "MAX_ARCS", 2)
    arcs = [Arc(i, "A", 0.5, 0, {W1: 1}) for i in range(3)]

    with pytest.raises(DomainError) as refused:
        allocate(arcs, {("A", W1): 10})

    assert refused.value.field == "orderIds"
