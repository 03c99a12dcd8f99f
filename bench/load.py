"""Benchmark 2 (and 3): the API under load, over HTTP, with the statement count of each operation.

Starts uvicorn with N workers (default 2) on 127.0.0.1 (production settings, no access log, no worker loop),
then, for each operation and each concurrency level, keeps C clients sending back to back for D seconds
(after a warm-up) from an asyncio load generator (aiohttp) in this process, on the same machine. Reports
requests/s, p50, p99, errors (non-200, a top-level `errors` entry, or a placeBid that did not succeed), the CPU
time per request of the workers, of PostgreSQL and of the load generator (where the cores went), and the peak
RSS of each worker. Stops the server (by its PID) at the end. placeBid writes real bids: each request
uses a fresh (manufacturer, order) pair that passes the fit check, so a rerun needs no reset.

Open loop (--rate R): R requests a second are started on schedule whatever the answers' latency (as users
arrive), instead of C clients sending back to back; the in-flight count then grows as the server slows, which is
what exposes the pool. Every run also reports the PostgreSQL sessions opened during it (pg_stat_database.sessions,
read through one monitoring connection after the run's stats are flushed) and the range of the server's backends
(pg_stat_activity, application_name 'exchange', sampled every 0.1 s): with a pool that keeps its connections the
first is 0 and the second flat. --pool SIZE+OVERFLOW sets the server's EXCHANGE_DB_POOL_SIZE / _MAX_OVERFLOW.

Usage:  EXCHANGE_DATA_DIR=/tmp/perf-data .venv/bin/python -m bench.load [--concurrency 1,10,50 | --rate 100]
        [--duration 10] [--warmup 2] [--workers 2] [--only order_board,place_bid] [--pool 20+0]
Needs seed-scale data and the search index: `exchange seed --profile seed-scale && exchange search reindex`
(`--profile tiny` is enough for the pool's figures with --only order_board,order_detail,my_contracts).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import orjson
import psutil
from sqlalchemy import event

from api.app import create_app
from api.enums import Process
from bench import queries
from bench.common import (
    asgi_post,
    bench_database,
    dsn,
    fetch,
    issue_tokens,
    load_average,
    percentile,
    production_env,
)
from bench.search_bench import CASES as SEARCH_CASES
from exchange.bootstrap import build_runtime, close_runtime
from exchange.db import free_port
from exchange.seed_scale import REGIONS_73
from exchange.settings import Settings

SEED = 20261125
USERS = 100


@dataclass
class Operation:
    name: str
    query: str
    # () -> (variables, token)
    next_request: Callable[[], tuple[dict[str, Any], str]]
    expect_typename: str | None = None  # the mutation's success type


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""


def _gid(type_name: str, value: Any) -> str:
    import base64

    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


async def prepare(url: str) -> list[Operation]:
    """Users, tokens and request variables from the seeded data; deterministic given the data."""
    rng = random.Random(SEED)
    makers = await fetch(
        url,
        "SELECT m.user_id, p.organisation_id, p.processes, p.min_quantity, p.max_quantity FROM manufacturer_profile p "
        "JOIN membership m ON m.organisation_id = p.organisation_id ORDER BY md5(p.organisation_id::text)",
    )
    detail = await fetch(
        url,
        "SELECT o.id, o.created_by_user_id FROM production_order o WHERE o.status = 'open' AND EXISTS ("
        "SELECT 1 FROM bid b WHERE b.order_id = o.id AND b.status = 'active') ORDER BY md5(o.id::text) LIMIT $1",
        USERS,
    )
    contract_users = await fetch(
        url,
        "SELECT DISTINCT ON (md5(o.created_by_user_id::text)) o.created_by_user_id AS user_id "
        "FROM production_order o WHERE o.status = 'awarded' ORDER BY md5(o.created_by_user_id::text) LIMIT $1",
        USERS,
    )
    open_orders = await fetch(
        url,
        "SELECT o.id, o.process, o.quantity, o.buyer_organisation_id, o.bidding_deadline FROM production_order o "
        "WHERE o.status = 'open' AND o.visibility = 'public' AND cardinality(o.required_certifications) = 0 "
        "AND o.bidding_deadline > now() + interval '1 hour' ORDER BY md5(o.id::text) LIMIT 8000",
    )
    active = {
        (r["order_id"], r["manufacturer_organisation_id"])
        for r in await fetch(
            url,
            "SELECT order_id, manufacturer_organisation_id FROM bid WHERE status = 'active' AND order_id = ANY($1)",
            [o["id"] for o in open_orders],
        )
    }
    by_process: dict[str, list[Any]] = {}
    for maker in makers:
        for name in maker["processes"]:
            by_process.setdefault(name, []).append(maker)
    pairs: list[tuple[Any, Any]] = []
    for order in open_orders:
        candidates = by_process.get(order["process"], [])
        for _ in range(30):
            if not candidates:
                break
            maker = candidates[rng.randrange(len(candidates))]
            fits = maker["min_quantity"] <= order["quantity"] <= (maker["max_quantity"] or order["quantity"])
            key = (order["id"], maker["organisation_id"])
            if fits and maker["organisation_id"] != order["buyer_organisation_id"] and key not in active:
                active.add(key)
                pairs.append((maker, order))
                break

    browsing = makers[:USERS]
    bidders = sorted({m["user_id"] for m, _ in pairs})
    users = (
        [m["user_id"] for m in browsing]
        + [r["created_by_user_id"] for r in detail]
        + [r["user_id"] for r in contract_users]
        + bidders
    )
    distinct = list(dict.fromkeys(users))
    tokens = dict(zip(distinct, await issue_tokens(url, distinct, ttl=timedelta(hours=3)), strict=True))

    processes = [p.name for p in Process]
    regions = list(REGIONS_73)

    def order_board() -> tuple[dict[str, Any], str]:
        filter_: dict[str, Any] = {"statuses": ["OPEN"], "processes": [rng.choice(processes)]}
        if rng.random() < 0.5:
            filter_["regions"] = [rng.choice(regions[:10])]
        sort = rng.choice(["NEWEST", "DEADLINE"])
        return {"filter": filter_, "sort": sort}, tokens[rng.choice(browsing)["user_id"]]

    def order_detail() -> tuple[dict[str, Any], str]:
        row = detail[rng.randrange(len(detail))]
        return {"id": _gid("Order", row["id"])}, tokens[row["created_by_user_id"]]

    def manufacturer_search() -> tuple[dict[str, Any], str]:
        case = SEARCH_CASES[rng.randrange(len(SEARCH_CASES))]
        return {"query": case["query"], "filter": case["filter"]}, tokens[rng.choice(detail)["created_by_user_id"]]

    def my_contracts() -> tuple[dict[str, Any], str]:
        return {}, tokens[contract_users[rng.randrange(len(contract_users))]["user_id"]]

    pair_iter = iter(pairs)

    def place_bid() -> tuple[dict[str, Any], str]:
        maker, order = next(pair_iter)
        price = rng.randint(100, 50_000)
        variables = {
            "input": {
                "orderId": _gid("Order", order["id"]),
                "organisationId": _gid("Organisation", maker["organisation_id"]),
                "terms": {
                    "unitPrice": {"amount": f"{price}.00", "currency": "RUB"},
                    "leadTimeDays": rng.randint(5, 60),
                    "validUntil": (order["bidding_deadline"].date() + timedelta(days=14)).isoformat(),
                    "notes": "load test",
                },
            }
        }
        return variables, tokens[maker["user_id"]]

    print(f"prepared: {len(tokens)} tokens, {len(detail)} orders for detail, {len(pairs)} fresh bid pairs")
    return [
        Operation("order_board", queries.ORDER_BOARD, order_board),
        Operation("order_detail", queries.ORDER_DETAIL, order_detail),
        Operation("manufacturer_search", queries.MANUFACTURER_SEARCH, manufacturer_search),
        Operation("my_contracts", queries.MY_CONTRACTS, my_contracts),
        Operation("place_bid", queries.PLACE_BID, place_bid, expect_typename="BidSuccess"),
    ]


async def statement_counts(url: str, operations: list[Operation]) -> dict[str, tuple[int, float]]:
    """One request of each read operation in-process: its SQL statements and its server time."""
    runtime = build_runtime(Settings(), url=url)
    app = create_app(runtime.deps)
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
    counts: dict[str, tuple[int, float]] = {}
    try:
        for operation in operations:
            if operation.expect_typename:  # the mutation: counted by its own test, not spent here
                continue
            variables, token = operation.next_request()
            body = orjson.dumps({"query": operation.query, "variables": variables})
            headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
            await asgi_post(app, "/graphql", body, headers)  # warm
            statements.clear()
            started = time.perf_counter()
            status, response = await asgi_post(app, "/graphql", body, headers)
            elapsed = (time.perf_counter() - started) * 1000
            assert status == 200 and b'"errors"' not in response, response[:300]
            counts[operation.name] = (len(statements), elapsed)
    finally:
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", count)
        await close_runtime(runtime)
    return counts


def start_server(url: str, port: int, workers: int, log: Any, pool: str | None = None) -> subprocess.Popen[bytes]:
    env = (
        os.environ
        | {
            "EXCHANGE_DATABASE_URL": url,
            "EXCHANGE_SERVE_RUNS_WORKER": "false",
            "EXCHANGE_LOG_LEVEL": "WARNING",
        }
        | production_env()
    )
    if pool:
        size, _, overflow = pool.partition("+")
        env |= {"EXCHANGE_DB_POOL_SIZE": size, "EXCHANGE_DB_MAX_OVERFLOW": overflow or "0"}
    # As it is deployed: `exchange serve` (uvicorn's supervisor, a listening socket per worker: exchange/serving.py).
    command = [str(Path(sys.executable).parent / "exchange"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--no-worker"]
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


async def wait_ready(port: int, workers: int, server: subprocess.Popen[bytes]) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            if server.poll() is not None:
                raise RuntimeError("the server exited")
            try:
                async with session.get(f"http://127.0.0.1:{port}/health") as response:
                    if response.status == 200 and len(psutil.Process(server.pid).children()) >= workers:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not come up")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            for child in psutil.Process(server.pid).children(recursive=True):
                child.kill()
            server.kill()
            server.wait()


async def drive(
    session: aiohttp.ClientSession, url: str, operation: Operation, concurrency: int, seconds: float
) -> Result:
    result = Result()
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        while time.perf_counter() < deadline:
            variables, token = operation.next_request()
            body = orjson.dumps({"query": operation.query, "variables": variables})
            headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
            started = time.perf_counter()
            try:
                async with session.post(url, data=body, headers=headers) as response:
                    payload = await response.read()
                    status = response.status
            except aiohttp.ClientError as error:
                result.errors += 1
                result.first_error = result.first_error or repr(error)
                continue
            result.latencies.append((time.perf_counter() - started) * 1000)
            problem = status != 200 or b'"errors"' in payload
            if not problem and operation.expect_typename:
                data = orjson.loads(payload)["data"]
                problem = next(iter(data.values()))["__typename"] != operation.expect_typename
            if problem:
                result.errors += 1
                result.first_error = result.first_error or payload[:300].decode(errors="replace")

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return result


async def drive_open_loop(
    session: aiohttp.ClientSession, url: str, operation: Operation, rate: float, seconds: float
) -> Result:
    """`rate` requests a second, each started on its schedule (not when the previous one answered)."""
    result = Result()

    async def one() -> None:
        variables, token = operation.next_request()
        body = orjson.dumps({"query": operation.query, "variables": variables})
        headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
        started = time.perf_counter()
        try:
            async with session.post(url, data=body, headers=headers) as response:
                payload = await response.read()
                status = response.status
        except aiohttp.ClientError as error:
            result.errors += 1
            result.first_error = result.first_error or repr(error)
            return
        result.latencies.append((time.perf_counter() - started) * 1000)
        if status != 200 or b'"errors"' in payload:
            result.errors += 1
            result.first_error = result.first_error or payload[:300].decode(errors="replace")

    start = time.perf_counter()
    tasks = []
    for i in range(int(rate * seconds)):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one()))
    await asyncio.gather(*tasks)
    return result


class SessionWatch:
    """PostgreSQL sessions opened (pg_stat_database.sessions) and the server's backends (pg_stat_activity), through
    one monitoring connection of its own, opened before the run (so it opens nothing during it)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.backends: list[int] = []
        self.pids: set[int] = set()

    async def sessions(self) -> int:
        await asyncio.sleep(1.2)  # backends flush their statistics at most once a second
        await self.conn.execute("SELECT pg_stat_clear_snapshot()")
        return int(await self.conn.fetchval("SELECT sessions FROM pg_stat_database WHERE datname = current_database()"))

    async def sample(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            rows = await self.conn.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'exchange'"
            )
            self.backends.append(len(rows))
            self.pids.update(row["pid"] for row in rows)
            await asyncio.sleep(0.1)


