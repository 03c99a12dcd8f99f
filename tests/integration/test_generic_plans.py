"""The pool's connections plan each prepared statement once, for any values (`plan_cache_mode = force_generic_plan`,
exchange/db.py SERVER_SETTINGS). The hot reads must have good generic plans: on seed-like data (the `tiny` profile,
analysed), the generic plan of every board shape (kinds of viewer x filters x sorts x a cursor or not, with the
buyers or not) and of the order detail's and the big page's reads scans the order and bid tables by index wherever
the plan for the values does. And what must still be planned for its values — capability search and the ranking —
still is, although the connection's default is generic."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import orjson
import pytest
from sqlalchemy import Select, event, text
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.actor import Actor, Role
from domain.bids import service as bids
from domain.matching.rules import DEFAULT_WEIGHTS
from domain.matching.service import recommend_manufacturers
from domain.orders.models import OrderStatus
from domain.orders.service import (
    ORDER_SORTS,
    OrderFilter,
    Viewer,
    _board_json_select,
    _board_page,
    _board_shape,
    _list_values,
    _orders_with_buyers,
)
from domain.organisations.models import OrganisationKind
from domain.pagination import PageRequest, SortKey
from domain.ports.search import IndexName, SearchQuery
from domain.sql_json import Part
from exchange.db import create_engine, create_session_factory
from search.postgres import PostgresSearchIndex
from tests.clock import FakeClock
from tests.integration.factories import Market
from tests.integration.tiny import seed_tiny

DIALECT = asyncpg_dialect.dialect()
TABLES = {"production_order", "bid"}
BY_INDEX = {"Index Scan", "Index Only Scan", "Bitmap Heap Scan"}


def _sql_and_args(stmt: Select[Any], params: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """The statement as asyncpg gets it (empty `IN` lists expanded as SQLAlchemy does when it runs it), with its
    positional values."""
    expanded = stmt.compile(dialect=DIALECT).construct_expanded_state(dict(params))
    args = []
    for name in expanded.positiontup or ():
        process = expanded.processors.get(name)
        value = expanded.parameters[name]
        args.append(value if process is None else process(value))
    return expanded.statement, args


def _scans(plan: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(table, node type) of every scan of the order and bid tables in a plan tree."""
    if plan.get("Relation Name") in TABLES:
        yield plan["Relation Name"], plan["Node Type"]
    for child in plan.get("Plans", ()):
        yield from _scans(child)


