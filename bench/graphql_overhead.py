"""Benchmark 1: what GraphQL costs on top of PostgreSQL.

`orders(first: 100)` with each order's bids (up to 20) and each bid's manufacturer, as the operator (who sees
every bid: ~1,000 bid nodes a page on seed-scale data), answered two ways inside one process:

- GraphQL: POST /graphql into the Starlette app (Strawberry, DataLoaders, SQLAlchemy, asyncpg);
- hand-written: asyncpg + orjson (bench/order_board_baseline.py), the same four statements.

Server time only: each request is handed straight to the ASGI app (no sockets, no HTTP client). Requests
alternate between the two so that both see the same load; the answers are checked to be identical.

Usage:  EXCHANGE_DATA_DIR=/tmp/perf-data .venv/bin/python -m bench.graphql_overhead [--runs 5 --requests 60]
        [--profile-html out.html]   (pyinstrument over the GraphQL requests of one extra run)
        [--no-gc-tuning]            (CPython's default collector instead of the server's, exchange/gc_tuning.py)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from sqlalchemy import event
from starlette.applications import Starlette
from starlette.routing import Route

from api.app import create_app
from bench.common import asgi_post, bench_database, dsn, fetch, issue_tokens, load_average, summary
from bench.order_board_baseline import OVERHEAD_QUERY, STATEMENTS_WITH_BIDS, endpoint
from exchange.bootstrap import build_runtime, close_runtime
from exchange.gc_tuning import tune_for_serving
from exchange.settings import Settings


async def run(
    url: str, runs: int, requests: int, warmup: int, first: int, profile_html: str | None, gc_tuning: bool
) -> None:
    settings = Settings()
    runtime = build_runtime(settings, url=url)
    graphql_app = create_app(runtime.deps)
    if gc_tuning:
        # What `exchange serve` does in each worker once the app is built (exchange/gc_tuning.py); both handlers
        # run in this process, so both get it.
        tune_for_serving()
    print(f"garbage collector tuned as in the server: {'yes' if gc_tuning else 'no (--no-gc-tuning)'}")
    pool = await asyncpg.create_pool(dsn(url), min_size=1, max_size=2, server_settings={"timezone": "UTC"})
    baseline_app = Starlette(routes=[Route("/baseline", endpoint(pool, runtime.deps.clock), methods=["POST"])])
    operator = (await fetch(url, "SELECT id FROM app_user WHERE is_operator LIMIT 1"))[0]["id"]
    (token,) = await issue_tokens(url, [operator], ttl=timedelta(hours=2))
    headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
    body = orjson.dumps({"query": OVERHEAD_QUERY, "variables": {"first": first}})

    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
    status, graphql_body = await asgi_post(graphql_app, "/graphql", body, headers)
    event.remove(runtime.engine.sync_engine, "before_cursor_execute", count)
    _, baseline_body = await asgi_post(baseline_app, "/baseline", body, headers)
    parsed = orjson.loads(graphql_body)
    assert status == 200 and "errors" not in parsed, graphql_body[:500]
    assert orjson.dumps(parsed) == baseline_body, "the hand-written handler's JSON differs from GraphQL's"
    edges = parsed["data"]["orders"]["edges"]
    bids = sum(len(e["node"]["bids"]["edges"]) for e in edges)
    print(f"page: {len(edges)} orders, {bids} bids with their manufacturers, {len(graphql_body):,} bytes of JSON")
    print(f"statements: GraphQL {len(statements)}, hand-written {STATEMENTS_WITH_BIDS}")

    cpu: dict[str, list[float]] = {"/graphql": [], "/baseline": []}

    async def timed(app: Any, path: str) -> float:
        started, cpu_started = time.perf_counter(), time.process_time()
        status, _ = await asgi_post(app, path, body, headers)
        elapsed = (time.perf_counter() - started) * 1000
        # This process's CPU time: what the Python side costs, whatever else the machine is doing.
        cpu[path].append((time.process_time() - cpu_started) * 1000)
        assert status == 200
        return elapsed

    for _ in range(warmup):
        await timed(graphql_app, "/graphql")
        await timed(baseline_app, "/baseline")
    cpu["/graphql"].clear()
    cpu["/baseline"].clear()
    graphql_medians, baseline_medians, ratios = [], [], []
    all_graphql: list[float] = []
    all_baseline: list[float] = []
    print(f"load average before: {load_average()}")
    for number in range(1, runs + 1):
        graphql_times, baseline_times = [], []
        for _ in range(requests):
            graphql_times.append(await timed(graphql_app, "/graphql"))
            baseline_times.append(await timed(baseline_app, "/baseline"))
        g, b = statistics.median(graphql_times), statistics.median(baseline_times)
        graphql_medians.append(g)
        baseline_medians.append(b)
        ratios.append(g / b)
        all_graphql += graphql_times
        all_baseline += baseline_times
        print(f"run {number}: GraphQL median {g:.2f} ms, hand-written median {b:.2f} ms, ratio {g / b:.2f}")
    print(f"load average after: {load_average()}")
    print(f"GraphQL      {summary(all_graphql)}  [{len(statements)} statements]")
    print(f"hand-written {summary(all_baseline)}  [{STATEMENTS_WITH_BIDS} statements]")
    cpu_graphql, cpu_baseline = statistics.median(cpu["/graphql"]), statistics.median(cpu["/baseline"])
    print(
        f"CPU time of this process per request (median): GraphQL {cpu_graphql:.1f} ms, hand-written "
        f"{cpu_baseline:.1f} ms, ratio {cpu_graphql / cpu_baseline:.2f}"
    )
    print(
        f"ratio of run medians: median {statistics.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f})"
        f"; goal <= 2.00"
    )

    if profile_html:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005, async_mode="enabled")
        with profiler:
            for _ in range(requests):
                await timed(graphql_app, "/graphql")
        Path(profile_html).write_text(profiler.output_html())  # noqa: ASYNC240 (after the timing)
        from pyinstrument.renderers import ConsoleRenderer

        flat = ConsoleRenderer(unicode=False, color=False, flat=True, show_all=True)
        print("\n".join(profiler.output(flat).splitlines()[:45]))
    await pool.close()
    await close_runtime(runtime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=60, help="requests per run, per handler")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--first", type=int, default=100)
    parser.add_argument("--profile-html", default=None)
    parser.add_argument("--no-gc-tuning", action="store_true", help="leave CPython's collector at its defaults")
    args = parser.parse_args()
    with bench_database() as url:
        asyncio.run(
            run(url, args.runs, args.requests, args.warmup, args.first, args.profile_html, not args.no_gc_tuning)
        )


if __name__ == "__main__":
    main()
