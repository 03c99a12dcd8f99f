"""Bids whose JSON PostgreSQL writes (api/execution/sql_json.py, domain/sql_json.py): the answer is byte for byte
the one the server writes itself, for adversarial values; only selections that qualify are read that way."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

import api.orders.queries as order_queries
from domain.bids import service as bid_service
from domain.bids.models import Bid as BidRow
from domain.bids.models import BidStatus
from domain.columns import table_of
from tests.api.engine_mode import STOCK
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.api.sql_json import raw_answer, without_json
from tests.clock import FakeClock

ALL_STATUSES = "[" + ", ".join(status.name.upper() for status in BidStatus) + "]"

# Every kind of part: aliases, __typename at three levels, money twice with a currency of exponent 0 among them,
# the bidder's plain columns, a nullable timestamp, text, dates, enums, ints.
QUERY = (
    """query($id: ID!) { order(id: $id) { bids(first: 50, statuses: """
    + ALL_STATUSES
    + """) { edges { cursor node {
      __typename id st: status revision leadTimeDays validUntil createdAt updatedAt reconfirmedAt notes quantity
      vatTreatment
      unitPrice { amount currency __typename } total { currency amount } tooling { amount }
      manufacturer { __typename id name region verified kind createdAt }
      alias: id
    } } pageInfo { hasNextPage endCursor } } } }"""
)

# Control characters, quotes, backslashes, the JSON-in-HTML separators, emoji, Cyrillic, DEL, a lone combining mark
NAMES = [
    'Quote " and \\ backslash / slash',
    "\x01\x02\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x1b\x1f end",
    "Line\u2028separator\u2029paragraph",
    "Эмодзи 🛠️🔩 и ё \u00a0nbsp \u00ad shy",
    "DEL\x7f and \u0301 combining and \ufeff BOM",
]
# (unit price, tooling, total) in minor units, and the currency: trailing zeros, one minor unit, big amounts, zero
AMOUNTS = [
    (100, 0, 100, "RUB"),
    (1, 5, 1_000_000_000_000, "RUB"),
    (120_000, 10, 999_999_999_999_999, "USD"),
    (0, 0, 0, "JPY"),
    (7, 1_000, 12_345, "KRW"),
]
MOMENTS = [
    datetime(2027, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
    datetime(2027, 1, 2, 3, 4, 5, 1, tzinfo=UTC),
    datetime(2027, 1, 2, 3, 4, 5, 100000, tzinfo=UTC),
    datetime(2027, 12, 31, 23, 59, 59, tzinfo=UTC),
    datetime(1999, 1, 1, 0, 0, 0, 500, tzinfo=UTC),
]


@pytest.fixture
def json_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many bids each JSON read of a page of bids returned."""
    reads: list[int] = []
    original = bid_service.bids_json_for_orders

    async def spy(*args: Any, **kwargs: Any) -> Any:
        found = await original(*args, **kwargs)
        reads.append(sum(len(rows) for rows, _ in found.values()))
        return found

    import api.bids.loaders as loaders

    monkeypatch.setattr(loaders, "bids_json_for_orders", spy)
    # order(id) reads its page of bids in the order's own statement (domain/bids/service.py order_with_buyer_and_bids)
    original_page = bid_service.json_page_of

    def page_spy(*args: Any, **kwargs: Any) -> Any:
        found = original_page(*args, **kwargs)
        reads.append(len(found[0]))
        return found

    monkeypatch.setattr(bid_service, "json_page_of", page_spy)
    # or the whole order as one JSON text with its page of bids inside (domain/bids/service.py order_json)
    original_order = order_queries.order_json

    async def order_spy(*args: Any, **kwargs: Any) -> Any:
        found = await original_order(*args, **kwargs)
        if found is not None:
            reads.append(len(orjson.loads(found)["bids"]["edges"]))
        return found

    monkeypatch.setattr(order_queries, "order_json", order_spy)
    return reads


async def _adversarial_market(gql: GraphQL, clock: FakeClock, engine: AsyncEngine) -> tuple[Party, str]:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    makers = [await make_manufacturer(gql, clock) for _ in NAMES]
    for maker in makers:
        await place_bid(gql, maker, order_id, clock)
    statuses = [status.value for status in BidStatus]
    async with engine.begin() as conn:
        bids = (await conn.execute(text("SELECT id, manufacturer_organisation_id FROM bid ORDER BY created_at"))).all()
        assert len(bids) == len(NAMES)
        for index, (bid_id, organisation_id) in enumerate(bids):
            unit, tooling, total, currency = AMOUNTS[index]
            await conn.execute(
                text(
                    "UPDATE bid SET unit_price_minor = :unit, tooling_minor = :tooling, total_minor = :total, "
                    "currency = :currency, status = :status, created_at = :moment, updated_at = :moment, "
                    "reconfirmed_at = :reconfirmed, valid_until = :until, notes = :notes, lead_time_days = :days "
                    "WHERE id = :id"
                ),
                {
                    "unit": unit,
                    "tooling": tooling,
                    "total": total,
                    "currency": currency,
                    "status": statuses[index % len(statuses)],
                    "moment": MOMENTS[index],
                    "reconfirmed": MOMENTS[-1 - index] if index % 2 else None,
                    "until": date(2027 + index, 2, 28),
                    "notes": NAMES[-1 - index],
                    "days": 2_147_483_647 if index == 1 else 1 + index,
                    "id": bid_id,
                },
            )
            await conn.execute(
                text("UPDATE organisation SET name = :name, verified = :verified, created_at = :moment WHERE id = :id"),
                {"name": NAMES[index], "verified": index % 2 == 0, "moment": MOMENTS[-1 - index]}
                | {"id": organisation_id},
            )
        # the remaining statuses on bids of their own, so that every enum value is written
        for status in statuses[len(bids) :]:
            copied = {"id": "gen_random_uuid()", "status": ":status", "revision": "revision + 1"}
            copied["previous_bid_id"] = "id"
            columns = [column.name for column in table_of(BidRow).c]
            values = ", ".join(copied.get(name, name) for name in columns)
            await conn.execute(
                text(f"INSERT INTO bid ({', '.join(columns)}) SELECT {values} FROM bid WHERE id = :id"),
                {"status": status, "id": bids[1][0]},
            )
    return buyer, order_id