def _cpu_seconds(process: psutil.Process, reaped: bool = False) -> float:
    """User + system CPU seconds; with `reaped`, also those of its children that have ended (the postmaster's
    backends: the pool's overflow connections come and go under load)."""
    try:
        times = process.cpu_times()
    except psutil.NoSuchProcess:  # a PostgreSQL backend that ended between the listing and the reading
        return 0.0
    own = float(times.user + times.system)
    return own + float(times.children_user + times.children_system) if reaped else own


async def postmaster_pid(url: str) -> int | None:
    """The PID of the PostgreSQL server the benchmark uses, when it runs on this machine (its data directory's
    postmaster.pid); None when it cannot be read (a remote server, another user's files)."""
    try:
        (row,) = await fetch(url, "SHOW data_directory")
        return int((Path(row[0]) / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def cpu_split(server_pid: int, postgres_pid: int | None) -> dict[str, float]:
    """CPU seconds so far of the uvicorn workers, of the benchmark's PostgreSQL server (the postmaster and its
    backends) and of this load generator: sampled before and after a run, the difference says where the cores
    went. PostgreSQL counts as 0 when its processes cannot be seen."""
    workers = [p for p in psutil.Process(server_pid).children() if "resource_tracker" not in " ".join(p.cmdline())]
    postgres = 0.0
    if postgres_pid is not None and psutil.pid_exists(postgres_pid):
        postmaster = psutil.Process(postgres_pid)
        postgres = _cpu_seconds(postmaster, reaped=True) + sum(_cpu_seconds(p) for p in postmaster.children())
    return {
        "workers": sum(_cpu_seconds(p) for p in workers),
        "postgres": postgres,
        "client": _cpu_seconds(psutil.Process()),
    }


async def sample_rss(server_pid: int, peaks: dict[int, int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for child in psutil.Process(server_pid).children():
            try:
                if "resource_tracker" in " ".join(child.cmdline()):  # multiprocessing's helper, not a worker
                    continue
                peaks[child.pid] = max(peaks.get(child.pid, 0), child.memory_info().rss)
            except psutil.NoSuchProcess:
                pass
        await asyncio.sleep(0.2)


async def run(url: str, args: argparse.Namespace) -> None:
    operations = await prepare(url)
    if args.only:
        operations = [o for o in operations if o.name in args.only.split(",")]
    counts = await statement_counts(url, operations)
    pg_pid = await postmaster_pid(url)
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="bench-load-server-", suffix=".log", delete=False)
    server = start_server(url, port, args.workers, log, args.pool)
    monitor = await asyncpg.connect(dsn(url))
    peaks: dict[int, int] = {}
    try:
        await wait_ready(port, args.workers, server)
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample_rss(server.pid, peaks, stop))
        endpoint = f"http://127.0.0.1:{port}/graphql"
        if args.rate:
            levels = [int(r) for r in args.rate.split(",")]
        else:
            levels = [int(c) for c in args.concurrency.split(",")]
        connector = aiohttp.TCPConnector(limit=1000 if args.rate else max(levels))
        pool = args.pool or "default"
        print(f"uvicorn: {args.workers} workers on 127.0.0.1:{port}, pool {pool}; load average {load_average()}")
        print(
            f"{'operation':<20} {'rate' if args.rate else 'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'errors':>7} {'stmts':>5} {'1-req ms':>8}  {'CPU ms/req: workers pg client':>29}  "
            f"{'sessions opened':>15} {'backends':>9}  load avg"
        )

        async def go(level: int, seconds: float, operation: Operation) -> Result:
            if args.rate:
                return await drive_open_loop(session, endpoint, operation, level, seconds)
            return await drive(session, endpoint, operation, level, seconds)

        watch = SessionWatch(monitor)
        async with aiohttp.ClientSession(connector=connector) as session:
            for operation in operations:
                for concurrency in levels:
                    await go(concurrency, args.warmup, operation)
                    opened_before = await watch.sessions()
                    watch.backends.clear()
                    watching = asyncio.Event()
                    watcher = asyncio.create_task(watch.sample(watching))
                    cpu_before = cpu_split(server.pid, pg_pid)
                    started = time.perf_counter()
                    result = await go(concurrency, args.duration, operation)
                    elapsed = time.perf_counter() - started
                    cpu_after = cpu_split(server.pid, pg_pid)
                    watching.set()
                    await watcher
                    opened = await watch.sessions() - opened_before
                    backends = f"{min(watch.backends, default=0)}-{max(watch.backends, default=0)}"
                    done = max(len(result.latencies), 1)
                    cpu = " / ".join(f"{(cpu_after[k] - cpu_before[k]) * 1000 / done:.2f}" for k in cpu_before)
                    statements, single = counts.get(operation.name, (0, 0.0))
                    lat = result.latencies or [0.0]
                    print(
                        f"{operation.name:<20} {concurrency:>7} {len(result.latencies) / elapsed:>8.1f} "
                        f"{percentile(lat, 0.5):>8.1f} {percentile(lat, 0.99):>8.1f} {result.errors:>7} "
                        f"{statements or '-':>5} {single or 0:>8.1f}  {cpu:>29}  {opened:>15} {backends:>9}  "
                        f"{load_average()}",
                        flush=True,
                    )
                    if result.first_error:
                        print(f"  first error: {result.first_error}")
        stop.set()
        await sampler
    finally:
        stop_server(server)
        await monitor.close()
        log.close()
    tracebacks = Path(log.name).read_text(errors="replace").count("Traceback")  # noqa: ASYNC240 (after the run)
    print(f"server log: {log.name} ({tracebacks} tracebacks)")
    rss = ", ".join(f"{peak / 2**20:.0f} MB" for peak in peaks.values())
    print(f"peak RSS per worker: {rss} (goal <= 300 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", default="1,10,50")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default=None, help="comma-separated operation names")
    parser.add_argument("--rate", default=None, help="open loop: requests a second (comma-separated levels)")
    parser.add_argument("--pool", default=None, help="the server's pool, SIZE+OVERFLOW (default: the settings')")
    args = parser.parse_args()
    with bench_database() as url:
        asyncio.run(run(url, args))


if __name__ == "__main__":
    main()