async def _plans(engine: AsyncEngine, sql: str, args: list[Any]) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The scans of the generic plan of the prepared statement (as the pool's connections run it) and of the plan
    for these values (as `auto` or `force_custom_plan` would run it)."""
    # EXECUTE takes no protocol parameters: the values as literals, typed by the prepared statement's parameters.
    values = ", ".join(_literal(arg) for arg in args)
    explain = f"EXPLAIN (FORMAT JSON) EXECUTE probe({values})" if args else "EXPLAIN (FORMAT JSON) EXECUTE probe"
    found = []
    async with engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        assert raw is not None
        await raw.execute(f"PREPARE probe AS {sql}")
        try:
            for mode in ("force_generic_plan", "force_custom_plan"):
                await raw.execute(f"SET plan_cache_mode = {mode}")
                plan = await raw.fetchval(explain)  # decoded by the json codec the dialect sets, or text
                plan = orjson.loads(plan) if isinstance(plan, str | bytes) else plan
                found.append(set(_scans(plan[0]["Plan"])))
        finally:
            await raw.execute("DEALLOCATE probe; RESET plan_cache_mode")
    return found[0], found[1]


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, list):
        text = "{" + ",".join('"' + _text(item) + '"' for item in value) + "}"
    else:
        text = _text(value)
    return "'" + text.replace("'", "''") + "'"


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime | date) else str(value)


@pytest.fixture
async def seeded(database_url: str, engine: AsyncEngine) -> dict[str, Any]:
    """The `tiny` profile (seed_tiny); some of its viewers."""
    await seed_tiny(database_url, engine)
    async with engine.connect() as conn:
        maker = (
            await conn.execute(
                text(
                    "SELECT o.id FROM organisation o WHERE o.kind = 'manufacturer'"
                    " AND EXISTS (SELECT FROM order_invitation i WHERE i.manufacturer_organisation_id = o.id) LIMIT 1"
                )
            )
        ).scalar_one()
        buyer, order_id = (
            await conn.execute(
                text(
                    "SELECT buyer_organisation_id, id FROM production_order WHERE status = 'open'"
                    " AND EXISTS (SELECT FROM bid WHERE bid.order_id = production_order.id) LIMIT 1"
                )
            )
        ).one()
        open_orders = list(
            await conn.scalars(text("SELECT id FROM production_order WHERE status = 'open' ORDER BY created_at DESC"))
        )
    user = uuid4()
    return {
        "viewers": {
            "operator": Actor(user_id=user, is_operator=True),
            "anonymous": Actor(),
            "of no organisation": Actor(user_id=user),
            "manufacturer": Actor(user_id=user, memberships={maker: Role.member}),
            "buyer": Actor(user_id=user, memberships={buyer: Role.admin}),
            "two organisations": Actor(user_id=user, memberships={maker: Role.member, buyer: Role.member}),
        },
        "buyer": buyer,
        "order": order_id,
        "open orders": open_orders[:100],
    }


def _filters(buyer: UUID) -> dict[str, OrderFilter]:
    now = datetime.now(UTC)
    return {
        "none": OrderFilter(),
        "open": OrderFilter(statuses=[OrderStatus.open]),
        "open, one process (the board)": OrderFilter(statuses=[OrderStatus.open], processes=["cnc_milling"]),
        "open or draft": OrderFilter(statuses=[OrderStatus.open, OrderStatus.draft]),
        "two processes": OrderFilter(processes=["cnc_milling", "sheet_metal"], statuses=[OrderStatus.open]),
        "regions": OrderFilter(regions=["RU-TA", "RU-SPE"]),
        "certifications": OrderFilter(certifications=["as9100"]),
        "buyer": OrderFilter(buyer_organisation_id=buyer),
        "mine": OrderFilter(mine=True),
        "deadlines": OrderFilter(deadline_after=now, deadline_before=now + timedelta(days=15)),
        "need by": OrderFilter(need_by_before=(now + timedelta(days=40)).date()),
        "all at once": OrderFilter(
            statuses=[OrderStatus.open],
            processes=["cnc_milling", "cnc_turning"],
            regions=["RU-TA", "RU-MOW"],
            certifications=["iso_9001"],
            buyer_organisation_id=buyer,
            mine=True,
            deadline_after=now,
            deadline_before=now + timedelta(days=30),
            need_by_before=(now + timedelta(days=90)).date(),
        ),
    }


@pytest.mark.committed
async def test_every_board_shape_and_the_detail_and_big_page_reads_have_index_scans_in_their_generic_plans(
    seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    worse: list[str] = []
    by_index = 0
    shapes = 0
    for viewer_name, actor in seeded["viewers"].items():
        for filter_name, filter in _filters(seeded["buyer"]).items():
            for sort in ORDER_SORTS:
                for after in (None, "cursor"):
                    for with_buyers in (True, False):
                        page = PageRequest(20, _cursor(ORDER_SORTS[sort]) if after else None)
                        stmt, params, _ = _board_page(actor, filter, sort, page, with_buyers=with_buyers)
                        generic, custom = await _plans(engine, *_sql_and_args(stmt, params))
                        shapes += 1
                        if any(node == "Seq Scan" for _, node in generic) and not any(
                            node == "Seq Scan" for _, node in custom
                        ):
                            worse.append(f"{viewer_name} / {filter_name} / {sort} / {after} / {with_buyers}")
                        by_index += not any(node == "Seq Scan" for _, node in generic)
                        # the same page as each order's JSON (api/execution/sql_json.py): the same plan's scans
                        shape, _, _ = _board_shape(actor, filter, sort, page, with_buyers=with_buyers)
                        parts = ORDER_JSON if with_buyers else ORDER_JSON[:-1]
                        json_stmt = _board_json_select(shape, parts)
                        json_generic, _ = await _plans(engine, *_sql_and_args(json_stmt, params))
                        if json_generic != generic:
                            worse.append(f"as JSON: {viewer_name} / {filter_name} / {sort} / {after} / {with_buyers}")

    assert worse == []
    # Not an empty comparison: a board shape scans the orders, and most do so by an index.
    assert shapes == 6 * 12 * 3 * 2 * 2
    assert by_index >= shapes * 0.75

    # The page the benchmark reads, as a manufacturer: by index in both, and the same index.
    maker = seeded["viewers"]["manufacturer"]
    board = _filters(seeded["buyer"])["open, one process (the board)"]
    stmt, params, _ = _board_page(maker, board, "NEWEST", PageRequest(20), with_buyers=True)
    generic, custom = await _plans(engine, *_sql_and_args(stmt, params))
    assert generic == custom == {("production_order", "Index Scan")}
    shape, _, _ = _board_shape(maker, board, "NEWEST", PageRequest(20), with_buyers=True)
    generic, custom = await _plans(engine, *_sql_and_args(_board_json_select(shape, ORDER_JSON), params))
    assert generic == custom == {("production_order", "Index Scan")}

    # The order detail: the order with its buyer for each kind of viewer, its bids (and bidders) as its buyer, and
    # the big page's bids as an operator.
    for viewer_name, actor in seeded["viewers"].items():
        values: dict[str, Any] = {"ids": [seeded["order"]]}
        stmt = _orders_with_buyers(Viewer.of(actor), _list_values(values, "organisation", actor.memberships))
        generic, custom = await _plans(engine, *_sql_and_args(stmt, values))
        assert {node for _, node in generic} <= BY_INDEX, viewer_name
        assert viewer_name == "anonymous" or generic, viewer_name  # only the anonymous viewer's plan scans nothing
        # the whole order as one JSON text with its first page of bids inside (bids.order_json): by index too
        values.update(bids._connection_params(actor, seeded["order"], 20, bids.CURRENT))
        whole = bids._order_json_select(stmt, actor.is_operator, DETAIL_JSON)
        generic, custom = await _plans(engine, *_sql_and_args(whole, values))
        assert {node for _, node in generic} <= BY_INDEX, viewer_name
        assert ("bid", "Seq Scan") not in custom, viewer_name
        # the one order's bids by the (order, status) index: an index scan, or for an operator (no visibility
        # filter: more rows expected) a bitmap scan of it, as in the plan for the values
        assert viewer_name == "anonymous" or any(t == "bid" and node in BY_INDEX for t, node in generic), viewer_name
    buyer = seeded["viewers"]["buyer"]
    operator = seeded["viewers"]["operator"]
    for actor, order_ids, selects in (
        (
            buyer,
            [seeded["order"]],
            (bids._BIDS_PAGE_FOR_MEMBERS, bids._BIDS_WITH_BIDDERS_FOR_MEMBERS, bids._bids_json_page(False, BID_JSON)),
        ),
        (
            operator,
            seeded["open orders"],
            (
                bids._BIDS_PAGE_FOR_OPERATORS,
                bids._BIDS_WITH_BIDDERS_FOR_OPERATORS,
                bids._bids_json_page(True, BID_JSON),
            ),
        ),
    ):
        values = bids.bids_page_params(actor, order_ids, 20, bids.CURRENT) or {}
        for select in selects:
            generic, custom = await _plans(engine, *_sql_and_args(select, values))
            assert {node for table, node in generic if table == "bid"} <= BY_INDEX
            assert ("bid", "Seq Scan") not in custom
            assert ("organisation", "Seq Scan") not in generic


# The big page's bids as JSON (api/execution/sql_json.py): id status leadTimeDays validUntil createdAt
# unitPrice { amount currency } total { amount currency } manufacturer { id name region verified }
_MONEY = (Part("amount", "amount", "unit_price_minor", "currency"), Part("currency", "text", "currency", False))
BID_JSON = (
    Part("id", "gid", "id", "Bid:"),
    Part("status", "enum", "status", (("active", "ACTIVE"), ("withdrawn", "WITHDRAWN"))),
    Part("leadTimeDays", "int", "lead_time_days", False),
    Part("validUntil", "date", "valid_until", False),
    Part("createdAt", "utc", "created_at", False),
    Part("unitPrice", "object", None, _MONEY),
    Part("total", "object", None, _MONEY),
    Part(
        "manufacturer",
        "object",
        "bidder",
        (
            Part("id", "gid", "id", "Organisation:"),
            Part("name", "text", "name", False),
            Part("region", "text", "region", False),
            Part("verified", "bool", "verified", False),
        ),
    ),
)


# The board's orders as JSON (the bench's BOARD): id title status process quantity biddingDeadline needBy
# budget { min { amount currency } max { amount currency } } buyer { id name region verified }
ORDER_JSON = (
    Part("id", "gid", "id", "Order:"),
    Part("title", "text", "title", False),
    Part("status", "enum", "status", tuple((status.value, status.name.upper()) for status in OrderStatus)),
    Part("process", "enum", "process", (("cnc_milling", "CNC_MILLING"), ("edm", "EDM"))),
    Part("quantity", "int", "quantity", False),
    Part("biddingDeadline", "utc", "bidding_deadline", False),
    Part("needBy", "date", "need_by", False),
    Part(
        "budget",
        "object",
        None,
        (
            Part("min", "object", None, (Part("amount", "amount", "budget_min_minor", "currency"),)),
            Part("max", "object", None, (Part("amount", "amount", "budget_max_minor", "currency"),)),
        ),
    ),
    Part(
        "buyer",
        "object",
        "buyer",
        (
            Part("id", "gid", "id", "Organisation:"),
            Part("name", "text", "name", False),
            Part("region", "text", "region", False),
            Part("verified", "bool", "verified", False),
        ),
    ),
)


# The bench's DETAIL as one JSON text: the order's parts, then bids(first: 20) { edges { node { ... } } pageInfo {
# hasNextPage } } (with the cursors, which the detail's page does not ask for, to plan them too)
DETAIL_JSON = (
    *ORDER_JSON,
    Part(
        "bids",
        "connection",
        "bids",
        (
            Part("edges", "edges", None, (Part("node", "node", None, BID_JSON), Part("cursor", "cursor", None, None))),
            Part("pageInfo", "page_info", None, (Part("hasNextPage", "has_next", None, None),)),
        ),
    ),
)


def _cursor(key: SortKey) -> str:
    """A cursor of the sort's kind (a time, or a date, then an id)."""
    now = datetime.now(UTC)
    return key.encode(_Row(key, now if key.column.type.python_type is datetime else now.date()))


class _Row:
    def __init__(self, key: Any, value: Any) -> None:
        setattr(self, key.column.key, value)
        setattr(self, key.tiebreak.key, uuid4())


# --- what must still be planned for its values ---------------------------------------------------------------


@pytest.fixture
async def one_connection(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine of one pooled connection (the application's settings): whatever runs on it, its prepared
    statements are in that connection's pg_prepared_statements."""
    engine = create_engine(database_url, pool_size=1)
    yield engine
    await engine.dispose()


class _Recorded:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def before(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)


async def _plan_counts(engine: AsyncEngine) -> dict[str, tuple[int, int]]:
    async with engine.connect() as conn:
        rows = await conn.execute(text("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"))
        return {statement: (generic, custom) for statement, generic, custom in rows}


RUNS = 7  # more than the five custom plans after which `auto` may switch to the generic one


@pytest.mark.committed
async def test_search_and_the_ranking_are_planned_for_their_values_and_the_board_once(
    one_connection: AsyncEngine, clock: FakeClock
) -> None:
    session_factory = create_session_factory(one_connection)
    market = Market(session_factory, clock)
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()
    await market.capacity(maker)
    order = await market.open_order(buyer, estimated_machine_hours=80)
    search = PostgresSearchIndex(session_factory, clock, sample_percent=0)

    recorded = {"search": _Recorded(), "ranking": _Recorded(), "board": _Recorded()}
    for name, recorder in recorded.items():
        event.listen(one_connection.sync_engine, "before_cursor_execute", recorder.before)
        try:
            for _ in range(RUNS):
                recorder.statements.clear()  # what is left is the last run's
                if name == "search":
                    await search.search(IndexName.orders, SearchQuery(first=10))
                elif name == "ranking":
                    async with market.uow() as uow:
                        found = await recommend_manufacturers(
                            uow.session,
                            actor=buyer,
                            order_id=order.id,
                            today=clock.now().date(),
                            first=10,
                            weights=DEFAULT_WEIGHTS,
                        )
                    assert found.fitting == 1
                else:
                    async with session_factory() as session:
                        stmt, params, _ = _board_page(
                            maker,
                            OrderFilter(statuses=[OrderStatus.open], processes=["cnc_milling"]),
                            "NEWEST",
                            PageRequest(20),
                            with_buyers=True,
                        )
                        await session.execute(stmt, params)
        finally:
            event.remove(one_connection.sync_engine, "before_cursor_execute", recorder.before)

    counts = await _plan_counts(one_connection)

    def pinned_after(statements: list[str]) -> list[str]:
        """The statements of a run after the one that sets the plan mode for the rest of its transaction."""
        first = next(i for i, sql in enumerate(statements) if "force_custom_plan" in sql)
        return list(dict.fromkeys(sql for sql in statements[first + 1 :] if "force_custom_plan" not in sql))

    for name in ("search", "ranking"):
        pinned = pinned_after(recorded[name].statements)
        assert pinned, name
        for sql in pinned:
            generic, custom = counts[sql]
            assert (generic, custom) == (0, RUNS), (name, sql[:120])
    # The connection's default is generic: the board's statement was planned once, without its values.
    [board] = set(recorded["board"].statements)
    assert counts[board] == (RUNS, 0)
