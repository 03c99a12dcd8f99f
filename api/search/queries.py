"""searchManufacturers and searchOrders: text + filters over the search backend, nodes loaded from the
database through the request's DataLoaders (a constant number of statements whatever the page size)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Union
from uuid import UUID

import strawberry
from strawberry import relay

from api.context import Info
from api.enums import CertificationStandard, Process
from api.errors import NotAuthenticatedError, ValidationError, to_user_error
from api.orders.loaders import OrderByIdLoader
from api.orders.types import Order
from api.organisations.loaders import OrganisationByIdLoader
from api.organisations.types import Organisation
from api.search.types import (
    FacetCount,
    Highlight,
    ManufacturerHit,
    ManufacturerSearch,
    OrderHit,
    OrderSearch,
    SearchFacets,
)
from domain.errors import DomainError
from domain.ports.search import (
    IndexName,
    ManufacturerSearchFilter,
    OrderSearchFilter,
    SearchQuery,
    SearchResult,
    Viewer,
    check_manufacturer_filter,
    check_order_filter,
    check_page,
    clean_text,
    encode_cursor,
)
from domain.vocabulary import CertificationStandard as DomainCertificationStandard
from domain.vocabulary import Process as DomainProcess

ManufacturerSearchResult = Annotated[
    Union[ManufacturerSearch, ValidationError],  # noqa: UP007
    strawberry.union("ManufacturerSearchResult"),
]
OrderSearchResult = Annotated[
    Union[OrderSearch, ValidationError, NotAuthenticatedError],  # noqa: UP007
    strawberry.union("OrderSearchResult"),
]


@strawberry.input(description="Within one list any value matches; all given lists must match.")
class ManufacturerSearchFilterInput:
    processes: list[Process] | None = None
    materials: list[str] | None = strawberry.field(default=None, description="Exact names, any case.")
    certifications: list[CertificationStandard] | None = strawberry.field(
        default=None, description="Manufacturers holding all of these, valid today."
    )
    regions: list[str] | None = strawberry.field(default=None, description="ISO 3166-2 codes.")
    min_free_hours: int | None = strawberry.field(
        default=None,
        description="Free machine-hours over the next 4 weeks in one of `processes` (any process if none given).",
    )
    verified_only: bool = False


@strawberry.input(description="Within one list any value matches; all given lists must match.")
class OrderSearchFilterInput:
    processes: list[Process] | None = None
    materials: list[str] | None = strawberry.field(default=None, description="Exact names, any case.")
    certifications: list[CertificationStandard] | None = strawberry.field(
        default=None, description="Orders requiring any of these."
    )
    regions: list[str] | None = strawberry.field(default=None, description="Delivery regions, ISO 3166-2.")


_PROCESS_NAMES = {p.value: p.name.upper() for p in DomainProcess}
_CERTIFICATION_NAMES = {c.value: c.name.upper() for c in DomainCertificationStandard}


def _facets(result: SearchResult) -> SearchFacets:
    def counts(name: str, names: Mapping[str, str] | None = None) -> list[FacetCount]:
        return [
            FacetCount(value=names.get(f.value, f.value) if names else f.value, count=f.count)
            for f in result.facets.get(name, ())
        ]

    return SearchFacets(
        processes=counts("processes", _PROCESS_NAMES),
        regions=counts("regions"),
        certifications=counts("certifications", _CERTIFICATION_NAMES),
    )


def _highlights(values: Mapping[str, str]) -> list[Highlight]:
    return [Highlight(field=field, snippet=snippet) for field, snippet in values.items() if snippet]


def _page_info(offset: int, shown: int, first: int, total: int) -> relay.PageInfo:
    return relay.PageInfo(
        has_next_page=offset + first < total,
        has_previous_page=offset > 0,
        start_cursor=encode_cursor(offset) if shown else None,
        end_cursor=encode_cursor(offset + first) if shown else None,
    )


def _nodes(
    result: SearchResult, rows: Sequence[Any], offset: int, convert: Callable[[Any], Any], hit_class: type
) -> list[Any]:
    """Hits in relevance order; a hit the database no longer has (or the viewer may not see) is left out."""
    edges = []
    for position, (hit, row) in enumerate(zip(result.hits, rows, strict=True)):
        if row is not None:
            edges.append(
                hit_class(
                    cursor=encode_cursor(offset + position + 1),
                    node=convert(row),
                    score=hit.score,
                    highlights=_highlights(hit.highlights),
                )
            )
    return edges


def _str_list(values: Sequence[Any] | None) -> list[str]:
    return [str(v) for v in values or []]


@strawberry.type
class SearchQueryType:
    @strawberry.field(description="Find manufacturers by what they can make: text (typos forgiven) and filters.")
    async def search_manufacturers(
        self,
        info: Info,
        query: str = "",
        filter: ManufacturerSearchFilterInput | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> ManufacturerSearchResult:
        ctx = info.context
        value = filter or ManufacturerSearchFilterInput()
        try:
            size, offset = check_page(first, after, ctx.settings.max_page_size)
            search_query = SearchQuery(
                text=clean_text(query),
                manufacturer_filter=check_manufacturer_filter(
                    ManufacturerSearchFilter(
                        processes=_str_list(value.processes),
                        materials=value.materials or [],
                        certifications=_str_list(value.certifications),
                        regions=value.regions or [],
                        min_free_hours=value.min_free_hours,
                        verified_only=value.verified_only,
                    )
                ),
                first=size,
                offset=offset,
            )
        except DomainError as error:
            return to_user_error(error)
        assert ctx.deps.search is not None, "no search backend wired"
        # The backend takes a connection of its own: the request's read one goes back first.
        await ctx.give_back()
        result = await ctx.deps.search.search(IndexName.manufacturers, search_query)
        rows = await ctx.loader(OrganisationByIdLoader).load_many([UUID(h.id) for h in result.hits])
        return ManufacturerSearch(
            edges=_nodes(result, rows, offset, Organisation.from_row, ManufacturerHit),
            page_info=_page_info(offset, len(result.hits), size, result.total),
            total=result.total,
            total_is_estimate=result.total_is_estimate,
            facets=_facets(result),
        )

    @strawberry.field(
        description="Find open orders to bid on (public ones, ones you are invited to, your own): text and filters."
    )
    async def search_orders(
        self,
        info: Info,
        query: str = "",
        filter: OrderSearchFilterInput | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> OrderSearchResult:
        ctx = info.context
        value = filter or OrderSearchFilterInput()
        try:
            ctx.actor.require_user()
            size, offset = check_page(first, after, ctx.settings.max_page_size)
            search_query = SearchQuery(
                text=clean_text(query),
                order_filter=check_order_filter(
                    OrderSearchFilter(
                        processes=_str_list(value.processes),
                        materials=value.materials or [],
                        certifications=_str_list(value.certifications),
                        regions=value.regions or [],
                    )
                ),
                first=size,
                offset=offset,
                viewer=Viewer(
                    organisation_ids=frozenset(str(o) for o in ctx.actor.memberships),
                    operator=ctx.actor.is_operator,
                ),
            )
        except DomainError as error:
            return to_user_error(error)
        assert ctx.deps.search is not None, "no search backend wired"
        # The backend takes a connection of its own: the request's read one goes back first.
        await ctx.give_back()
        result = await ctx.deps.search.search(IndexName.orders, search_query)
        # The loader applies the board's visibility again: the index can lag behind the database.
        rows = await ctx.loader(OrderByIdLoader).load_many([UUID(h.id) for h in result.hits])
        return OrderSearch(
            edges=_nodes(result, rows, offset, Order.from_row, OrderHit),
            page_info=_page_info(offset, len(result.hits), size, result.total),
            total=result.total,
            total_is_estimate=result.total_is_estimate,
            facets=_facets(result),
        )
