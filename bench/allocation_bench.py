"""Allocation optimiser benchmark: HiGHS MILP with a greedy fallback (domain/matching/allocation.py).

    .venv/bin/python bench/allocation_bench.py [--orders 2000] [--makers 20000] [--bids 20] [--budget 5]

Synthetic instances: each order has `--bids` candidate manufacturers (random), a fit score in [0, 1], a
price, and machine-hours spread over 2-4 consecutive weeks of an 8-week horizon; each manufacturer lists
10-60 free hours a week. Capacity is made scarce on purpose (hot manufacturers are picked more often) so
that the constraints bind. Reports wall time, objective, whether HiGHS proved optimality, and the gain
over greedy; then, on small instances, the gap to the exact optimum (HiGHS without a time limit).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Hashable
from datetime import date, timedelta

from domain.matching.allocation import Arc, Objective, allocate, greedy

WEEKS = [date(2027, 3, 1) + timedelta(weeks=n) for n in range(8)]


def instance(
    seed: int, orders: int, makers: int, bids: int, split_share: float = 0.0
) -> tuple[list[Arc], dict[tuple[Hashable, date], int]]:
    rng = random.Random(seed)
    split_rng = random.Random(seed + 7919)  # its own stream: split_share 0 gives the same instances as before
    hot = max(1, makers // 10)
    arcs = []
    for o in range(orders):
        start = rng.randrange(0, 6)
        span = rng.randint(2, 3)
        hours = rng.randint(10, 40)
        chosen = {rng.randrange(hot) if rng.random() < 0.5 else rng.randrange(makers) for _ in range(bids)}
        split = split_rng.random() < split_share
        for m in chosen:
            per_week = {WEEKS[w]: max(1, hours // span) for w in range(start, min(8, start + span))}
            score, cost = round(rng.random(), 4), rng.randint(50_000, 500_000)
            if split:  # 100 units; a bid quotes for 25-100 of them, with hours and price in proportion
                units = split_rng.choice((25, 50, 75, 100))
                per_week = {week: max(1, h * units // 100) for week, h in per_week.items()}
                arcs.append(Arc(o, m, score, cost * units // 100, per_week, units=units, order_units=100, split=True))
            else:
                arcs.append(Arc(o, m, score, cost, per_week))
    # Keyed as the optimiser takes it (any hashable manufacturer key: here an int).
    capacity: dict[tuple[Hashable, date], int] = {(m, w): rng.randint(10, 60) for m in range(makers) for w in WEEKS}
    return arcs, capacity


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--makers", type=int, default=20000)
    parser.add_argument("--bids", type=int, default=20)
    parser.add_argument("--budget", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--split-share", type=float, default=0.0, help="share of orders that allow split awards")
    args = parser.parse_args()

    print(
        f"large: {args.orders} orders x {args.makers} manufacturers, ~{args.bids} candidates/order,"
        f" {100 * args.split_share:.0f}% split orders"
    )
    for objective in (Objective.score, Objective.cost):
        for seed in range(args.runs):
            arcs, capacity = instance(seed, args.orders, args.makers, args.bids, args.split_share)
            started = time.perf_counter()
            plan = allocate(arcs, capacity, objective=objective, time_budget_seconds=args.budget)
            wall = time.perf_counter() - started
            greedy_pick = greedy(arcs, capacity, objective)
            units = sum(_units(a, q) for a, q in zip(plan.awards, plan.quantities, strict=True))
            greedy_units = sum(_units(arcs[i], q) for i, q in greedy_pick)
            if objective == Objective.score:
                gain = f"+{100 * (plan.objective_value / plan.greedy_value - 1):.2f}% vs greedy"
            else:
                gain = (
                    f"{units:.1f} orders' worth awarded vs greedy {greedy_units:.1f},"
                    f" {100 * (1 - plan.objective_value / plan.greedy_value):.2f}% cheaper than greedy"
                )
            print(
                f"  {objective.value:5} seed {seed}: {len(arcs)} arcs, {wall:.2f} s, {plan.method}, "
                f"optimal={plan.optimal}, awards={len(plan.awards)}, objective={plan.objective_value:.1f}, {gain}"
            )

    print("small (exact optimum: HiGHS without a time limit, proven optimal), score objective:")
    for budget in (0.05, 1.0):
        gaps, greedy_gaps = [], []
        for seed in range(20):
            arcs, capacity = instance(100 + seed, 60, 40, 6, args.split_share)
            exact = allocate(arcs, capacity, time_budget_seconds=600)
            assert exact.optimal
            budgeted = allocate(arcs, capacity, time_budget_seconds=budget)
            gaps.append(100 * (1 - budgeted.objective_value / exact.objective_value))
            greedy_gaps.append(100 * (1 - exact.greedy_value / exact.objective_value))
        print(
            f"  20 instances of 60 orders x 40 manufacturers: {budget * 1000:.0f} ms-budget result within "
            f"{max(gaps):.3f}% of the optimum (worst), greedy {statistics.mean(greedy_gaps):.2f}% below on average "
            f"(worst {max(greedy_gaps):.2f}%)"
        )


def _units(arc: Arc, quantity: int) -> float:
    """How much of an order an award is: 1 whole, or its share of a split order."""
    return quantity / arc.order_units if arc.split else 1.0


if __name__ == "__main__":
    main()
