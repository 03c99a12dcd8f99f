"""Search results: hits (with the node, its score and highlight snippets), facet counts and paging."""

from __future__ import annotations

import strawberry
from strawberry import relay

from api.orders.types import Order
from api.organisations.types import Organisation


@strawberry.type(description="A matched field with the query's words between <mark> and </mark>.")
class Highlight:
    field: str
    snippet: str


@strawberry.type(description="How many results carry a value: one filter chip.")
class FacetCount:
    value: str = strawberry.field(description="As the filter takes it: an enum name, or a region code.")
    count: int


@strawberry.type(description="Counts over all results (not just this page), for filter chips.")
class SearchFacets:
    processes: list[FacetCount]
    regions: list[FacetCount]
    certifications: list[FacetCount]


@strawberry.type
class ManufacturerHit:
    cursor: str
    node: Organisation
    score: float = strawberry.field(description="Relevance; higher is better. 0 when browsing without text.")
    highlights: list[Highlight]


@strawberry.type
class ManufacturerSearch:
    edges: list[ManufacturerHit]
    page_info: relay.PageInfo
    total: int = strawberry.field(description="All matches (a page shows at most `first`).")
    total_is_estimate: bool = strawberry.field(
        description="True for broad searches (thousands of matches): `total` and the facet counts are then"
        " estimated from a sample of the index, and the page lists name matches first, then the others in"
        " browse order."
    )
    facets: SearchFacets


@strawberry.type
class OrderHit:
    cursor: str
    node: Order
    score: float
    highlights: list[Highlight]


@strawberry.type
class OrderSearch:
    edges: list[OrderHit]
    page_info: relay.PageInfo
    total: int
    total_is_estimate: bool = strawberry.field(description="As on ManufacturerSearch.")
    facets: SearchFacets
