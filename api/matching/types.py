"""Matching in the API: explained recommendations and bid rankings. Scores are only ever shown to the party
they are about: the buyer sees its order's candidates and bids, a manufacturer its own order matches."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry

from api.bids.types import Bid
from api.context import Info
from api.enums import value_enum
from api.organisations.loaders import OrganisationByIdLoader
from api.organisations.types import Organisation
from api.taxes.types import PriceBasis
from domain.matching.rules import BidFactor, Explanation, Factor, Filter

if TYPE_CHECKING:
    from api.orders.types import Order

MatchFilter = value_enum(
    "MatchFilter",
    {f.name.upper(): f.value for f in Filter},
    description="A hard filter: a manufacturer failing it does not fit the order.",
)


@strawberry.input(description="Factor weights (>= 0, not all zero); omitted factors keep the configured weight.")
class MatchWeightsInput:
    capacity_slack: float | None = None
    on_time: float | None = None
    dispute_free: float | None = None
    region: float | None = None
    price: float | None = None
    response: float | None = None
    rating: float | None = None

    def override(self) -> dict[str, float]:
        return {f.value: getattr(self, f.value) for f in Factor if getattr(self, f.value) is not None}


@strawberry.input(description="Bid-ranking weights (>= 0, not all zero); omitted ones keep the configured weight.")
class BidWeightsInput:
    price: float | None = None
    lead_time: float | None = None
    reliability: float | None = None

    def override(self) -> dict[str, float]:
        return {f.value: getattr(self, f.value) for f in BidFactor if getattr(self, f.value) is not None}


@strawberry.type(description="One factor of a score: value in [0, 1] x weight / total weight = contribution.")
class FactorExplanation:
    factor: str = strawberry.field(
        description="The factor's name, e.g. `price`, `on_time`, `lead_time` (see the README on matching)."
    )
    value: float
    weight: float
    contribution: float
    price_basis: PriceBasis | None = strawberry.field(
        default=None,
        description="The price factor of a bid: whether its gross or net price was held against the budget (like "
        "the budget states it); null for other factors.",
    )

    @classmethod
    def of(cls, item: Explanation) -> FactorExplanation:
        return cls(
            factor=item.factor.value,
            value=item.value,
            weight=item.weight,
            contribution=item.contribution,
            price_basis=item.price_basis.value if item.price_basis else None,
        )


@strawberry.type(description="A manufacturer that fits an order, with its score and why.")
class ManufacturerMatch:
    score: float
    explanations: list[FactorExplanation]
    organisation_id: strawberry.Private[UUID]

    @strawberry.field
    async def manufacturer(self, info: Info) -> Organisation:
        row = await info.context.loader(OrganisationByIdLoader).load(self.organisation_id)
        assert row is not None
        return Organisation.from_row(row)


@strawberry.type(description="A manufacturer that does not fit an order, and the first hard filter it failed.")
class MatchExclusion:
    filter: MatchFilter  # type: ignore[valid-type]
    reason: str
    organisation_id: strawberry.Private[UUID]

    @strawberry.field
    async def manufacturer(self, info: Info) -> Organisation:
        row = await info.context.loader(OrganisationByIdLoader).load(self.organisation_id)
        assert row is not None
        return Organisation.from_row(row)


@strawberry.type(description="Who fits an order, best first; and who does not, with the reason.")
class ManufacturerRecommendations:
    fitting_count: int = strawberry.field(description="How many manufacturers fit (matches holds the best `first`).")
    matches: list[ManufacturerMatch]
    excluded_count: int
    excluded: list[MatchExclusion] = strawberry.field(
        description="Manufacturers listing the order's process that fail another filter (at most `first`)."
    )
    machine_hours: int | None = strawberry.field(
        default=None,
        description="The machine hours the capacity filter and the price factor used: the buyer's estimate, or "
        "one from the order's model (see machineHoursBasis); null when neither.",
    )
    machine_hours_basis: str = strawberry.field(
        default="",
        description="How machineHours was estimated from the model when the buyer gave none; empty when the "
        "buyer gave them.",
    )


@strawberry.type(description="An open order the signed-in manufacturer can make, with its fit score and why.")
class OrderMatch:
    score: float
    explanations: list[FactorExplanation]
    order: Annotated[Order, strawberry.lazy("api.orders.types")]


@strawberry.type(description="An active bid with its rank score and why (the buyer's view).")
class RankedBid:
    score: float
    explanations: list[FactorExplanation]
    bid: Bid


AllocationObjective = value_enum(
    "AllocationObjective",
    {"SCORE": "score", "COST": "cost"},
    description="SCORE: maximise the summed bid scores. COST: award as many orders as possible, then cheapest.",
)


@strawberry.type(description="One proposed award: which bid for which order, and why it scores as it does.")
class ProposedAward:
    score: float
    explanations: list[FactorExplanation]
    order: Annotated[Order, strawberry.lazy("api.orders.types")]
    bid: Bid
    quantity: int = strawberry.field(
        description="Units to award: all the bid quotes for, or a part of an order that allows split awards "
        "(pass it to awardBid)."
    )


@strawberry.type(
    description="A proposal (advice only: award through awardBid) that respects every manufacturer's free "
    "capacity per week."
)
class AllocationPlan:
    objective_value: float = strawberry.field(
        description="Summed scores (SCORE) or summed bid totals in minor units (COST)."
    )
    greedy_objective_value: float = strawberry.field(description="What a best-first greedy choice achieves.")
    method: str = strawberry.field(description="`milp` (HiGHS) or `greedy` (the solver ran out of time).")
    optimal: bool
    notes: list[str]
    awards: list[ProposedAward]
    unassigned_orders: list[Annotated[Order, strawberry.lazy("api.orders.types")]]
