"""An order's `bids` field, and the order board's prefetch of every order's bids in one batch.

The board asks for up to 100 orders, each with its bids (and often each bid's bidder). The `orders` resolver loads
what every order's `bids` field will ask for before the orders are returned (`prefetch_bids`, reading the query's
selection through the look-ahead), so that each order's field finds its page at hand instead of waiting for a
batch of its own.

When the compiled plans run the query and the bids' selection is all plain columns, money and the bidder's plain
columns (api/execution/sql_json.py), the page is read with each bid's JSON written by PostgreSQL instead of its
columns: each bid then carries its text, and the bid's plan splices it into the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from graphql import FieldNode

from api.bids.loaders import BidsByOrderIdLoader, BidsKey, BidsPage
from api.bids.types import Bid, BidConnection
from api.context import Info
from api.execution import row_views, sql_json
from api.execution.lookahead import selected, selects
from api.pagination import check_first
from api.relay import id_cursor_edge, id_cursor_page_info
from domain.bids.models import BidStatus as DomainBidStatus
from domain.bids.service import CURRENT, BidsPageAsked
from domain.errors import DomainError
from domain.sql_json import connection_part

MAX_BIDS_PAGE = 100
BIDDERS = ("edges", "node", "manufacturer")
NODES = ("edges", "node")


async def order_bids(info: Info, order_id: UUID, first: int, statuses: Sequence[Any] | None) -> BidConnection:
    """The order's cheapest `first` bids (current ones unless `statuses` says otherwise), with their bidders when
    the query selects them. Batched with the other orders' (and answered at once when prefetched)."""
    check_first(first, MAX_BIDS_PAGE)
    parts = sql_json.parts_below(info, "Order", info._raw_info.field_nodes, NODES, sql_json.TYPES)
    key = bids_key(order_id, first, statuses, selects(info, BIDDERS), parts)
    return bid_connection(await info.context.loader(BidsByOrderIdLoader).load(key), parts)


def bids_key(
    order_id: UUID, first: int, statuses: Sequence[Any] | None, bidders: bool, parts: sql_json.Parts | None = None
) -> BidsKey:
    """BidsByOrderIdLoader's key for an order's `bids(first, statuses)` (with the bidders when selected; as JSON
    text of `parts` when given)."""
    wanted = tuple(sorted(DomainBidStatus(s.value) for s in statuses)) if statuses else CURRENT
    return (order_id, first, wanted, bidders, parts)


def bid_connection(page: BidsPage, parts: sql_json.Parts | None = None) -> BidConnection:
    """The page as a connection; each cursor is the bid's id as text (written only if the query reads it). With
    `parts`, the rows are the bids' JSON (RankedBidJsonRow): each bid carries its text for its plan."""
    pairs, has_more = page
    from_row: Any = Bid.from_row
    make = row_views.carrier(Bid) if parts is not None else None
    if parts is not None:
        if make is None:  # only the engine asks for the bids' JSON, and it has made Bid's row view
            raise RuntimeError("bids read as JSON without the execution engine's row views")
        json_pairs: Any = pairs
        edges = [id_cursor_edge(make((parts, row.json)), row.id) for row, _ in json_pairs]
        return BidConnection(
            edges=edges,
            page_info=id_cursor_page_info(
                has_more, pairs[0][0].id if pairs else None, pairs[-1][0].id if pairs else None
            ),
        )
    return BidConnection(
        edges=[id_cursor_edge(from_row(row, maker), row.id) for row, maker in pairs],
        page_info=id_cursor_page_info(has_more, pairs[0][0].id if pairs else None, pairs[-1][0].id if pairs else None),
    )


