"""Pure rules for capacity holds: how an order's hours spread over the weeks, and when a week is overbooked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from domain.errors import DomainError, ErrorCode


def iso_week(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def part_of(hours: int, units: int, of_units: int) -> int:
    """The machine-hours of `units` out of `of_units` (a bid for part of an order, a split award), rounded up:
    a part never holds less than it needs."""
    if units >= of_units:
        return hours
    return -(-hours * units // of_units)


def plan_hold(hours: int, weeks: Sequence[date], listed: Mapping[date, int]) -> dict[date, int]:
    """Spread `hours` over `weeks` in proportion to the hours listed in each (evenly when nothing is listed),
    in whole hours: largest remainders first, ties to the earlier week. Sums exactly to `hours`."""
    if hours <= 0 or not weeks:
        return {}
    shares = {week: listed.get(week, 0) for week in weeks}
    total = sum(shares.values())
    if total <= 0:
        shares = dict.fromkeys(weeks, 1)
        total = len(weeks)
    exact = {week: hours * share / total for week, share in shares.items()}
    plan = {week: int(value) for week, value in exact.items()}
    left = hours - sum(plan.values())
    for week in sorted(weeks, key=lambda w: (-(exact[w] - plan[w]), w))[:left]:
        plan[week] += 1
    return {week: value for week, value in plan.items() if value > 0}


def check_firm_fits(plan: Mapping[date, int], firm: Mapping[date, int], listed: Mapping[date, int]) -> None:
    """Refuse a firm hold that would take a week beyond its listed capacity; name the first such week."""
    for week in sorted(plan):
        booked = firm.get(week, 0) + plan[week]
        if booked > listed.get(week, 0):
            raise DomainError(
                ErrorCode.CAPACITY_EXCEEDED,
                f"week {iso_week(week)} would be overbooked: {booked} machine-hours firm, {listed.get(week, 0)} listed",
                "bidId",
            )
