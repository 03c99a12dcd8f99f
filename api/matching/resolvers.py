"""Resolvers behind the matching fields on Order (kept here so that api/orders stays thin)."""

from __future__ import annotations

from uuid import UUID

from api.bids.types import Bid
from api.context import Info
from api.matching.types import (
    BidWeightsInput,
    FactorExplanation,
    MachineHoursEstimate,
    ManufacturerMatch,
    ManufacturerRecommendations,
    MatchExclusion,
    MatchWeightsInput,
    RankedBid,
)
from api.pagination import check_first
from domain.matching.rules import BidFactor, Factor, merge_weights
from domain.matching.service import rank_order_bids, recommend_manufacturers


def fit_weights(info: Info, weights: MatchWeightsInput | None) -> dict[Factor, float]:
    base = {Factor(name): value for name, value in info.context.settings.match_weights.items()}
    return merge_weights(base, weights.override() if weights else None, kind=Factor)


def bid_weights(info: Info, weights: BidWeightsInput | None) -> dict[BidFactor, float]:
    base = {BidFactor(name): value for name, value in info.context.settings.match_bid_weights.items()}
    return merge_weights(base, weights.override() if weights else None, kind=BidFactor)


async def recommended_manufacturers(
    info: Info, order_id: UUID, buyer_id: UUID, first: int, weights: MatchWeightsInput | None
) -> ManufacturerRecommendations | None:
    ctx = info.context
    if not (ctx.actor.is_operator or ctx.actor.is_member(buyer_id)):
        return None
    check_first(first)
    chosen = fit_weights(info, weights)
    # In a transaction: the ranking's planner settings are set_config(..., true), for its next statement.
    async with ctx.db(transaction=True) as session:
        result = await recommend_manufacturers(
            session,
            actor=ctx.actor,
            order_id=order_id,
            today=ctx.clock.now().date(),
            first=first,
            weights=chosen,
            now=ctx.clock.now(),
        )
    return ManufacturerRecommendations(
        machine_hours=result.machine_hours,
        machine_hours_basis=result.hours_basis,
        machine_hours_estimate=MachineHoursEstimate.of(result.hours_estimate) if result.hours_estimate else None,
        fitting_count=result.fitting,
        matches=[
            ManufacturerMatch(
                score=item.score,
                explanations=[FactorExplanation.of(e) for e in item.explanations],
                organisation_id=item.organisation_id,
            )
            for item in result.scored
        ],
        excluded_count=result.excluded_count,
        excluded=[
            MatchExclusion.of(item) for item in sorted(result.excluded, key=lambda e: str(e.organisation_id))[:first]
        ],
    )


async def ranked_bids(
    info: Info, order_id: UUID, buyer_id: UUID, weights: BidWeightsInput | None
) -> list[RankedBid] | None:
    ctx = info.context
    if not ctx.actor.is_member(buyer_id):
        return None
    chosen = bid_weights(info, weights)
    async with ctx.db() as session:
        ranked = await rank_order_bids(
            session, actor=ctx.actor, order_id=order_id, today=ctx.clock.now().date(), weights=chosen
        )
        return [
            RankedBid(
                score=scored.score,
                explanations=[FactorExplanation.of(e) for e in scored.explanations],
                bid=Bid.from_row(row),
            )
            for row, scored in ranked
        ]
