"""Matching in the API: explained recommendations and bid rankings. Scores are only ever shown to the party
they are about: the buyer sees its order's candidates and bids, a manufacturer its own order matches."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry

from api.bids.types import Bid
from api.context import Info
from api.enums import CertificationStandard, Process, graphql_enum, value_enum
from api.files.types import EnvelopeSource
from api.organisations.loaders import OrganisationByIdLoader
from api.organisations.types import Organisation
from api.taxes.types import PriceBasis
from domain.matching.estimate import HoursEstimate
from domain.matching.rules import BidFactor, Exclusion, Explanation, Factor, Filter
from domain.matching.rules import ExclusionReason as DomainExclusionReason

if TYPE_CHECKING:
    from api.orders.types import Order

MatchFilter = value_enum(
    "MatchFilter",
    {f.name.upper(): f.value for f in Filter},
    description="A hard filter: a manufacturer failing it does not fit the order.",
)

ExclusionReason = graphql_enum(
    DomainExclusionReason,
    "Why a manufacturer fails its first hard filter; the parameters are MatchExclusion's other fields. "
    "PROCESS_NOT_LISTED (process), MATERIAL_NOT_LISTED (material), QUANTITY_BELOW_MINIMUM and "
    "QUANTITY_ABOVE_MAXIMUM (quantity, quantityLimit), CERTIFICATION_MISSING and CERTIFICATION_EXPIRES (the "
    "certificate does not last to the need-by date; requiredStandard), PART_TOO_LARGE (partMm, largestPartMm, "
    "partSource, partModelName), CAPACITY_SHORT (freeHours, requiredHours).",
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


@strawberry.type(
    description="A manufacturer that does not fit an order, and the first hard filter it failed: `code` with its "
    "parameters as data (render these), `reason` in English."
)
class MatchExclusion:
    filter: MatchFilter  # type: ignore[valid-type]
    code: ExclusionReason  # type: ignore[valid-type]
    reason: str = strawberry.field(
        description="The English rendering of code and its parameters, e.g. `certification AS9100 is required`."
    )
    process: Process | None = strawberry.field(default=None, description="PROCESS_NOT_LISTED: the order's process.")
    material: str | None = strawberry.field(default=None, description="MATERIAL_NOT_LISTED: the order's material.")
    quantity: int | None = strawberry.field(default=None, description="QUANTITY_*: the order's quantity.")
    quantity_limit: int | None = strawberry.field(
        default=None, description="QUANTITY_BELOW_MINIMUM: the profile's minimum; QUANTITY_ABOVE_MAXIMUM: its maximum."
    )
    required_standard: CertificationStandard | None = strawberry.field(
        default=None, description="CERTIFICATION_*: the certificate the order requires."
    )
    part_mm: list[float] | None = strawberry.field(
        default=None, description="PART_TOO_LARGE: the order's part, its three sides in mm."
    )
    largest_part_mm: list[int] | None = strawberry.field(
        default=None,
        description="PART_TOO_LARGE: the largest part the profile takes, its known sides in mm, ascending (a side "
        "left out is unlimited; empty when none is given).",
    )
    part_source: EnvelopeSource | None = strawberry.field(
        default=None, description="PART_TOO_LARGE: where partMm comes from."
    )
    part_model_name: str | None = strawberry.field(
        default=None, description="PART_TOO_LARGE: the model's file name when partMm is its bounding box."
    )
    free_hours: int | None = strawberry.field(
        default=None, description="CAPACITY_SHORT: free machine hours before the need-by date."
    )
    required_hours: int | None = strawberry.field(
        default=None, description="CAPACITY_SHORT: the machine hours the order needs."
    )
    organisation_id: strawberry.Private[UUID]

    @classmethod
    def of(cls, item: Exclusion) -> MatchExclusion:
        return cls(
            filter=item.filter.value,
            code=item.code.value,
            reason=item.reason,
            process=item.process,
            material=item.material,
            quantity=item.quantity,
            quantity_limit=item.quantity_limit,
            required_standard=item.standard,
            part_mm=list(item.part_mm) if item.part_mm is not None else None,
            largest_part_mm=list(item.largest_part_mm) if item.largest_part_mm is not None else None,
            part_source=item.part_source,
            part_model_name=item.part_model_name,
            free_hours=item.free_hours,
            required_hours=item.required_hours,
            organisation_id=item.organisation_id,
        )

    @strawberry.field
    async def manufacturer(self, info: Info) -> Organisation:
        row = await info.context.loader(OrganisationByIdLoader).load(self.organisation_id)
        assert row is not None
        return Organisation.from_row(row)


@strawberry.type(
    description="Machine hours estimated from the order's model: quantity x (removedCm3 / removalRateCm3PerMin + "
    "handlingMinutes) minutes, rounded up to hours."
)
class MachineHoursEstimate:
    hours: int
    quantity: int
    removed_cm3: float = strawberry.field(description="Stock removed per part: its bounding box less its volume.")
    removal_rate_cm3_per_min: float = strawberry.field(description="The material's typical roughing rate.")
    handling_minutes: float = strawberry.field(description="Loading and handling per part.")

    @classmethod
    def of(cls, item: HoursEstimate) -> MachineHoursEstimate:
        return cls(
            hours=item.hours,
            quantity=item.quantity,
            removed_cm3=item.removed_cm3,
            removal_rate_cm3_per_min=item.removal_rate_cm3_per_min,
            handling_minutes=item.handling_minutes,
        )


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
        description="The English rendering of machineHoursEstimate; empty when the buyer gave the hours.",
    )
    machine_hours_estimate: MachineHoursEstimate | None = strawberry.field(
        default=None,
        description="How machineHours was estimated from the model when the buyer gave none, as figures; null "
        "when the buyer gave them (or there is no estimate).",
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
