"""A manufacturer's record month by month, for charts: contracts shipped (on time, disputed) and the published
reviews about it, counted by the month they happened in. The same definitions as the KPIs and the matching
record (domain/matching/queries.history_totals): delivered once shipped, on time when shipped by the order's
need-by date, disputed when the buyer opened a dispute."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Date, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.contracts.deliveries import deliveries
from domain.reviews.models import Review
from domain.reviews.service import published_at

MAX_MONTHS = 36


@dataclass(frozen=True, slots=True)
class Month:
    month: date  # its first day
    delivered: int = 0
    delivered_on_time: int = 0
    disputed: int = 0
    rating_sum: int = 0
    rating_count: int = 0


def months_back(now: datetime, count: int) -> list[date]:
    """The first days of the last `count` months, oldest first, the current month last."""
    year, month = now.year, now.month
    firsts = []
    for _ in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return firsts[::-1]


async def monthly_records(
    session: AsyncSession, ids: Sequence[UUID], *, now: datetime, months: int
) -> dict[UUID, list[Month]]:
    """Each organisation's last `months` months (empty months included), in two statements for any number."""
    firsts = months_back(now, months)
    start = firsts[0]
    per_contract = deliveries(list(ids))
    month = cast(func.date_trunc("month", per_contract.c.shipped_at), Date)
    shipped = await session.execute(
        select(
            per_contract.c.org,
            month,
            func.count(),
            func.count().filter(cast(per_contract.c.shipped_at, Date) <= per_contract.c.need_by),
            func.count().filter(per_contract.c.disputed),
        )
        .where(per_contract.c.shipped_at >= start)
        .group_by(per_contract.c.org, month)
    )
    review_month = cast(func.date_trunc("month", Review.created_at), Date)
    reviewed = await session.execute(
        select(Review.subject_organisation_id, review_month, func.sum(Review.rating), func.count())
        .where(Review.subject_organisation_id.in_(list(ids)), published_at(now), Review.created_at >= start)
        .group_by(Review.subject_organisation_id, review_month)
    )
    found: dict[tuple[UUID, date], dict[str, int]] = {}
    for org, first, delivered, on_time, disputes in shipped:
        found.setdefault((org, first), {}).update(
            delivered=int(delivered), delivered_on_time=int(on_time), disputed=int(disputes)
        )
    for org, first, rating_sum, count in reviewed:
        found.setdefault((org, first), {}).update(rating_sum=int(rating_sum), rating_count=int(count))
    return {org: [Month(first, **found.get((org, first), {})) for first in firsts] for org in ids}
