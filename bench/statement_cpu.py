"""PostgreSQL's CPU per execution of each statement a page's request sends: the statements themselves, without the
server's Python, the pool or the network's share of the backend's work around them.

The pages are bench.peer's (as bench.request_cpu runs them). Each page's request variants are handed to the ASGI app
of `exchange serve` once (after a warm-up, so that every token has been checked and the token check rides in the
first read, domain/driver.py `Rider`), and every statement run on the driver connection (domain/driver.py `_fetch`:
the hot reads) is captured with its parameters. Then, on a connection of its own with the pool's session settings
(exchange/db.py SESSION_SETTINGS: generic plans), each distinct statement is prepared once and executed
`--executions` times, cycling over the captured parameters; the backend's CPU time (/proc/<pid>/stat, user + system)
over those executions, divided by their number, is the figure: load-independent enough to compare two versions of a
statement (±2-3 %, the clock tick's resolution over the default count), where a request's PostgreSQL CPU in
bench.request_cpu scatters by ±20 % on a shared machine. `--explain` also prints the generic plan of each statement
(EXPLAIN ANALYZE, BUFFERS, of the first captured parameters).

Usage:  EXCHANGE_DATA_DIR=/tmp/speed-data .venv/bin/python -m bench.statement_cpu
        [--pages board,detail,big] [--executions 2000] [--rounds 3] [--explain] [--statement-chars 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
from typing import Any

import asyncpg

import domain.driver
from api.app import create_app
from bench.common import asgi_post, bench_database, dsn, load_average, production_settings
from bench.peer.compare import Page, prepare
from exchange.bootstrap import build_runtime, close_runtime
from exchange.db import SESSION_SETTINGS
from exchange.logging import configure_logging

TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu_seconds(pid: int) -> float:
    """utime + stime of a local process, in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def capture(app: Any, page: Page, warmup: int) -> dict[str, list[tuple[Any, ...]]]:
    """Each statement the page's requests run on the driver, with the parameters of each run."""
    captured: dict[str, list[tuple[Any, ...]]] = {}
    original = domain.driver._fetch

    async def recording(sync: Any, driver: Any, sql: str, args: tuple[Any, ...]) -> Any:
        captured.setdefault(sql, []).append(args)
        return await original(sync, driver, sql, args)

    async def one(index: int) -> None:
        request = page.ours[index % len(page.ours)]
        headers = {"content-type": "application/json"}
        if request.token:
            headers["authorization"] = f"Bearer {request.token}"
        status, body = await asgi_post(app, "/graphql", request.body, headers)
        if status != 200 or b'"errors"' in body[:20]:
            raise SystemExit(f"{page.name}: {status} {body[:500]!r}")

    for index in range(warmup):
        await one(index)
    domain.driver._fetch = recording
    try:
        for index in range(len(page.ours)):
            await one(index)
    finally:
        domain.driver._fetch = original
    return captured


async def per_execution(
    conn: asyncpg.Connection, sql: str, runs: list[tuple[Any, ...]], executions: int, rounds: int
) -> list[float]:
    """The backend's CPU µs per execution of the prepared statement, one figure per round."""
    pid = conn.get_server_pid()
    statement = await conn.prepare(sql)
    for args in runs[:50]:  # warm: the plan, the caches
        await statement.fetch(*args)
    figures = []
    for _ in range(rounds):
        before = backend_cpu_seconds(pid)
        for index in range(executions):
            await statement.fetch(*runs[index % len(runs)])
        figures.append((backend_cpu_seconds(pid) - before) * 1e6 / executions)
    return figures


async def run(url: str, args: argparse.Namespace) -> None:
    settings = production_settings(log_level="WARNING")
    configure_logging(settings)
    runtime = build_runtime(settings, url=url)
    app = create_app(runtime.deps)
    wanted = args.pages.split(",")
    pages = [page for page in await prepare(url) if page.name in wanted]
    print(f"load average before: {load_average()}", flush=True)
    try:
        found = {page.name: await capture(app, page, args.warmup) for page in pages}
    finally:
        await close_runtime(runtime)
    conn = await asyncpg.connect(dsn(url), server_settings={"timezone": "UTC"})
    try:
        await conn.execute(SESSION_SETTINGS)
        for name, statements in found.items():
            for number, (sql, runs) in enumerate(statements.items(), 1):
                figures = await per_execution(conn, sql, runs, args.executions, args.rounds)
                shown = " ".join(sql.split())[: args.statement_chars]
                print(
                    f"{name} {number}: {len(sql):,} chars, {len(runs)} runs captured; backend CPU µs per execution "
                    f"{' / '.join(f'{f:.1f}' for f in figures)} (median {statistics.median(figures):.1f})\n  {shown}",
                    flush=True,
                )
                if args.explain:
                    plan = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS, VERBOSE) {sql}", *runs[0])
                    print("\n".join("    " + row[0] for row in plan), flush=True)
    finally:
        await conn.close()
    print(f"load average after: {load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="board,detail")
    parser.add_argument("--executions", type=int, default=2000, help="executions per round of each statement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=400, help="requests before capturing (tokens checked once)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each statement's generic plan")
    parser.add_argument("--statement-chars", type=int, default=200)
    args = parser.parse_args()
    with bench_database() as url:
        asyncio.run(run(url, args))


if __name__ == "__main__":
    main()
