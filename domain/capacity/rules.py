"""Pure rules for capacity holds: how an order's hours spread over the weeks, when a week is overbooked, and a
manufacturer's weekly calendar of listed, held and free hours; the weeks and listings matching counts free hours in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from domain.errors import DomainError, ErrorCode


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_before(today: date, need_by: date) -> list[date]:
    """Mondays of the ISO weeks from this week up to (not including) the week of the need-by date."""
    first, last = week_start(today), week_start(need_by)
    weeks = []
    monday = first
    while monday < last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


@dataclass(frozen=True, slots=True)
class Listing:
    process: str
    hours_per_week: int
    available_from: date
    available_to: date
    hourly_rate_minor: int
    currency: str

    def covers(self, monday: date) -> bool:
        return self.available_from <= monday + timedelta(days=6) and self.available_to >= monday


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


# A year of weeks at most in one calendar.
MAX_CALENDAR_WEEKS = 53


@dataclass(frozen=True, slots=True)
class CalendarWeek:
    """One process's machine-hours in one ISO week: listed, held firm (contracts) and softly (active bids)."""

    week_start: date
    process: str
    listed: int
    firm: int
    soft: int
    # The listings covering the week (their hours add up to `listed`), in the order given.
    listing_ids: tuple[UUID, ...]

    @property
    def free(self) -> int:
        """What an award can still take: listed less firm, never below 0. Soft holds bind nothing (make_firm
        checks firm hours only), so they are shown, not subtracted."""
        return max(0, self.listed - self.firm)


def calendar(
    weeks: Sequence[date],
    listings: Sequence[tuple[UUID, Listing]],
    firm: Mapping[tuple[str, date], int],
    soft: Mapping[tuple[str, date], int],
) -> list[CalendarWeek]:
    """Every week for every process that has a listing or a live hold in one of the weeks (a full grid),
    by process name, then week."""
    wanted = set(weeks)
    processes = {listing.process for _, listing in listings if any(listing.covers(week) for week in weeks)}
    processes |= {process for process, week in (*firm, *soft) if week in wanted}
    grid = []
    for process in sorted(processes):
        for week in weeks:
            covering = [(id_, item) for id_, item in listings if item.process == process and item.covers(week)]
            grid.append(
                CalendarWeek(
                    week_start=week,
                    process=process,
                    listed=sum(item.hours_per_week for _, item in covering),
                    firm=firm.get((process, week), 0),
                    soft=soft.get((process, week), 0),
                    listing_ids=tuple(id_ for id_, _ in covering),
                )
            )
    return grid
