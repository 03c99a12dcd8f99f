"""The order board's orders whose JSON PostgreSQL writes (api/execution/sql_json.py, domain/orders/service.py
list_orders_json): the answer is byte for byte the server's own, for adversarial values, every status and process,
the budget's amounts, microsecond timestamps, aliases and __typename; the page, hasNextPage and endCursor are the
same select's; a selection with one computed field is completed by the server."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

import api.orders.queries as order_queries
from domain.columns import table_of
from domain.orders.models import OrderStatus, ProductionOrder
from domain.sql_json import Part, columns_of, json_text
from domain.vocabulary import Process
from tests.api.engine_mode import STOCK
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, sign_up
from tests.api.sql_json import raw_answer, without_json
from tests.clock import FakeClock

ALL_STATUSES = "[" + ", ".join(status.name.upper() for status in OrderStatus) + "]"

# Every kind of part an order has: aliases, __typename at three levels, the budget (an object of the order's own
# row) with money of exponents 2 and 0, the buyer's plain columns, enums stored as an enum and as text, dates.
QUERY = (
    """query($first: Int!, $after: String) { orders(first: $first, after: $after, sort: NEWEST, filter: {mine: true,
      statuses: """
    + ALL_STATUSES
    + """}) { edges { cursor node {
      __typename id title st: status process material quantity deliveryRegion biddingDeadline needBy createdAt
      budget { __typename min { amount currency __typename } max { currency amount } includesVat }
      buyer { __typename id name region verified }
      alias: title
    } } pageInfo { hasNextPage endCursor } } }"""
)
BOARD = """query($process: Process!) { orders(first: 20, filter: {statuses: [OPEN], processes: [$process]},
  sort: NEWEST) { edges { node { id title status process material quantity deliveryRegion biddingDeadline needBy
  budget { min { amount currency } max { amount currency } } buyer { id name region verified } } }
  pageInfo { hasNextPage endCursor } } }"""

TEXTS = [
    'Quote " and \\ backslash / slash',
    "\x01\x02\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x1b\x1f end",
    "Line\u2028separator\u2029paragraph",
    "Эмодзи 🛠️🔩 и ё \u00a0nbsp \u00ad shy",
    "DEL\x7f and \u0301 combining and \ufeff BOM",
    "<script>alert('x')</script> &amp;",
]
# (budget min, max) in minor units and the currency: zero, one minor unit, trillions, exponent 0
BUDGETS = [(0, 0, "RUB"), (1, 100, "RUB"), (120_000, 999_999_999_999_999, "USD"), (0, 7, "JPY"), (5, 12_345, "KRW")]
MOMENTS = [
    datetime(2027, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
    datetime(2027, 1, 2, 3, 4, 5, 1, tzinfo=UTC),
    datetime(2027, 1, 2, 3, 4, 5, 100000, tzinfo=UTC),
    datetime(2027, 12, 31, 23, 59, 59, tzinfo=UTC),
    datetime(1999, 1, 1, 0, 0, 0, 500, tzinfo=UTC),
]
PROCESSES = [process.value for process in Process]
STATUSES = [status.value for status in OrderStatus]
COUNT = len(PROCESSES)  # one order per process (more than statuses, texts and budgets: every one is used)


@pytest.fixture
def json_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many orders each JSON read of the board returned."""
    reads: list[int] = []
    original = order_queries.list_orders_json

    async def spy(*args: Any, **kwargs: Any) -> Any:
        found = await original(*args, **kwargs)
        reads.append(len(found.items))
        return found

    monkeypatch.setattr(order_queries, "list_orders_json", spy)
    return reads


