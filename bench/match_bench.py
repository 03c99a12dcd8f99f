"""Benchmark: rank every manufacturer for one order — `order.recommendedManufacturers(first: 20)` via GraphQL.

Usage (see bench/README.md):  .venv/bin/python bench/match_bench.py [--orders 40] [--requests 200] [--warmup 20]
Uses the database EXCHANGE_DATABASE_URL or the embedded one (EXCHANGE_DATA_DIR, EXCHANGE_EMBEDDED_PG_PORT),
seeded with `exchange seed --orgs N`. Open orders are drawn with a fixed random seed; each request goes through
the whole GraphQL stack in-process (httpx ASGI transport), signed in as the demo operator. The time inside
the resolver's service call (`recommend_manufacturers`: the SQL ranking + the explanation of the shown rows)
is reported as well.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from typing import Any

import asyncpg
import httpx
from sqlalchemy import func, select, text

import api.matching.resolvers as resolvers
from api.relay import encode_id
from bench import state
from bench.common import dsn, load_average
from domain.orders.models import OrderStatus, ProductionOrder
from exchange.bootstrap import build_app, build_runtime, close_runtime, resolve_database_url
from exchange.seed import DEMO_PASSWORD, OPERATOR_EMAIL
from exchange.settings import Settings

QUERY = """
query($id: ID!) {
  order(id: $id) {
    recommendedManufacturers(first: 20) {
      fittingCount excludedCount
      matches { score manufacturer { id name region } explanations { factor value weight contribution } }
      excluded { filter reason manufacturer { id } }
    }
  }
}
"""


# What the ranking reads (domain.matching.queries.fit_ranking and shown_candidates).
TABLES = (
    "match_candidate",
    "manufacturer_record",
    "capacity_listing",
    "capacity_reservation",
    "organisation",
    "production_order",
    "review",
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


async def run(url: str, orders: int, requests: int, warmup: int, random_seed: int) -> None:
    runtime = build_runtime(Settings(), url=url)
    app = build_app(runtime)
    async with runtime.deps.session_factory() as session:
        ids = list(
            await session.scalars(
                select(ProductionOrder.id)
                .where(ProductionOrder.status == OrderStatus.open)
                .order_by(ProductionOrder.id)
                .limit(20_000)
            )
        )
        makers = await session.scalar(text("SELECT count(*) FROM organisation WHERE kind IN ('manufacturer', 'both')"))
        open_orders = await session.scalar(
            select(func.count()).select_from(ProductionOrder).where(ProductionOrder.status == OrderStatus.open)
        )
    chosen = random.Random(random_seed).sample(ids, min(orders, len(ids)))
    service_times: list[float] = []
    original = resolvers.recommend_manufacturers

    async def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            service_times.append((time.perf_counter() - started) * 1000)

    resolvers.recommend_manufacturers = timed
    monitor = await asyncpg.connect(dsn(url))
    for line in await state.describe(monitor, TABLES):
        print(line)
    cache_before = await state.cache_counters(monitor, TABLES)
    print(f"load average at the start: {load_average()}")
    times: list[float] = []
    candidates: list[int] = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        signed_in = await client.post(
            "/graphql",
            json={
                "query": "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) {"
                " ... on AuthPayload { token } } }",
                "variables": {"e": OPERATOR_EMAIL, "p": DEMO_PASSWORD},
            },
        )
        token = signed_in.json()["data"]["signIn"]["token"]
        headers = {"Authorization": f"Bearer {token}"}
        for n in range(warmup + requests):
            order_id = encode_id("Order", chosen[n % len(chosen)])
            started = time.perf_counter()
            response = await client.post(
                "/graphql", json={"query": QUERY, "variables": {"id": order_id}}, headers=headers
            )
            elapsed = (time.perf_counter() - started) * 1000
            body = response.json()
            result = body["data"]["order"]["recommendedManufacturers"]
            assert result is not None, body
            if n >= warmup:
                times.append(elapsed)
                candidates.append(result["fittingCount"] + result["excludedCount"])
    service = service_times[warmup + 0 :]
    await asyncio.sleep(1.2)  # backends report their block counts at most once a second
    print(state.cache_line(cache_before, await state.cache_counters(monitor, TABLES)))
    print(f"load average at the end: {load_average()}")
    await monitor.close()
    await close_runtime(runtime)
    print(
        f"manufacturers: {makers}, open orders: {open_orders}; {len(chosen)} orders drawn (seed {random_seed}) from the"
        f" first {len(ids)} open orders by id"
    )
    print(
        f"candidates ranked per order (manufacturers listing its process): median {statistics.median(candidates):.0f},"
        f" min {min(candidates)}, max {max(candidates)}"
    )
    print(f"requests: {requests} (after {warmup} warm-up)")
    for name, values in (("GraphQL request", times), ("service call", service)):
        print(
            f"{name:>16}: p50 {percentile(values, 0.5):6.1f} ms   p95 {percentile(values, 0.95):6.1f} ms"
            f"   p99 {percentile(values, 0.99):6.1f} ms   mean {statistics.mean(values):6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--random-seed", type=int, default=7)
    args = parser.parse_args()
    url, server = resolve_database_url(Settings())
    try:
        asyncio.run(run(url, args.orders, args.requests, args.warmup, args.random_seed))
    finally:
        if server is not None and server.started_here:
            server.stop()


if __name__ == "__main__":
    main()
