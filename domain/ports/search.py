"""Capability search: the SearchIndex protocol the backends implement, and its query and result values.

Two indexes: `manufacturers` (one document per manufacturing organisation) and `orders` (one per open
order). Documents are plain JSON-able dicts built by search/documents.py from the database; a backend
stores them and answers queries over them. Empty text + filters = browse.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from domain.errors import ErrorCode, InvalidInput, Limits, LimitUnit
from domain.pagination import MAX_PAGE_SIZE, check_first
from domain.vocabulary import CertificationStandard, Process

MAX_QUERY_LENGTH = 500
MAX_FILTER_VALUES = 50
# Deeper than this, refine the query: offsets cost the backend more the deeper they go.
MAX_OFFSET = 1000
HIGHLIGHT_START = "<mark>"
HIGHLIGHT_END = "</mark>"

Document = dict[str, Any]


class IndexName(StrEnum):
    manufacturers = "manufacturers"
    orders = "orders"


class Topic(StrEnum):
    """Outbox topics: which document a change touches (the key is the document id)."""

    manufacturer = "manufacturer"
    order = "order"

    @property
    def index_name(self) -> IndexName:
        return IndexName.manufacturers if self is Topic.manufacturer else IndexName.orders


FACETS: dict[IndexName, tuple[str, ...]] = {
    IndexName.manufacturers: ("processes", "regions", "certifications"),
    IndexName.orders: ("processes", "regions", "certifications"),
}


@dataclass(frozen=True, slots=True)
class ManufacturerSearchFilter:
    """Within one facet any value matches (OR); across facets all must hold (AND). Certifications: all."""

    processes: Sequence[str] = ()
    materials: Sequence[str] = ()
    certifications: Sequence[str] = ()
    regions: Sequence[str] = ()
    # Free machine-hours over the next 4 weeks in one of `processes` (in any process when none given).
    min_free_hours: int | None = None
    verified_only: bool = False


@dataclass(frozen=True, slots=True)
class OrderSearchFilter:
    processes: Sequence[str] = ()
    materials: Sequence[str] = ()
    certifications: Sequence[str] = ()  # orders requiring any of these
    regions: Sequence[str] = ()
    # Only these order ids (internal, never from the API): whether one new order matches a saved search.
    ids: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who searches the order board: operators see every open order; others the public ones, the ones
    they are invited to and their own."""

    organisation_ids: frozenset[str] = frozenset()
    operator: bool = False


@dataclass(frozen=True, slots=True)
class SearchQuery:
    text: str = ""
    manufacturer_filter: ManufacturerSearchFilter = field(default_factory=ManufacturerSearchFilter)
    order_filter: OrderSearchFilter = field(default_factory=OrderSearchFilter)
    first: int = 20
    offset: int = 0
    viewer: Viewer = field(default_factory=Viewer)


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    score: float
    # field -> text with the matched words between HIGHLIGHT_START and HIGHLIGHT_END
    highlights: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: Sequence[Hit]
    total: int
    facets: Mapping[str, Sequence[FacetCount]]
    # Broad searches (thousands of matches) report the total and the facet counts estimated from a sample of
    # the index, as Meilisearch reports estimatedTotalHits; narrower ones are exact.
    total_is_estimate: bool = False


class SearchUnavailable(Exception):
    """The backend did not answer or refused; the caller retries later (the outbox relay does)."""


class SearchRefused(Exception):
    """The backend answered and would not take a document; retried later, but one at a time."""


class SearchIndex(Protocol):
    async def apply(self, index: IndexName, upserts: Sequence[Document], deletes: Sequence[str]) -> None:
        """Store `upserts` and remove `deletes`; returns only once the backend has them (durably)."""
        ...

    async def search(self, index: IndexName, query: SearchQuery) -> SearchResult: ...

    async def rebuild(self, index: IndexName, batches: AsyncIterator[Sequence[Document]]) -> int:
        """Replace the whole index with the documents in `batches`; returns how many were stored."""
        ...

    async def documents(self, index: IndexName) -> dict[str, Document]:
        """Every stored document by id (for checks and tests; not for large indexes in production)."""
        ...

    async def close(self) -> None: ...


