from __future__ import annotations

import strawberry

from api.context import Info
from api.errors import ACTION_ERRORS, NotEligibleError, UserError, result_union
from api.observability.outcome import note_user_error
from api.relay import decode_id
from api.saved_searches.inputs import order_search_filter
from api.saved_searches.types import SavedSearch
from api.search.queries import OrderSearchFilterInput
from domain.saved_searches import service
from domain.uow import UnitOfWork


@strawberry.type
class SavedSearchSuccess:
    saved_search: SavedSearch


@strawberry.type
class DeleteSavedSearchSuccess:
    deleted_id: strawberry.ID


@strawberry.type(
    description="Your organisation already keeps a search with the same text and filters (any case, any order): "
    "`existing` is that one. Nothing was saved."
)
class DuplicateSavedSearchError(UserError):
    existing: SavedSearch


SaveSearchResult = result_union(
    "SaveSearchResult", SavedSearchSuccess, *ACTION_ERRORS, NotEligibleError, DuplicateSavedSearchError
)
DeleteSavedSearchResult = result_union("DeleteSavedSearchResult", DeleteSavedSearchSuccess, *ACTION_ERRORS)


@strawberry.type
class SavedSearchMutation:
    @strawberry.mutation(
        description="Keep an order search (the text and filters of searchOrders); every new open order it matches "
        "is notified to your organisation. At most 50 per organisation."
    )
    async def save_search(
        self,
        info: Info,
        name: str,
        query: str = "",
        filter: OrderSearchFilterInput | None = None,
        organisation_id: strawberry.ID | None = None,
    ) -> SaveSearchResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> SavedSearchSuccess | DuplicateSavedSearchError:
            try:
                row = await service.save_search(
                    uow,
                    actor=ctx.actor,
                    organisation_id=decode_id(organisation_id, "Organisation", "organisationId")
                    if organisation_id
                    else None,
                    name=name,
                    query=query,
                    filter=order_search_filter(filter),
                )
            except service.DuplicateSavedSearch as duplicate:
                note_user_error()
                return DuplicateSavedSearchError(
                    message=duplicate.message,
                    code=duplicate.code.value,
                    field=duplicate.field,
                    existing=SavedSearch.from_row(duplicate.existing),
                )
            return SavedSearchSuccess(saved_search=SavedSearch.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(description="Stop a saved search.")
    async def delete_saved_search(self, info: Info, id: strawberry.ID) -> DeleteSavedSearchResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> DeleteSavedSearchSuccess:
            await service.delete_saved_search(uow, actor=ctx.actor, saved_search_id=decode_id(id, "SavedSearch", "id"))
            return DeleteSavedSearchSuccess(deleted_id=id)

        return await ctx.run(use_case)
