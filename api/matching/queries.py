from __future__ import annotations

import strawberry

from api.bids.types import Bid
from api.context import Info
from api.matching.resolvers import bid_weights, fit_weights
from api.matching.types import (
    AllocationObjective,
    AllocationPlan,
    BidWeightsInput,
    FactorExplanation,
    MatchWeightsInput,
    OrderMatch,
    ProposedAward,
)
from api.orders.types import Order
from api.pagination import check_first
from api.relay import decode_id, decode_ids
from domain.matching.allocation import Objective
from domain.matching.plan import allocation_plan
from domain.matching.service import recommend_orders


@strawberry.type
class MatchingQuery:
    @strawberry.field(
        description="Open orders the signed-in manufacturer can see and make, best fit first (at most `first`, "
        "<= 100). `organisationId` may be omitted if you belong to one organisation only."
    )
    async def recommended_orders(
        self,
        info: Info,
        first: int = 20,
        organisation_id: strawberry.ID | None = None,
        weights: MatchWeightsInput | None = None,
    ) -> list[OrderMatch]:
        ctx = info.context
        check_first(first)
        chosen = fit_weights(info, weights)
        org = ctx.actor.pick_organisation(
            decode_id(organisation_id, "Organisation", "organisationId") if organisation_id else None
        )
        async with ctx.db() as session:
            matches = await recommend_orders(
                session, actor=ctx.actor, organisation_id=org, now=ctx.clock.now(), first=first, weights=chosen
            )
            return [
                OrderMatch(
                    score=m.score,
                    explanations=[FactorExplanation.of(e) for e in m.explanations],
                    order=Order.from_row(m.order),
                )
                for m in matches
            ]


@strawberry.type
class AllocationQuery:
    @strawberry.field(
        description="The best set of awards across your open orders (operators: any orders; at most 500) among "
        "their active bids, under each manufacturer's free capacity per week. Advice only."
    )
    async def allocation_plan(
        self,
        info: Info,
        order_ids: list[strawberry.ID],
        objective: AllocationObjective = AllocationObjective.SCORE,
        weights: BidWeightsInput | None = None,
    ) -> AllocationPlan:
        ctx = info.context
        ctx.actor.require_user()
        chosen = bid_weights(info, weights)
        ids = decode_ids(order_ids, "Order", "orderIds")
        async with ctx.db() as session:
            result = await allocation_plan(
                session,
                actor=ctx.actor,
                order_ids=ids,
                objective=Objective(objective.value),
                now=ctx.clock.now(),
                weights=chosen,
                time_budget_seconds=ctx.settings.match_allocation_seconds,
            )
            plan = result.plan
            return AllocationPlan(
                objective_value=plan.objective_value,
                greedy_objective_value=plan.greedy_value,
                method=plan.method,
                optimal=plan.optimal,
                notes=plan.notes,
                awards=[
                    ProposedAward(
                        score=result.scored[arc.bid_id].score,
                        explanations=[FactorExplanation.of(e) for e in result.scored[arc.bid_id].explanations],
                        order=Order.from_row(result.orders[result.bids[arc.bid_id].order_id]),
                        bid=Bid.from_row(result.bids[arc.bid_id]),
                        quantity=quantity,
                    )
                    for arc, quantity in zip(plan.awards, plan.quantities, strict=True)
                    if arc.bid_id is not None
                ],
                unassigned_orders=[Order.from_row(result.orders[i]) for i in result.unassigned],
            )
