from __future__ import annotations

import strawberry

from api.context import Info
from api.organisations.types import Organisation
from api.saved_searches.inputs import order_search_filter
from api.saved_searches.types import SavedSearch
from api.search.queries import OrderSearchFilterInput
from domain.saved_searches.service import my_saved_searches, organisations_that_may_save, saved_searches_matching


@strawberry.type
class SavedSearchQuery:
    @strawberry.field(description="Your organisations' saved order searches, oldest first.")
    async def saved_searches(self, info: Info) -> list[SavedSearch]:
        async with info.context.db() as session:
            rows = await my_saved_searches(session, actor=info.context.actor)
        return [SavedSearch.from_row(row) for row in rows]

    @strawberry.field(
        description="Your organisations that may keep saved searches (those that manufacture), by name: "
        "saveSearch takes one of them. Empty signed out or for a buyer only: offer no «save this search»."
    )
    async def saved_search_organisations(self, info: Info) -> list[Organisation]:
        async with info.context.db() as session:
            rows = await organisations_that_may_save(session, actor=info.context.actor)
        return [Organisation.from_row(row) for row in rows]

    @strawberry.field(
        description="Your organisations' saved searches that are this text and these filters (searchOrders' "
        "arguments), compared as saveSearch compares a duplicate: any case, any order. At most one per "
        "organisation, oldest first; `organisation` says whose. Empty: not saved (signed out, or text or "
        "filters no search could keep, are never saved either). The board says «saved» up front from this."
    )
    async def saved_searches_matching(
        self, info: Info, query: str = "", filter: OrderSearchFilterInput | None = None
    ) -> list[SavedSearch]:
        async with info.context.db() as session:
            rows = await saved_searches_matching(
                session, actor=info.context.actor, query=query, filter=order_search_filter(filter)
            )
        return [SavedSearch.from_row(row) for row in rows]