async def _adversarial_orders(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> Party:
    buyer = await sign_up(gql, kind="BUYER")
    for _ in range(COUNT):
        await create_order(gql, buyer, clock)
    async with engine.begin() as conn:
        ids = [row[0] for row in (await conn.execute(text("SELECT id FROM production_order ORDER BY id"))).all()]
        assert len(ids) == COUNT
        for index, order_id in enumerate(ids):
            low, high, currency = BUDGETS[index % len(BUDGETS)]
            await conn.execute(
                text(
                    "UPDATE production_order SET title = :title, material = :material, status = :status, "
                    "process = :process, budget_min_minor = :low, budget_max_minor = :high, currency = :currency, "
                    "budget_includes_vat = :vat, created_at = :created, bidding_deadline = :deadline, "
                    "need_by = :need_by, quantity = :quantity WHERE id = :id"
                ),
                {
                    "title": TEXTS[index % len(TEXTS)],
                    "material": TEXTS[-1 - index % len(TEXTS)],
                    "status": STATUSES[index % len(STATUSES)],
                    "process": PROCESSES[index],
                    "low": low,
                    "high": high,
                    "currency": currency,
                    "vat": index % 2 == 0,
                    # distinct creation times (the page's order), microseconds with and without trailing zeros
                    "created": MOMENTS[index % len(MOMENTS)].replace(year=2000 + index),
                    "deadline": MOMENTS[-1 - index % len(MOMENTS)],
                    "need_by": date(2027 + index % 3, 2, 28),
                    "quantity": 2_147_483_647 if index == 1 else 1 + index,
                    "id": order_id,
                },
            )
        await conn.execute(
            text(
                "UPDATE organisation SET name = :name, verified = true WHERE id = (SELECT buyer_organisation_id "
                "FROM production_order LIMIT 1)"
            ),
            {"name": TEXTS[0] + TEXTS[1]},
        )
    return buyer


async def test_orders_written_by_postgresql_are_byte_identical_page_by_page(
    gql: GraphQL,
    client: httpx.AsyncClient,
    clock: FakeClock,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
    json_reads: list[int],
) -> None:
    buyer = await _adversarial_orders(gql, clock, engine)
    # the whole list at once, then pages of 7 following endCursor: the same orders, cursors and hasNextPage
    after: str | None = None
    pages: list[dict[str, Any]] = []
    for first in (COUNT + 5, 7, 7, 7, 7):
        variables = {"first": first, "after": after if first == 7 else None}

        async def ask(variables: dict[str, Any] = variables) -> bytes:
            return await raw_answer(client, QUERY, variables, buyer.token)

        spliced = await ask()
        assert json_reads == ([] if STOCK else [min(first, COUNT - (len(pages) - 1) * 7 if first == 7 else COUNT)])
        assert spliced == await without_json(monkeypatch, ask)
        json_reads.clear()
        page = orjson.loads(spliced)["data"]["orders"]
        pages.append(page)
        if first == 7:
            after = page["pageInfo"]["endCursor"]
    whole = [edge["node"] for edge in pages[0]["edges"]]
    assert [edge["node"] for page in pages[1:] for edge in page["edges"]] == whole
    assert [page["pageInfo"]["hasNextPage"] for page in pages] == [False, True, True, True, False]
    # the adversarial values are in the answer: every text, status, process, amount, both VAT flags, microseconds
    assert {node["title"] for node in whole} == set(TEXTS) == {node["material"] for node in whole}
    assert {node["st"] for node in whole} == {status.name.upper() for status in OrderStatus}
    assert len({node["process"] for node in whole}) == len(PROCESSES)
    assert {node["budget"]["max"]["amount"] for node in whole} >= {"0.00", "1.00", "9999999999999.99", "7", "12345"}
    assert {node["budget"]["includesVat"] for node in whole} == {True, False}
    assert {node["biddingDeadline"] for node in whole} >= {
        "2027-01-02T03:04:05.123456+00:00",
        "2027-01-02T03:04:05.000001+00:00",
        "2027-01-02T03:04:05.100000+00:00",
        "2027-12-31T23:59:59+00:00",
    }
    assert {node["quantity"] for node in whole} >= {2_147_483_647}
    raw = orjson.dumps(pages[0])
    assert b"\\u0001\\u0002\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u001b\\u001f end" in raw


async def test_the_board_query_for_a_manufacturer_is_the_servers_own(
    gql: GraphQL,
    client: httpx.AsyncClient,
    clock: FakeClock,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
    json_reads: list[int],
) -> None:
    """The bench's board (open orders of one process): a manufacturer sees the public open ones only — the same
    select chooses the rows either way."""
    await _adversarial_orders(gql, clock, engine)
    maker = await make_manufacturer(gql, clock)
    async with engine.begin() as conn:
        opened = (
            (
                await conn.execute(
                    text("SELECT process FROM production_order WHERE status = 'open' AND visibility = 'public'")
                )
            )
            .scalars()
            .all()
        )
    assert opened
    for process in {opened[0], PROCESSES[1]}:
        variables = {"process": Process(process).name.upper()}

        async def ask(variables: dict[str, Any] = variables) -> bytes:
            return await raw_answer(client, BOARD, variables, maker.token)

        answer = await ask()
        assert answer == await without_json(monkeypatch, ask)
        edges = orjson.loads(answer)["data"]["orders"]["edges"]
        assert len(edges) == opened.count(process)
        assert json_reads == ([] if STOCK else [len(edges)])
        json_reads.clear()


async def test_an_order_selection_with_a_computed_field_is_completed_by_the_server(
    gql: GraphQL,
    client: httpx.AsyncClient,
    clock: FakeClock,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
    json_reads: list[int],
) -> None:
    buyer = await _adversarial_orders(gql, clock, engine)
    cases = {
        "biddingOpen": False,  # a resolver over the clock
        "viewerCanEdit": False,  # viewer-dependent
        "bids(first: 2) { edges { node { id } } }": False,  # an argument, another read
        "buyer { id legalDetails { __typename } }": False,  # visible to members and operators only
        "requiredCertifications": False,  # a list column: not written by SQL
        "again: __typename description cancelReason": True,
    }
    for extra, as_json in cases.items():
        query = QUERY.replace("alias: title", f"alias: title {extra}")

        async def ask(query: str = query) -> bytes:
            return await raw_answer(client, query, {"first": 10}, buyer.token)

        answer = await ask()
        assert json_reads == ([10] if as_json and not STOCK else []), extra
        assert answer == await without_json(monkeypatch, ask)
        json_reads.clear()


async def test_relay_ids_are_written_as_the_server_writes_them_for_every_prefix_length(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    """The id's text cast to bytea, and for a prefix long enough that PostgreSQL's base64 wraps at 76 characters
    (past 57 bytes) or one that is not ASCII, the convert_to path with the newlines taken out."""
    buyer = await sign_up(gql, kind="BUYER")
    await create_order(gql, buyer, clock)
    prefixes = ["Order:", "A" * 20 + ":", "B" * 21 + ":", "C" * 22 + ":", "D" * 60 + ":", "Заказ:"]
    parts = tuple(Part(f"k{index}", "gid", "id", prefix) for index, prefix in enumerate(prefixes))
    orders = table_of(ProductionOrder)
    stmt = select(orders.c.id, json_text(parts, columns_of({None: orders})))
    async with engine.connect() as conn:
        order_id, written = (await conn.execute(stmt)).one()
    expected = {
        f"k{index}": base64.b64encode(f"{prefix}{order_id}".encode()).decode() for index, prefix in enumerate(prefixes)
    }
    assert orjson.loads(written) == expected
    assert "\n" not in written


async def test_the_parts_kept_per_operation_follow_each_include_variant(
    gql: GraphQL,
    client: httpx.AsyncClient,
    clock: FakeClock,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
    json_reads: list[int],
) -> None:
    """parts_below's answer is kept with the operation's plans (one per set of @skip/@include values): one document
    whose computed field is included or not by a variable asks PostgreSQL for JSON exactly when it is left out,
    request after request, in any order of the variants, and answers the server's own bytes each time."""
    buyer = await _adversarial_orders(gql, clock, engine)
    query = QUERY.replace("$after: String)", "$after: String, $computed: Boolean!)").replace(
        "alias: title", "alias: title viewerCanEdit @include(if: $computed)"
    )
    for computed in (True, False, False, True, False, True):

        async def ask(computed: bool = computed) -> bytes:
            return await raw_answer(client, query, {"first": 10, "computed": computed}, buyer.token)

        answer = await ask()
        assert json_reads == ([] if computed or STOCK else [10]), computed
        assert (b'"viewerCanEdit"' in answer) is computed
        assert answer == await without_json(monkeypatch, ask)
        json_reads.clear()
