from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry
from strawberry import relay

from api.context import Info
from api.organisations.loaders import OrganisationByIdLoader
from api.relay import encode_id
from api.schema_types import schema_type
from domain.kpis.history import Month
from domain.kpis.service import Kpis, Rate
from domain.reviews.models import Review as ReviewRow
from domain.reviews.rules import published

if TYPE_CHECKING:
    from api.organisations.types import Organisation


@strawberry.type(description="One side's rating of the other after a completed contract.")
class Review:
    id: strawberry.ID
    rating: int = strawberry.field(description="1 (poor) to 5 (excellent).")
    text: str
    created_at: datetime
    by_buyer: bool = strawberry.field(description="Written by the buyer (about the manufacturer), or the other way.")
    published: bool = strawberry.field(
        description="Visible to the other side and on profiles: both sides reviewed, or the review period ended."
    )
    author_organisation_id: strawberry.Private[UUID]
    subject_organisation_id: strawberry.Private[UUID]

    @classmethod
    def from_row(cls, row: ReviewRow, now: datetime) -> Review:
        return cls(
            id=encode_id("Review", row.id),
            rating=row.rating,
            text=row.text,
            created_at=row.created_at,
            by_buyer=row.by_buyer,
            published=published(row.published_at, row.visible_from, now),
            author_organisation_id=row.author_organisation_id,
            subject_organisation_id=row.subject_organisation_id,
        )

    @strawberry.field(description="The organisation that wrote it.")
    async def author(self, info: Info) -> Annotated[Organisation, strawberry.lazy("api.organisations.types")]:
        row = await info.context.loader(OrganisationByIdLoader).load(self.author_organisation_id)
        assert row is not None
        return schema_type(info, "Organisation").from_row(row)


@strawberry.type
class ReviewConnection(relay.Connection[Review]):  # type: ignore[type-var]
    """A page of reviews, newest first."""


@strawberry.type(description="successes of total; `value` is null without any observation.")
class KpiRate:
    value: float | None
    successes: int
    total: int

    @classmethod
    def of(cls, rate: Rate) -> KpiRate:
        return cls(value=rate.value, successes=rate.successes, total=rate.total)


@strawberry.type(
    description="Computed from what happened on the exchange (contract events, bids, invitations, reviews), "
    "never typed in. Matching weighs the same on-time and dispute records."
)
class OrganisationKpis:
    on_time_delivery_rate: KpiRate = strawberry.field(
        description="As manufacturer: contracts shipped by the order's need-by date, of those shipped."
    )
    dispute_rate: KpiRate = strawberry.field(description="As manufacturer: shipped contracts the buyer disputed.")
    invitation_response_rate: KpiRate = strawberry.field(description="As manufacturer: invitations it bid on.")
    median_invitation_response_hours: float | None = strawberry.field(
        description="As manufacturer: median hours from an invitation to its first bid on the order."
    )
    award_rate: KpiRate = strawberry.field(
        description="As buyer: published orders it awarded, of those that closed (awarded, cancelled, expired)."
    )
    on_time_funding_rate: KpiRate = strawberry.field(
        description="As buyer: contracts funded within the funding window, of those whose window ran."
    )
    rating_average: float | None = strawberry.field(description="Average of its published reviews, 1 to 5.")
    rating_count: int

    @classmethod
    def of(cls, kpis: Kpis) -> OrganisationKpis:
        return cls(
            on_time_delivery_rate=KpiRate.of(kpis.on_time_delivery),
            dispute_rate=KpiRate.of(kpis.disputes),
            invitation_response_rate=KpiRate.of(kpis.invitations_answered),
            median_invitation_response_hours=kpis.median_invitation_response_hours,
            award_rate=KpiRate.of(kpis.awards),
            on_time_funding_rate=KpiRate.of(kpis.on_time_funding),
            rating_average=kpis.rating_average,
            rating_count=kpis.rating_count,
        )


@strawberry.type(description="One month of a manufacturer's record, for charts (the KPIs' definitions).")
class KpiMonth:
    month: date = strawberry.field(description="Its first day.")
    delivered: int = strawberry.field(description="Contracts shipped this month.")
    delivered_on_time: int = strawberry.field(description="Of those, shipped by the order's need-by date.")
    disputed: int = strawberry.field(description="Of those, disputed by the buyer.")
    rating_average: float | None = strawberry.field(description="Published reviews written this month, 1 to 5.")
    rating_count: int

    @classmethod
    def of(cls, month: Month) -> KpiMonth:
        return cls(
            month=month.month,
            delivered=month.delivered,
            delivered_on_time=month.delivered_on_time,
            disputed=month.disputed,
            rating_average=month.rating_sum / month.rating_count if month.rating_count else None,
            rating_count=month.rating_count,
        )
