from __future__ import annotations

import strawberry

from api.context import Info
from api.matching.resolvers import check_first, fit_weights
from api.matching.types import FactorExplanation, MatchWeightsInput, OrderMatch
from api.relay import decode_id
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
        from api.orders.types import Order

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
