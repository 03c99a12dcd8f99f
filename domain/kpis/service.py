"""Organisation KPIs, computed from what happened (contract events, bids, invitations), never typed in.

Manufacturers: on-time delivery rate and dispute rate — from the same `histories()` the matching factors
`on_time` and `dispute_free` read, so a profile shows exactly what matching weighs — and the median time from
an invitation to the first bid on it. Buyers: award rate (awarded / published orders that closed) and on-time
funding (contracts funded / contracts whose funding window ran: funded or funding_expired; contracts cancelled
by agreement before funding count for neither). Plus the published review rating.

`kpis_for` batches any number of organisations into five statements (a profile list stays constant).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import Exists

from domain.bids.models import Bid
from domain.contracts.models import Contract, ContractEvent
from domain.matching.rules import History
from domain.matching.service import histories
from domain.orders.models import OrderInvitation, OrderStatus, ProductionOrder
from domain.reviews.service import ratings

CLOSED = (OrderStatus.awarded, OrderStatus.cancelled, OrderStatus.expired)


@dataclass(frozen=True, slots=True)
class Rate:
    """`successes` of `total`; `value` is None without any observation."""

    successes: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.successes / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class Kpis:
    on_time_delivery: Rate = field(default_factory=Rate)
    disputes: Rate = field(default_factory=Rate)
    invitations_answered: Rate = field(default_factory=Rate)
    median_invitation_response_hours: float | None = None
    awards: Rate = field(default_factory=Rate)
    on_time_funding: Rate = field(default_factory=Rate)
    rating_average: float | None = None
    rating_count: int = 0


def from_history(history: History) -> tuple[Rate, Rate, Rate]:
    return (
        Rate(history.delivered_on_time, history.delivered),
        Rate(history.disputed, history.delivered),
        Rate(history.invitations_bid, history.invitations),
    )


async def median_response_hours(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, float]:
    """Median hours from an invitation (or the order's publication, if later) to the invitee's first bid."""
    first_bid = (
        select(func.min(Bid.created_at))
        .where(
            Bid.order_id == OrderInvitation.order_id,
            Bid.manufacturer_organisation_id == OrderInvitation.manufacturer_organisation_id,
        )
        .scalar_subquery()
    )
    invited_at = func.greatest(OrderInvitation.created_at, ProductionOrder.published_at)
    seconds = func.extract("epoch", first_bid - invited_at)
    rows = await session.execute(
        select(
            OrderInvitation.manufacturer_organisation_id,
            func.percentile_cont(0.5).within_group(seconds),
        )
        .join(ProductionOrder, ProductionOrder.id == OrderInvitation.order_id)
        .where(
            OrderInvitation.manufacturer_organisation_id.in_(list(ids)),
            ProductionOrder.published_at.is_not(None),
            first_bid.is_not(None),
        )
        .group_by(OrderInvitation.manufacturer_organisation_id)
    )
    return {org: float(median) / 3600 for org, median in rows if median is not None}


async def buyer_rates(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, tuple[Rate, Rate]]:
    orders = await session.execute(
        select(
            ProductionOrder.buyer_organisation_id,
            func.count().filter(ProductionOrder.status == OrderStatus.awarded),
            func.count(),
        )
        .where(
            ProductionOrder.buyer_organisation_id.in_(list(ids)),
            ProductionOrder.published_at.is_not(None),
            ProductionOrder.status.in_(CLOSED),
        )
        .group_by(ProductionOrder.buyer_organisation_id)
    )

    def happened(name: str) -> Exists:
        return exists().where(ContractEvent.contract_id == Contract.id, ContractEvent.transition == name)

    funded, expired = happened("fund"), happened("funding_expired")
    funding = await session.execute(
        select(
            Contract.buyer_organisation_id,
            func.count().filter(funded),
            func.count().filter(expired),
        )
        .where(Contract.buyer_organisation_id.in_(list(ids)))
        .group_by(Contract.buyer_organisation_id)
    )
    out: dict[UUID, tuple[Rate, Rate]] = {org: (Rate(), Rate()) for org in ids}
    for org, awarded, closed in orders:
        out[org] = (Rate(int(awarded), int(closed)), out[org][1])
    for org, funded_count, expired_count in funding:
        out[org] = (out[org][0], Rate(int(funded_count), int(funded_count) + int(expired_count)))
    return out


async def kpis_for(session: AsyncSession, ids: Sequence[UUID], *, now: datetime) -> dict[UUID, Kpis]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    record = await histories(session, ids)
    medians = await median_response_hours(session, ids)
    buyers = await buyer_rates(session, ids)
    rated = await ratings(session, ids, now)
    out = {}
    for org in ids:
        on_time, disputes, answered = from_history(record.get(org, History()))
        awards, funding = buyers.get(org, (Rate(), Rate()))
        average, count = rated.get(org, (None, 0))
        out[org] = Kpis(
            on_time_delivery=on_time,
            disputes=disputes,
            invitations_answered=answered,
            median_invitation_response_hours=medians.get(org),
            awards=awards,
            on_time_funding=funding,
            rating_average=average,
            rating_count=count,
        )
    return out
