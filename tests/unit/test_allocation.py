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
    capacity: dict[tuple[Hashable, date], int] = {("A", W1): 10, ("B", W1): 10}

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
    assert plan.awards == [arcs[i] for i, _ in greedy(arcs, capacity, Objective.score)]
    assert plan.notes == ["the solver found nothing better in time: greedy proposal"]


def test_a_request_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocation, "MAX_ARCS", 2)
    arcs = [Arc(i, "A", 0.5, 0, {W1: 1}) for i in range(3)]

    with pytest.raises(DomainError) as refused:
        allocate(arcs, {("A", W1): 10})

    assert refused.value.field == "orderIds"


# Split awards ----------------------------------------------------------------------------------------


def _worth(arcs: Sequence[Arc], chosen: Sequence[tuple[int, int]], objective: Objective) -> float:
    money = allocation._money(arcs)
    return sum(allocation._part_value(arcs[i], q, objective, money) for i, q in chosen)


def brute_force_split(
    arcs: Sequence[Arc], capacity: Mapping[tuple[Hashable, date], int], objective: Objective
) -> float:
    """Every choice of units per arc (0, or all of them, or for split arcs any part): the best feasible worth."""
    import itertools

    options = [[0, *(range(1, a.units + 1) if a.split else [a.units])] for a in arcs]
    best = 0.0
    for quantities in itertools.product(*options):
        used: dict[Hashable, int] = {}
        load: dict[tuple[Hashable, date], float] = {}
        for arc, q in zip(arcs, quantities, strict=True):
            if q:
                used[arc.order_id] = used.get(arc.order_id, 0) + (q if arc.split else 1)
                for week, hours in arc.part_usage(q).items():
                    key = (arc.manufacturer_id, week)
                    load[key] = load.get(key, 0) + hours
        if any(used[a.order_id] > (a.order_units if a.split else 1) for a in arcs if a.order_id in used):
            continue
        if any(hours > capacity.get(key, 0) + 1e-9 for key, hours in load.items()):
            continue
        best = max(best, _worth(arcs, [(i, q) for i, q in enumerate(quantities) if q], objective))
    return best


def random_split_instance(rng: random.Random) -> tuple[list[Arc], dict[Any, int]]:
    arcs = []
    for o in range(3):
        split = o < 2
        order_units = rng.randint(2, 4)
        for m in rng.sample(range(3), k=2):
            units = rng.randint(1, order_units) if split else order_units
            hours = rng.randint(2, 12)
            arcs.append(
                Arc(
                    o,
                    m,
                    score=round(rng.random(), 3),
                    cost_minor=rng.randint(100, 1000),
                    usage={W1: hours},
                    units=units,
                    order_units=order_units,
                    split=split,
                    fixed_cost_minor=rng.choice([0, 50]),
                )
            )
    capacity = {(m, W1): rng.randint(4, 16) for m in range(3)}
    return arcs, capacity


@pytest.mark.parametrize("objective", [Objective.score, Objective.cost])
def test_split_allocations_are_optimal_against_enumeration(objective: Objective) -> None:
    rng = random.Random(5)
    beaten = 0
    for _ in range(15):
        arcs, capacity = random_split_instance(rng)
        plan = allocate(arcs, capacity, objective=objective, time_budget_seconds=5)
        chosen = [(arcs.index(a), q) for a, q in zip(plan.awards, plan.quantities, strict=True)]
        exact = brute_force_split(arcs, capacity, objective)
        assert plan.optimal
        assert _worth(arcs, chosen, objective) == pytest.approx(exact, rel=1e-9, abs=1e-9)
        greedy_worth = _worth(arcs, greedy(arcs, capacity, objective), objective)
        assert greedy_worth <= exact + 1e-9
        beaten += greedy_worth < exact - 1e-9
    assert beaten > 0  # the instances are tight enough for the solver to matter


def test_a_split_order_is_shared_between_two_shops_when_neither_can_make_it_all() -> None:
    # 10 units needing 2 h each; each shop has 12 h: no shop can take all 10, together they can
    arcs = [
        Arc("o", shop, score=0.9, cost_minor=1000, usage={W1: 20}, units=10, order_units=10, split=True)
        for shop in ("A", "B")
    ]
    capacity: dict[tuple[Hashable, date], int] = {("A", W1): 12, ("B", W1): 12}

    plan = allocate(arcs, capacity, objective=Objective.score)

    assert sorted(plan.quantities) == [4, 6]
    assert plan.objective_value == pytest.approx(0.9)
    whole = allocate([Arc("o", "A", 0.9, 1000, {W1: 20}, units=10, order_units=10)], capacity)
    assert whole.awards == []  # awarded whole, the order fits nowhere
