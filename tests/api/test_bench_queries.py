"""The load benchmark's operations, on `tiny` data: each answers without errors in a pinned number of statements."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from api.context import AppDeps
from bench import queries
from bench.common import fetch, issue_tokens
from domain.ports.search import IndexName
from domain.taxes.rates import forget_rates
from exchange.seed_scale import PROFILES, seed_profile
from search.reindex import reindex
from tests.api.graphql import GraphQL
from tests.clock import FakeClock
from tests.conftest import StatementCounter


def _gid(type_name: str, value: Any) -> str:
    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


@pytest.fixture
async def market(database_url: str, engine: Any, clock: FakeClock, deps: AppDeps) -> dict[str, Any]:
    await seed_profile(database_url, profile=PROFILES["tiny"], random_seed=5, progress=False)
    clock.set(datetime.now(UTC))
    assert deps.search is not None
    for name in IndexName:
        await reindex(deps.session_factory, clock, deps.search, name)
    (order,) = await fetch(
        database_url,
        "SELECT o.id, o.created_by_user_id FROM production_order o WHERE o.status = 'open' AND "
        "(SELECT count(*) FROM bid b WHERE b.order_id = o.id AND b.status = 'active') >= 3 ORDER BY o.id LIMIT 1",
    )
    (contracts,) = await fetch(
        database_url,
        "SELECT o.created_by_user_id FROM production_order o WHERE o.status = 'awarded' "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    )
    (pair,) = await fetch(
        database_url,
        "SELECT o.id AS order_id, o.bidding_deadline, m.user_id, p.organisation_id FROM production_order o "
        "JOIN manufacturer_profile p ON o.process = ANY (p.processes) AND o.quantity >= p.min_quantity "
        "AND o.quantity <= coalesce(p.max_quantity, o.quantity) AND p.organisation_id <> o.buyer_organisation_id "
        "JOIN membership m ON m.organisation_id = p.organisation_id "
        "WHERE o.status = 'open' AND o.visibility = 'public' AND cardinality(o.required_certifications) = 0 "
        "AND NOT EXISTS (SELECT 1 FROM bid b WHERE b.order_id = o.id AND b.manufacturer_organisation_id = "
        "p.organisation_id) ORDER BY o.id, p.organisation_id LIMIT 1",
    )
    users = [order["created_by_user_id"], contracts["created_by_user_id"], pair["user_id"]]
    buyer, contract_holder, maker = await issue_tokens(database_url, users, ttl=timedelta(days=3650))
    return {
        "buyer": buyer,
        "contract_holder": contract_holder,
        "maker": maker,
        "order_id": _gid("Order", order["id"]),
        "bid": {
            "orderId": _gid("Order", pair["order_id"]),
            "organisationId": _gid("Organisation", pair["organisation_id"]),
            "terms": {
                "unitPrice": {"amount": "1000.00", "currency": "RUB"},
                "leadTimeDays": 20,
                "validUntil": (pair["bidding_deadline"].date() + timedelta(days=14)).isoformat(),
            },
        },
    }


async def _count(gql: GraphQL, sql: StatementCounter, query: str, variables: dict[str, Any], token: str) -> Any:
    with sql.counting():
        data = await gql(query, variables, token=token)
    return sql.count, data


@pytest.mark.committed
async def test_the_order_board_runs_two_statements(market: dict[str, Any], gql: GraphQL, sql: StatementCounter) -> None:
    variables = {"filter": {"statuses": ["OPEN"]}, "sort": "DEADLINE"}

    count, data = await _count(gql, sql, queries.ORDER_BOARD, variables, market["maker"])

    assert len(data["orders"]["edges"]) == 20
    assert count == 2  # token -> actor; orders with their buyers (a join)


@pytest.mark.committed
async def test_the_order_detail_with_ranked_bids_runs_six_statements(
    market: dict[str, Any], gql: GraphQL, sql: StatementCounter
) -> None:
    count, data = await _count(gql, sql, queries.ORDER_DETAIL, {"id": market["order_id"]}, market["buyer"])

    assert len(data["order"]["rankedBids"]) >= 3
    # token; the order with its buyer (a join); the ranking's order, bids, records and bidders
    assert count == 6, "\n".join(s[:100] for s in sql.statements)


@pytest.mark.committed
async def test_a_manufacturer_browse_runs_five_statements(
    market: dict[str, Any], gql: GraphQL, sql: StatementCounter
) -> None:
    variables = {"query": "", "filter": {"processes": ["CNC_MILLING"]}}

    count, data = await _count(gql, sql, queries.MANUFACTURER_SEARCH, variables, market["buyer"])

    assert data["searchManufacturers"]["total"] > 0
    # token; the plan mode; the sample (broad or not); the search (no words: no typo corrections to look up);
    # the organisations
    assert count == 5, "\n".join(s[:100] for s in sql.statements)


@pytest.mark.committed
async def test_my_contracts_runs_four_statements(market: dict[str, Any], gql: GraphQL, sql: StatementCounter) -> None:
    count, data = await _count(gql, sql, queries.MY_CONTRACTS, {}, market["contract_holder"])

    assert data["myContracts"]["edges"]
    assert count == 4, "\n".join(s[:100] for s in sql.statements)


@pytest.mark.committed
async def test_place_bid_succeeds_in_eleven_statements(
    market: dict[str, Any], gql: GraphQL, sql: StatementCounter
) -> None:
    await gql("{ vatRates { kind } }")  # the process's copy of the rates is fresh: a page showed VAT a moment ago

    count, data = await _count(gql, sql, queries.PLACE_BID, {"input": market["bid"]}, market["maker"])

    assert data["placeBid"]["__typename"] == "BidSuccess", data
    # token; order (share-locked); invitations; bidder (its tax status fixes the bid's VAT); profile; certificates;
    # duplicate check; the buyer's notification; the live events (pg_notify); the bid; the outbox (notification
    # e-mail). The VAT rates come from the process's copy (domain/taxes/rates.py).
    assert count == 11, "\n".join(s[:100] for s in sql.statements)


@pytest.mark.committed
async def test_place_bid_reads_the_rates_once_a_minute(
    market: dict[str, Any], gql: GraphQL, sql: StatementCounter
) -> None:
    forget_rates()  # as in a process that has not priced anything for a minute

    count, data = await _count(gql, sql, queries.PLACE_BID, {"input": market["bid"]}, market["maker"])

    assert data["placeBid"]["__typename"] == "BidSuccess", data
    assert count == 12, "\n".join(s[:100] for s in sql.statements)
    assert sum("FROM vat_rate" in statement for statement in sql.statements) == 1
