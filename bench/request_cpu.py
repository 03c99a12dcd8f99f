"""CPU per request of bench.peer's three pages, measured inside this process: what one request costs the server's
Python and PostgreSQL, far less sensitive to a loaded machine than req/s.

The pages and their request variants are bench.peer's (`bench/peer/compare.py` `prepare`: the board as a
manufacturer, the order detail as its buyer, the big page as an operator). Each request is handed straight to the
ASGI app of `exchange serve` (production settings, the server's garbage-collector tuning; no sockets, no HTTP
client), one after another. Per page it prints:

- Python CPU ms per request: this process's `time.process_time()` over the timed requests, divided by their number;
- PostgreSQL CPU ms per request: the CPU time the server's processes (postmaster and backends, from their
  data directory's postmaster.pid) gained over the same requests, divided by their number (0 for a remote server);
- the SQL statements one request sends (SQLAlchemy's before_cursor_execute: transaction control and the pool's
  ping are not statements), the round trips to PostgreSQL it makes (`sent`: with asyncpg's query logger — the
  statements plus the pool's ping, BEGIN and ROLLBACK: each a round trip), and the wall-clock median
  (load-sensitive: for orientation only).

Two more pages measure the per-request floor — what every request pays before and after its own reads: `floor`
posts `{ __typename }` with the board's tokens (authentication, pool checkout, middleware, context, execution,
response), `floor-anon` the same without a token (no database at all). They are not in the default list.

`--sample` runs the page's requests once more under a CPU-time sampling profiler (bench/cpu_sampler.py: ~5 %
overhead, so the proportions hold) and prints the functions by CPU per request, on the stack and innermost.
`--profile` runs the page's requests once more under cProfile and prints the top functions by own time and by
time with their callees.
`EXCHANGE_EXECUTION_ENGINE=stock` measures the stock executor.

Usage:  EXCHANGE_DATA_DIR=/tmp/speed-data .venv/bin/python -m bench.request_cpu
        [--pages board,detail,big,floor,floor-anon] [--requests 300] [--big-requests 20] [--warmup 30]
        [--sample] [--profile] [--statements]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import statistics
import time
from typing import Any

import orjson
from sqlalchemy import event

from api.app import create_app
from bench.common import asgi_post, bench_database, load_average, production_settings
from bench.cpu_sampler import Sampler
from bench.load import postmaster_pid
from bench.peer.compare import Page, Request, prepare
from bench.peer.compare import postgres_cpu as postgres_cpu_seconds
from exchange.bootstrap import build_runtime, close_runtime
from exchange.gc_tuning import tune_for_serving
from exchange.logging import configure_logging


async def measure(
    app: Any, page: Page, requests: int, warmup: int, pg_pid: int | None, count: list[str], sent: list[str]
) -> dict[str, float]:
    variants = page.ours

    async def one(index: int) -> float:
        request = variants[index % len(variants)]
        headers = {"content-type": "application/json"}
        if request.token:
            headers["authorization"] = f"Bearer {request.token}"
        started = time.perf_counter()
        status, body = await asgi_post(app, "/graphql", request.body, headers)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200 or b'"errors"' in body[:20]:
            raise SystemExit(f"{page.name}: {status} {body[:500]!r}")
        return elapsed

    for index in range(warmup):
        await one(index)
    count.clear()
    sent.clear()
    await one(0)
    statements = len(count)
    # SQLAlchemy's prepared statements do not reach asyncpg's query logger; what does is the rest — the ping, BEGIN,
    # ROLLBACK — and the statements run on the driver connection itself (domain/driver.py), counted once
    counted = set(count)
    round_trips = statements + sum(1 for query in sent if query not in counted)
    walls = []
    pg_before, cpu_before = postgres_cpu_seconds(pg_pid), time.process_time()
    for index in range(requests):
        walls.append(await one(index))
    cpu = (time.process_time() - cpu_before) * 1000 / requests
    pg = (postgres_cpu_seconds(pg_pid) - pg_before) * 1000 / requests
    return {
        "python_ms": cpu,
        "postgres_ms": pg,
        "statements": statements,
        "round_trips": round_trips,
        "wall_median_ms": statistics.median(walls),
    }


FLOOR_QUERY = orjson.dumps({"query": "{ __typename }"})


def floor_pages(pages: list[Page]) -> list[Page]:
    """The peer's pages, then `floor` (`{ __typename }` with the board's tokens) and `floor-anon` (without)."""
    board = next(page for page in pages if page.name == "board")
    signed_in = [Request(body=FLOOR_QUERY, token=request.token) for request in board.ours]
    anonymous = [Request(body=FLOOR_QUERY, token="")]
    return [*pages, Page("floor", signed_in, []), Page("floor-anon", anonymous, [])]


async def run(url: str, args: argparse.Namespace) -> None:
    # As `exchange serve` runs it (bench/load.py start_server): production, warnings only.
    settings = production_settings(log_level="WARNING")
    configure_logging(settings)
    runtime = build_runtime(settings, url=url)
    app = create_app(runtime.deps)
    tune_for_serving()
    wanted = args.pages.split(",")
    pages = [p for p in floor_pages(await prepare(url)) if p.name in wanted]
    pg_pid = await postmaster_pid(url)
    statements: list[str] = []

    def counted(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        statements.append(statement)

    # Everything the driver sends (the pool's ping, BEGIN and ROLLBACK too): asyncpg's query logger on each
    # connection the pool opens.
    sent: list[str] = []

    def log_queries(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.driver_connection.add_query_logger(lambda record: sent.append(record.query))

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", counted)
    event.listen(runtime.engine.sync_engine, "connect", log_queries)
    print(f"engine: {settings.execution_engine}; load average before: {load_average()}", flush=True)
    header = f"{'page':<10} {'requests':>8} {'Python ms/req':>14} {'PostgreSQL ms/req':>18} {'stmts':>6} {'sent':>5}"
    print(f"{header} {'wall p50 ms':>12}")
    results = {}
    try:
        for page in pages:
            requests = args.big_requests if page.name == "big" else args.requests
            warmup = min(args.warmup, requests)
            found = await measure(app, page, requests, warmup, pg_pid, statements, sent)
            results[page.name] = found
            print(
                f"{page.name:<10} {requests:>8} {found['python_ms']:>14.2f} {found['postgres_ms']:>18.2f} "
                f"{found['statements']:>6.0f} {found['round_trips']:>5.0f} {found['wall_median_ms']:>12.2f}",
                flush=True,
            )
            if args.statements:
                await measure(app, page, 1, 0, None, statements, sent)
                for number, sql in enumerate(statements[-int(found["statements"]) :], 1):
                    print(f"  {number}. {' '.join(sql.split())[: args.statement_chars]}")
            if args.sample:
                sampler = Sampler()
                cpu_before = time.process_time()
                with sampler.running():
                    await measure(app, page, requests, 0, None, statements, sent)
                cpu = (time.process_time() - cpu_before) * 1000 / (requests + 1)
                print(sampler.report(cpu, args.profile_lines, root="request_cpu.py:one"), flush=True)
            if args.profile:
                # cProfile counts this process's own work (not the time spent waiting on PostgreSQL): by own time,
                # then by time including callees.
                profiler = cProfile.Profile()
                profiler.enable()
                await measure(app, page, requests, 0, None, statements, sent)
                profiler.disable()
                for order in ("tottime", "cumulative"):
                    out = io.StringIO()
                    pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.profile_lines)
                    print(out.getvalue(), flush=True)
        print(f"load average after: {load_average()}")
        if args.json:
            print(orjson.dumps(results).decode())
    finally:
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", counted)
        await close_runtime(runtime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="board,detail,big")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page (board, detail)")
    parser.add_argument("--big-requests", type=int, default=20, help="timed requests of the big page")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--sample", action="store_true", help="CPU-time sampling profile of each page")
    parser.add_argument("--profile", action="store_true", help="cProfile of each page")
    parser.add_argument("--profile-lines", type=int, default=50)
    parser.add_argument("--statements", action="store_true", help="print the SQL of one request of each page")
    parser.add_argument("--statement-chars", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    with bench_database() as url:
        asyncio.run(run(url, args))


if __name__ == "__main__":
    main()
