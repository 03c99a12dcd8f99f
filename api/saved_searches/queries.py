from __future__ import annotations

import strawberry

from api.context import Info
from api.saved_searches.types import SavedSearch
from domain.saved_searches.service import my_saved_searches


@strawberry.type
class SavedSearchQuery:
    @strawberry.field(description="Your organisations' saved order searches, oldest first.")
    async def saved_searches(self, info: Info) -> list[SavedSearch]:
        async with info.context.db() as session:
            rows = await my_saved_searches(session, actor=info.context.actor)
        return [SavedSearch.from_row(row) for row in rows]