# Input checks shared by every backend -----------------------------------------------------------

_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}
FILTER_LIMITS = Limits(LimitUnit.ENTRIES, max=MAX_FILTER_VALUES)
_WORD = re.compile(r"\w+", re.UNICODE)


def clean_text(text: str | None) -> str:
    """The query as the backends see it: NFKC, control and format characters (NUL, RTL marks) dropped,
    whitespace collapsed. Too long is refused rather than silently cut."""
    text = text or ""
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidInput(
            f"the search text is longer than {MAX_QUERY_LENGTH} characters",
            "query",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.CHARACTERS, max=MAX_QUERY_LENGTH),
        )
    text = unicodedata.normalize("NFKC", text)
    text = "".join(" " if unicodedata.category(ch) in _INVISIBLE else ch for ch in text)
    return " ".join(text.split())


def words(text: str, limit: int = 16) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)][:limit]


def _check_vocabulary(values: Sequence[str], allowed: set[str], field: str) -> list[str]:
    if len(values) > MAX_FILTER_VALUES:
        raise InvalidInput(f"at most {MAX_FILTER_VALUES} values", field, ErrorCode.OUT_OF_RANGE, limits=FILTER_LIMITS)
    out = []
    for value in values:
        if value not in allowed:
            raise InvalidInput(f"unknown value {value[:40]!r}", field)
        out.append(value)
    return out


def _check_free(values: Sequence[str], field: str, *, upper: bool = False) -> list[str]:
    if len(values) > MAX_FILTER_VALUES:
        raise InvalidInput(f"at most {MAX_FILTER_VALUES} values", field, ErrorCode.OUT_OF_RANGE, limits=FILTER_LIMITS)
    # Values nobody has simply match nothing; only what cannot be stored is dropped.
    cleaned = [clean_text(v[:MAX_QUERY_LENGTH]) for v in values]
    return [v.upper() if upper else v.lower() for v in cleaned if v]


_PROCESSES = {p.value for p in Process}
_CERTIFICATIONS = {c.value for c in CertificationStandard}


def check_manufacturer_filter(value: ManufacturerSearchFilter) -> ManufacturerSearchFilter:
    if value.min_free_hours is not None and not 0 <= value.min_free_hours <= 168 * 1000 * 12:
        raise InvalidInput(
            "minFreeHours is out of range",
            "filter.minFreeHours",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.HOURS, min=0, max=168 * 1000 * 12),
        )
    return ManufacturerSearchFilter(
        processes=_check_vocabulary(value.processes, _PROCESSES, "filter.processes"),
        materials=_check_free(value.materials, "filter.materials"),
        certifications=_check_vocabulary(value.certifications, _CERTIFICATIONS, "filter.certifications"),
        regions=_check_free(value.regions, "filter.regions", upper=True),
        min_free_hours=value.min_free_hours,
        verified_only=value.verified_only,
    )


def check_order_filter(value: OrderSearchFilter) -> OrderSearchFilter:
    return OrderSearchFilter(
        processes=_check_vocabulary(value.processes, _PROCESSES, "filter.processes"),
        materials=_check_free(value.materials, "filter.materials"),
        certifications=_check_vocabulary(value.certifications, _CERTIFICATIONS, "filter.certifications"),
        regions=_check_free(value.regions, "filter.regions", upper=True),
    )


def check_page(first: int, after: str | None, max_size: int = MAX_PAGE_SIZE) -> tuple[int, int]:
    """(first, offset). Search pages are offsets (relevance order has no stable key), capped at MAX_OFFSET."""
    check_first(first, max_size)
    offset = decode_cursor(after) if after else 0
    if offset + first > MAX_OFFSET + max_size:
        raise InvalidInput("too deep: refine the search instead", "after", ErrorCode.OUT_OF_RANGE)
    return first, offset


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"search:{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        prefix, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        offset = int(number)
        if prefix != "search" or offset < 0:
            raise ValueError(cursor)
        return offset
    except (binascii.Error, ValueError, UnicodeError):
        raise InvalidInput("not a cursor this search gave out", "after") from None