def bids_read_with_order(info: Info) -> tuple[BidsKey, BidsPageAsked] | None:
    """For `order(id)` (info is its field's): the order's `bids` field whose page can come in the order's own
    statement (domain/bids/service.py order_with_buyer_and_bids), as BidsByOrderIdLoader's key without the order's id
    (put in by prime_bids) and the page asked; None when there is none: no `bids`, arguments refused (the field
    loads, and reports, for itself), or bids not read as JSON (the stock executor, a selection that does not
    qualify: api/execution/sql_json.py). The first such field when the query asks for several. Only for an
    operation whose one root field this is: several `order` fields load their orders (and pages) in one batch each,
    not a statement per order."""
    if not _alone(info):
        return None
    for field in selected(info, ("bids",)):
        if field.arguments is None:
            continue
        first = field.arguments["first"]
        try:
            check_first(first, MAX_BIDS_PAGE)
        except DomainError:
            continue
        parts = sql_json.parts_below(info, "Order", field.nodes, NODES, sql_json.TYPES)
        if parts is None:
            continue
        key = bids_key(_NO_ORDER, first, field.arguments.get("statuses"), selects(info, BIDDERS, below=field), parts)
        return key, BidsPageAsked(first=first, statuses=key[2], parts=parts)
    return None


@dataclass(frozen=True, slots=True)
class OrderAsJson:
    """How `order(id)` reads its order as one JSON text (domain/bids/service.py order_json): the order's parts and,
    when they hold the `bids` connection, that field's page size and statuses."""

    parts: sql_json.Parts
    first: int = 20
    statuses: tuple[DomainBidStatus, ...] = CURRENT


def order_read_as_json(info: Info) -> OrderAsJson | None:
    """For `order(id)` (info is its field's): the order written whole by PostgreSQL — its plain columns, budget,
    buyer and first page of bids, each selection qualifying (api/execution/sql_json.py) — and spliced by the
    order's plan; None when it does not qualify (the stock executor, a field with a resolver, ...), when the `bids`
    arguments are refused (the field loads, and reports, for itself), or when the field is not the operation's one
    root field (several `order` fields load in one batch each, not a statement per order)."""
    if not _alone(info):
        return None
    parts = sql_json.parts_below(info, "Query", info._raw_info.field_nodes, (), sql_json.TYPES)
    if parts is None:
        return None
    if connection_part(parts) is None:
        return OrderAsJson(parts)
    fields = selected(info, ("bids",))
    if len(fields) != 1 or fields[0].arguments is None:
        return None
    arguments = fields[0].arguments
    first = arguments["first"]
    try:
        check_first(first, MAX_BIDS_PAGE)
    except DomainError:
        return None
    return OrderAsJson(parts, first, bids_key(_NO_ORDER, first, arguments.get("statuses"), False)[2])


_NO_ORDER = UUID(int=0)


def _alone(info: Info) -> bool:
    """Whether the field is the operation's only root field (written as a field: a fragment may hold more)."""
    selections = info._raw_info.operation.selection_set.selections
    return len(selections) == 1 and isinstance(selections[0], FieldNode)


def prime_bids(info: Info, order_id: UUID, key: BidsKey, page: BidsPage) -> None:
    """The order's page read with the order (bids_read_with_order's key) handed to its `bids` field's loader."""
    info.context.loader(BidsByOrderIdLoader).prime_many({(order_id, *key[1:]): page})


async def prefetch_bids(info: Info, order_ids: Sequence[UUID]) -> None:
    """Load the bids every `bids` field of the page's orders will ask for, in one batch. Called by the `orders`
    resolver (info is the connection's); a `bids` field whose arguments are refused is left to load, and report,
    for itself."""
    keys = []
    for field in selected(info, ("edges", "node", "bids")):
        if field.arguments is None:
            continue
        first = field.arguments["first"]
        try:
            check_first(first, MAX_BIDS_PAGE)
        except DomainError:
            continue
        bidders = selects(info, BIDDERS, below=field)
        parts = sql_json.parts_below(info, "Order", field.nodes, NODES, sql_json.TYPES)
        statuses = field.arguments.get("statuses")
        keys += [bids_key(order_id, first, statuses, bidders, parts) for order_id in order_ids]
    if keys:
        try:
            await info.context.loader(BidsByOrderIdLoader).load_many(keys)
        except Exception:  # the loader keeps the failure: each order's field reports it
            pass