async def test_bids_written_by_postgresql_are_byte_identical_to_the_servers_own(
    gql: GraphQL,
    client: httpx.AsyncClient,
    clock: FakeClock,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
    json_reads: list[int],
) -> None:
    buyer, order_id = await _adversarial_market(gql, clock, engine)

    async def ask() -> bytes:
        return await raw_answer(client, QUERY, {"id": order_id}, buyer.token)

    spliced = await ask()
    # the JSON read ran (not under the stock executor, which never asks for it) and brought every bid
    assert json_reads == ([] if STOCK else [len(NAMES) + len(BidStatus) - len(NAMES)])
    own = await without_json(monkeypatch, ask)
    assert json_reads == ([] if STOCK else [len(BidStatus)])
    assert spliced == own
    # the adversarial values are in the answer (not only equal on both sides): every name, every status, each
    # kind of amount, microseconds with and without trailing zeros
    nodes = [edge["node"] for edge in orjson.loads(spliced)["data"]["order"]["bids"]["edges"]]
    assert {node["manufacturer"]["name"] for node in nodes} == set(NAMES)
    assert {node["notes"] for node in nodes} == set(NAMES)
    assert {node["st"] for node in nodes} == {status.name.upper() for status in BidStatus}
    assert {node["total"]["amount"] for node in nodes} >= {"1.00", "10000000000.00", "9999999999999.99", "0", "12345"}
    assert {node["createdAt"] for node in nodes} >= {
        "2027-01-02T03:04:05.123456+00:00",
        "2027-01-02T03:04:05.000001+00:00",
        "2027-01-02T03:04:05.100000+00:00",
        "2027-12-31T23:59:59+00:00",
    }
    assert b"\\u2028" not in spliced and "\u2028".encode() in spliced  # written as is, as orjson does
    assert b"\\u0001\\u0002\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u001b\\u001f end" in spliced


async def test_a_selection_with_a_computed_field_is_completed_by_the_server(
    gql: GraphQL,
    client: httpx.AsyncClient,
    clock: FakeClock,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
    json_reads: list[int],
) -> None:
    buyer, order_id = await _adversarial_market(gql, clock, engine)
    # platformFee has a resolver, viewerCanRevise depends on the viewer, totalTaxed computes: none is written by
    # SQL, and then the whole bid is completed by the server; another __typename alias is still all plain
    cases = {
        "platformFee { amount }": False,
        "viewerCanRevise": False,
        "totalTaxed { gross { amount } }": False,
        "again: __typename": True,
    }
    for extra, as_json in cases.items():
        query = QUERY.replace("alias: id", f"alias: id {extra}")

        async def ask(query: str = query) -> bytes:
            return await raw_answer(client, query, {"id": order_id}, buyer.token)

        answer = await ask()
        assert json_reads == ([len(BidStatus)] if as_json and not STOCK else []), extra
        assert answer == await without_json(monkeypatch, ask)
        json_reads.clear()


async def test_the_board_with_bids_as_json_answers_as_before_for_each_viewer(
    gql: GraphQL,
    client: httpx.AsyncClient,
    clock: FakeClock,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
    json_reads: list[int],
) -> None:
    """The board's prefetch and an order's own field: sealed bids stay sealed (a bidder sees only its own bid), an
    alias with another selection gets its own read, and the answers are the server's own."""
    buyer, order_id = await _adversarial_market(gql, clock, engine)
    maker = await make_manufacturer(gql, clock)
    own_bid = await place_bid(gql, maker, order_id, clock, unit_price="12.30")
    query = """{ orders(first: 5) { edges { node { id
        bids(first: 3) { edges { node { id status total { amount currency } manufacturer { id name } } } }
        other: bids(first: 2) { edges { node { createdAt validUntil } } pageInfo { hasNextPage } }
    } } } }"""
    # the buyer sees 3 + 2 of its order's bids, the bidder its own bid in each (one read per selection)
    for token, reads in ((buyer.token, [2, 3]), (maker.token, [1, 1])):

        async def ask(token: str = token) -> bytes:
            return await raw_answer(client, query, {}, token)

        answer = await ask()
        assert sorted(json_reads) == ([] if STOCK else reads)
        assert answer == await without_json(monkeypatch, ask)
        json_reads.clear()
        if token == maker.token:
            order = orjson.loads(answer)["data"]["orders"]["edges"][0]["node"]
            assert [edge["node"]["id"] for edge in order["bids"]["edges"]] == [own_bid]
            assert len(order["other"]["edges"]) == 1
