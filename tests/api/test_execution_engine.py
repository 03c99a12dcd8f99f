"""The execution engine on the real schema: the order board's query and the overhead benchmark's run through the
compiled plans — every field, none left to graphql-core's per-field path, no order's bids and no bidder awaited.

A change that quietly turned the plans off (an extension with a `resolve` hook, a field the plans cannot take, a
resolver that suspends where it used to answer at once) fails here. Skipped in the `stock` run of the suite, which
has no engine to watch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.execution import compiled, fast_fields
from bench.order_board_baseline import OVERHEAD_QUERY
from bench.queries import ORDER_BOARD
from tests.api.contracts import operator
from tests.api.engine_mode import STOCK
from tests.api.graphql import GraphQL, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock


@dataclass
class EngineTrace:
    compiled_operations: list[bool] = field(default_factory=list)  # per operation: did it get plans?
    plans_run: list[str] = field(default_factory=list)  # object types whose plans ran (inline reads not listed)
    graphql_core_fields: list[str] = field(default_factory=list)  # fields left to graphql-core's execute_field
    suspended: list[str] = field(default_factory=list)  # async resolvers that had to be awaited

    def clear(self) -> None:
        """Forget the set-up's requests (mutations run through graphql-core's executor)."""
        for found in (self.compiled_operations, self.plans_run, self.graphql_core_fields, self.suspended):
            found.clear()


@pytest.fixture
def trace(monkeypatch: pytest.MonkeyPatch) -> EngineTrace:
    if STOCK:
        pytest.skip("EXCHANGE_EXECUTION_ENGINE=stock: the schema is plain Strawberry, there are no plans to watch")
    compiled.clear_cache()
    found = EngineTrace()
    plans_for, run_object, execute_field, step = (
        compiled._plans_for,
        compiled.CompiledExecutionContext.run_object,
        fast_fields.FastLeafExecutionContext.execute_field,
        compiled._step,
    )

    def spy_plans_for(executor: Any) -> Any:
        plans = plans_for(executor)
        found.compiled_operations.append(plans is not None)
        return plans

    def spy_run_object(self: Any, plan: Any, source: Any, path: Any) -> Any:
        found.plans_run.append(plan.type.name)
        return run_object(self, plan, source, path)

    def spy_execute_field(self: Any, parent_type: Any, source: Any, field_list: Any, *args: Any) -> Any:
        found.graphql_core_fields.append(f"{parent_type.name}.{field_list[0].node.name.value}")
        return execute_field(self, parent_type, source, field_list, *args)

    def spy_step(coroutine: Any) -> Any:
        name = coroutine.cr_code.co_name
        stepped = step(coroutine)
        if isinstance(stepped, compiled._Resumed) and stepped.failure is None:
            found.suspended.append(name)
        return stepped

    monkeypatch.setattr(compiled, "_plans_for", spy_plans_for)
    monkeypatch.setattr(compiled.CompiledExecutionContext, "run_object", spy_run_object)
    monkeypatch.setattr(fast_fields.FastLeafExecutionContext, "execute_field", spy_execute_field)
    monkeypatch.setattr(compiled, "_step", spy_step)
    return found


async def _market(gql: GraphQL, clock: FakeClock) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    makers = [await make_manufacturer(gql, clock) for _ in range(2)]
    for n in range(3):
        order_id = await create_order(gql, buyer, clock, title=f"Part {n}")
        for i, maker in enumerate(makers):
            await place_bid(gql, maker, order_id, clock, unit_price=f"{200 - 50 * i}.00")


async def test_the_overhead_query_runs_wholly_in_the_plans(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, trace: EngineTrace
) -> None:
    await _market(gql, clock)
    viewer = await operator(gql, engine)
    trace.clear()

    data = await gql(OVERHEAD_QUERY, {"first": 10}, token=viewer.token)

    orders = data["orders"]["edges"]
    assert len(orders) == 3
    assert all(len(order["node"]["bids"]["edges"]) == 2 for order in orders)
    assert orders[0]["node"]["bids"]["edges"][0]["node"]["manufacturer"]["name"]
    assert trace.compiled_operations == [True]
    assert trace.graphql_core_fields == []
    # only `orders` itself suspends (it reads the database; called plainly, its filter input converted by
    # fast_fields._conversion); every order's bids and every bidder were at hand (prefetched and primed), so no
    # field waited
    assert trace.suspended == ["orders"]
    assert trace.plans_run[0] == "Query"
    assert "Order" in trace.plans_run


async def test_the_order_board_runs_wholly_in_the_plans(gql: GraphQL, clock: FakeClock, trace: EngineTrace) -> None:
    await _market(gql, clock)
    viewer = await sign_up(gql, kind="MANUFACTURER")
    trace.clear()

    data = await gql(ORDER_BOARD, {"sort": "NEWEST", "filter": None}, token=viewer.token)

    orders = data["orders"]["edges"]
    assert len(orders) == 3
    assert all(order["node"]["buyer"]["name"] and order["node"]["biddingOpen"] is True for order in orders)
    assert trace.compiled_operations == [True]
    assert trace.graphql_core_fields == []
    assert trace.suspended == ["orders"]  # `orders` alone: each order's buyer came with the page
