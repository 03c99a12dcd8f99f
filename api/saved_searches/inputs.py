"""The board's text filters as the saved-search use cases take them (saveSearch and savedSearchesMatching alike)."""

from __future__ import annotations

from api.search.queries import OrderSearchFilterInput
from domain.ports.search import OrderSearchFilter


def order_search_filter(value: OrderSearchFilterInput | None) -> OrderSearchFilter:
    value = value or OrderSearchFilterInput()
    return OrderSearchFilter(
        processes=[str(p) for p in value.processes or []],
        materials=value.materials or [],
        certifications=[str(c) for c in value.certifications or []],
        regions=value.regions or [],
    )
